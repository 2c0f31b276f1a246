"""Builders for bus rows in the states the bus leaves them in."""

from django.utils import timezone

from integration.models import Delivery, Event


def make_dead_event(
    *,
    topic: str = "wms.stock_moved",
    payload: dict | None = None,
    receiver: str = "erp_core.handlers.post_stock_move",
    error: str = "Traceback (most recent call last):\nValueError: no such item",
) -> Event:
    """A dead event with one dead delivery, as after a receiver's last failed attempt."""
    event = Event.objects.create(
        topic=topic,
        occurred_at=timezone.now(),
        payload=payload if payload is not None else {},
        status=Event.Status.DEAD,
        attempts=5,
    )
    Delivery.objects.create(
        event=event, receiver=receiver, status=Delivery.Status.DEAD, attempts=5, last_error=error
    )
    return event
