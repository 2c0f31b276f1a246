"""Receivers of topics, each declared once with ``@on``: its topic, its name and what it follows.

The name is the receiver's identity on the bus: the key of its receipts (``handled_once``) and of
its deliveries. It must never change once events were delivered to it, or old events would be
applied again; it is not derived from the function's module or name, so code can move freely.

``after`` orders the receivers of one topic: a receiver is called for an event only once every
receiver it comes after has handled that event. The graph is checked when Django starts (a system
check) and again before the first delivery: an unknown name, another topic's receiver or a cycle
is refused.
"""

import functools
from collections.abc import Callable, Iterable, Iterator

from django.core.exceptions import ImproperlyConfigured

from integration.bus import handled_once
from integration.contracts import Topic
from integration.models import Event

Handler = Callable[[Event], None]


class Receiver:
    """One receiver of a topic: a stable name, the function that applies an event, its order.

    Calling it with an event applies the event at most once; it looks like the wrapped function
    (name, docstring) to readers and debuggers.
    """

    def __init__(
        self, *, topic: Topic, name: str, func: Handler, after: Iterable[str] = ()
    ) -> None:
        self.topic = topic
        self.name = name
        self.func = func
        self.after = tuple(after)
        functools.update_wrapper(self, func)

    def __repr__(self) -> str:
        return f"<Receiver {self.name} of {self.topic.name}>"

    def __call__(self, event: Event) -> None:
        """Apply the event at most once: the body runs inside ``handled_once(event, name)``.

        Raises ``AlreadyHandled`` when this receiver applied the event already.
        """
        with handled_once(event, receiver=self.name):
            self.func(event)


class ReceiverRegistry:
    """Every declared receiver, by name and by topic (in declaration order)."""

    def __init__(self) -> None:
        self._by_name: dict[str, Receiver] = {}
        self._by_topic: dict[str, list[Receiver]] = {}
        self._ordered: dict[str, list[Receiver]] | None = None

    def add(self, receiver: Receiver) -> Receiver:
        """Register a receiver; a name used twice is a programming error, refused at import."""
        if not receiver.name or receiver.name != receiver.name.strip():
            raise ImproperlyConfigured(f"Receiver name {receiver.name!r} is not a stable name.")
        if receiver.name in self._by_name:
            other = self._by_name[receiver.name]
            raise ImproperlyConfigured(
                f"Receiver name {receiver.name!r} is declared twice "
                f"({other.func.__module__}.{other.func.__qualname__} and "
                f"{receiver.func.__module__}.{receiver.func.__qualname__})."
            )
        if receiver.name in receiver.after:
            raise ImproperlyConfigured(f"Receiver {receiver.name!r} comes after itself.")
        self._by_name[receiver.name] = receiver
        self._by_topic.setdefault(receiver.topic.name, []).append(receiver)
        self._ordered = None
        return receiver

    def remove(self, name: str) -> None:
        """Forget a receiver (tests that declare one for a while)."""
        receiver = self._by_name.pop(name)
        self._by_topic[receiver.topic.name].remove(receiver)
        self._ordered = None

    def get(self, name: str) -> Receiver:
        """The receiver of that name, or KeyError."""
        return self._by_name[name]

    def __iter__(self) -> Iterator[Receiver]:
        return iter(list(self._by_name.values()))

    def _order(self) -> dict[str, list[Receiver]]:
        """Each topic's receivers, every one after those it names; raise on a broken graph."""
        ordered: dict[str, list[Receiver]] = {}
        for topic_name, receivers in self._by_topic.items():
            names = {receiver.name for receiver in receivers}
            for receiver in receivers:
                for before in receiver.after:
                    if before in names:
                        continue
                    if before in self._by_name:
                        raise ImproperlyConfigured(
                            f"Receiver {receiver.name!r} of {topic_name} comes after "
                            f"{before!r}, a receiver of another topic."
                        )
                    raise ImproperlyConfigured(
                        f"Receiver {receiver.name!r} of {topic_name} comes after {before!r}, "
                        "which is not a declared receiver."
                    )
            ordered[topic_name] = _topological(topic_name, receivers)
        return ordered

    def check(self) -> None:
        """Raise ImproperlyConfigured if an ``after`` names an unknown receiver or makes a cycle."""
        self._ordered = self._order()

    def receivers_of(self, topic_name: str) -> list[Receiver]:
        """The topic's receivers in delivery order: declaration order, bent by ``after``."""
        if self._ordered is None:
            self.check()
        assert self._ordered is not None
        return list(self._ordered.get(topic_name, ()))


def _topological(topic_name: str, receivers: list[Receiver]) -> list[Receiver]:
    """Kahn's algorithm, always taking the earliest declared receiver that is ready."""
    pending = list(receivers)
    placed: list[Receiver] = []
    done: set[str] = set()
    while pending:
        ready = next((r for r in pending if all(name in done for name in r.after)), None)
        if ready is None:
            cycle = ", ".join(sorted(r.name for r in pending))
            raise ImproperlyConfigured(
                f"The receivers of {topic_name} wait for each other in a cycle: {cycle}."
            )
        pending.remove(ready)
        placed.append(ready)
        done.add(ready.name)
    return placed


registry = ReceiverRegistry()


def on(
    topic: Topic, *, name: str, after: Iterable[str] = (), registry: ReceiverRegistry = registry
) -> Callable[[Handler], Receiver]:
    """Declare the decorated function as the receiver ``name`` of ``topic``.

    The function takes the event; it runs inside ``handled_once(event, receiver=name)``, so it
    applies each event at most once. ``after`` names receivers of the same topic that must have
    handled the event before this one is called.
    """
    if not isinstance(topic, Topic):
        raise TypeError(f"on() needs a declared Topic, not {topic!r}.")

    def declare(func: Handler) -> Receiver:
        return registry.add(Receiver(topic=topic, name=name, func=func, after=after))

    return declare
