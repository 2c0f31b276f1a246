"""The two calls domain code makes: ``publish`` (inside its transaction) and ``handled_once``.

``publish`` writes the event to the outbox in the caller's transaction; after commit the event is
handed to Celery. A receiver declared with ``integration.receivers.on`` runs inside
``handled_once`` under its name, so that a second delivery of the same event to the same receiver
changes nothing.
"""

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from integration.contracts import PayloadError, Topic
from integration.models import Event, EventReceipt
from integration.queue import enqueue_delivery
from integration.topics import get_topic

logger = logging.getLogger(__name__)


class PublishOutsideTransaction(RuntimeError):
    """publish() ran with no transaction open: the event could outlive a rolled-back change."""


class AlreadyHandled(Exception):
    """Raised on entering ``handled_once`` when this receiver already applied the event."""


def publish(*, topic: Topic | str, payload: dict) -> Event:
    """Write an event to the outbox in the current transaction; deliver it after commit.

    Refuses to run outside a transaction, so that a rolled-back change never announces anything.
    """
    if not connection.in_atomic_block:
        raise PublishOutsideTransaction(
            "publish() must run inside the service's transaction (transaction.atomic)."
        )
    declared = get_topic(topic) if isinstance(topic, str) else topic
    declared.validate(payload)
    try:
        json.dumps(payload, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise PayloadError(f"{declared.name}: payload is not plain JSON ({exc}).") from exc
    event = Event.objects.create(
        topic=declared.name, version=declared.version, occurred_at=timezone.now(), payload=payload
    )
    transaction.on_commit(partial(enqueue_delivery, event.pk), robust=True)
    return event


def publish_many(*, topic: Topic | str, payloads: list[dict]) -> list[Event]:
    """``publish`` for many events of one topic at once: one INSERT for all of them (a planning
    run announcing thousands of shortages), each delivered after commit like ``publish``'s."""
    if not connection.in_atomic_block:
        raise PublishOutsideTransaction(
            "publish_many() must run inside the service's transaction (transaction.atomic)."
        )
    declared = get_topic(topic) if isinstance(topic, str) else topic
    now = timezone.now()
    events = []
    for payload in payloads:
        declared.validate(payload)
        try:
            json.dumps(payload, allow_nan=False)
        except (TypeError, ValueError) as exc:
            raise PayloadError(f"{declared.name}: payload is not plain JSON ({exc}).") from exc
        events.append(
            Event(topic=declared.name, version=declared.version, occurred_at=now, payload=payload)
        )
    Event.objects.bulk_create(events, batch_size=2000)
    for event in events:
        transaction.on_commit(partial(enqueue_delivery, event.pk), robust=True)
    return events


@contextmanager
def handled_once(event: Event, *, receiver: str) -> Iterator[None]:
    """Run the block, in one transaction with the receipt of (event, receiver), at most once.

    A concurrent delivery of the same event waits on the receipt's unique key and then finds it
    handled; a failed block rolls back together with its receipt, so a retry runs it again.
    """
    with transaction.atomic():
        try:
            with transaction.atomic():
                EventReceipt.objects.create(event_id=event.pk, receiver=receiver)
        except IntegrityError:
            raise AlreadyHandled(f"{receiver} already handled event {event.pk}.") from None
        yield
