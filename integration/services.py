"""Delivery, retries, dead letters, replay and the outbox sweep: the only writers of bus state."""

import datetime as dt
import logging
import traceback
import uuid

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from common.errors import Conflict, NotFound
from integration.bus import AlreadyHandled
from integration.models import Delivery, Event
from integration.queue import enqueue_delivery
from integration.receivers import registry
from integration.topics import TOPICS

logger = logging.getLogger(__name__)


def _bus_setting(name: str) -> int:
    return settings.ZHONGTAI_BUS[name]


def backoff_seconds(attempt: int) -> int:
    """Seconds to wait before delivery round ``attempt + 1``: exponential, capped."""
    base = _bus_setting("BACKOFF_BASE_SECONDS")
    return min(base * 2 ** max(attempt - 1, 0), _bus_setting("BACKOFF_MAX_SECONDS"))


def event_deliver(*, event_id: uuid.UUID, now: dt.datetime | None = None) -> Event | None:
    """Call the topic's receivers, in their declared order, and record who failed.

    Runs outside any transaction: each receiver commits (or rolls back) its own work inside
    ``handled_once``. Receivers that handled the event already pass at once, so every round calls
    them all; one whose ``after`` receivers have not handled the event yet is left for a later
    round. Delivered and dead events, and retries not yet due, are left alone, so a duplicate
    message costs one read.
    """
    now = now or timezone.now()
    event = Event.objects.filter(pk=event_id).first()
    if event is None:
        logger.warning("Event %s is not in the outbox (rolled back or purged).", event_id)
        return None
    if event.status in (Event.Status.DELIVERED, Event.Status.DEAD):
        return event
    if (
        event.status == Event.Status.RETRYING
        and event.next_attempt_at
        and event.next_attempt_at > now
    ):
        return event
    failures: dict[str, str] = {}
    succeeded: list[str] = []
    if event.topic not in TOPICS:
        failures["integration.unknown_topic"] = f"Topic {event.topic!r} is not declared."
    else:
        for receiver in registry.receivers_of(event.topic):
            waits_for = [name for name in receiver.after if name not in succeeded]
            if waits_for:
                # Not called, and no attempt counted: it runs in the round where the receivers
                # it comes after have handled the event (their failure keeps the event retrying).
                logger.info(
                    "Receiver %s waits for %s on event %s.", receiver.name, waits_for, event.pk
                )
                continue
            try:
                receiver(event)
            except AlreadyHandled:
                succeeded.append(receiver.name)
            except Exception as exc:  # a receiver's bug must not stop the others
                failures[receiver.name] = "".join(traceback.format_exception(exc))[-4000:]
                logger.warning("Receiver %s failed on event %s: %r", receiver.name, event.pk, exc)
            else:
                succeeded.append(receiver.name)
    if not failures and event.status == Event.Status.PENDING:
        # The common case, first round and all applied: one conditional UPDATE. If another
        # round booked a failure meanwhile the status is no longer pending and the full
        # book-keeping below runs instead.
        marked = Event.objects.filter(pk=event.pk, status=Event.Status.PENDING).update(
            status=Event.Status.DELIVERED, delivered_at=now, next_attempt_at=None, attempts=1
        )
        if marked:
            return event
    return _record_round(event_id=event.pk, failures=failures, succeeded=succeeded, now=now)


@transaction.atomic
def _record_round(
    *, event_id: uuid.UUID, failures: dict[str, str], succeeded: list[str], now: dt.datetime
) -> Event:
    """Book one delivery round: failing receivers count an attempt, dead after the last one."""
    event = Event.objects.select_for_update().get(pk=event_id)
    if not failures and not event.deliveries.exists():
        # The common case: everything applied at the first round.
        if event.status != Event.Status.DELIVERED:
            event.status = Event.Status.DELIVERED
            event.delivered_at = now
            event.next_attempt_at = None
            event.attempts += 1
            event.save(update_fields=["status", "delivered_at", "next_attempt_at", "attempts"])
        return event
    max_attempts = _bus_setting("MAX_ATTEMPTS")
    existing = {d.receiver: d for d in event.deliveries.select_for_update().order_by("pk")}
    for name in succeeded:
        delivery = existing.get(name)
        if delivery and delivery.status != Delivery.Status.DONE:
            delivery.status = Delivery.Status.DONE
            delivery.save(update_fields=["status", "updated_at"])
    for name, error in failures.items():
        delivery = existing.get(name) or Delivery(event=event, receiver=name, attempts=0)
        delivery.attempts += 1
        delivery.last_error = error
        delivery.status = (
            Delivery.Status.DEAD if delivery.attempts >= max_attempts else Delivery.Status.FAILING
        )
        delivery.save()
        existing[name] = delivery
    statuses = {d.status for d in existing.values()}
    event.attempts += 1
    if Delivery.Status.FAILING in statuses:
        worst = max(d.attempts for d in existing.values() if d.status == Delivery.Status.FAILING)
        event.status = Event.Status.RETRYING
        event.next_attempt_at = now + dt.timedelta(seconds=backoff_seconds(worst))
    elif Delivery.Status.DEAD in statuses:
        event.status = Event.Status.DEAD
        event.next_attempt_at = None
        logger.error(
            "Event %s (%s) is dead: a receiver failed its last attempt.", event.pk, event.topic
        )
    else:
        event.status = Event.Status.DELIVERED
        event.delivered_at = now
        event.next_attempt_at = None
    event.save(update_fields=["status", "delivered_at", "next_attempt_at", "attempts"])
    return event


@transaction.atomic
def event_replay(*, event_id: uuid.UUID) -> Event:
    """Give a dead event's dead receivers a fresh set of attempts and deliver it again now.

    Receivers that already applied it are not run twice: their receipts stand.
    """
    event = Event.objects.select_for_update().filter(pk=event_id).first()
    if event is None:
        raise NotFound(f"Event {event_id} does not exist.")
    if event.status != Event.Status.DEAD:
        raise Conflict(f"Event {event_id} is {event.status}, only a dead event can be replayed.")
    event.deliveries.filter(status=Delivery.Status.DEAD).update(
        status=Delivery.Status.FAILING, attempts=0, updated_at=timezone.now()
    )
    event.status = Event.Status.RETRYING
    event.next_attempt_at = timezone.now()
    event.save(update_fields=["status", "next_attempt_at"])
    transaction.on_commit(lambda: enqueue_delivery(event.pk), robust=True)
    return event


def outbox_sweep(*, now: dt.datetime | None = None, limit: int = 500) -> int:
    """Re-send events committed but never delivered, and retries that are due; return how many.

    An event still pending after the grace period lost its message (broker down at commit, a
    worker gone): it is sent again, at most once per grace period.
    """
    now = now or timezone.now()
    stale = now - dt.timedelta(seconds=_bus_setting("SWEEP_GRACE_SECONDS"))
    due = Q(status=Event.Status.RETRYING, next_attempt_at__lte=now) | Q(
        Q(enqueued_at__isnull=True) | Q(enqueued_at__lte=stale),
        status=Event.Status.PENDING,
        occurred_at__lte=stale,
    )
    ids = list(
        Event.objects.filter(due).order_by("occurred_at").values_list("pk", flat=True)[:limit]
    )
    sent = 0
    for event_id in ids:
        Event.objects.filter(pk=event_id).update(enqueued_at=now)
        if not enqueue_delivery(event_id):
            break  # the broker is down: the next sweep tries again
        sent += 1
    if ids:
        logger.info("Outbox sweep re-sent %s of %s due events.", sent, len(ids))
    return sent
