"""Reads of the bus: the event log and its dead deliveries."""

from django.db.models import Count, Q, QuerySet

from integration.models import Delivery, Event


def event_list(*, status: str | None = None, topic: str | None = None) -> QuerySet[Event]:
    """Events newest first, with the number of their failing and dead deliveries."""
    qs = Event.objects.annotate(
        failing_count=Count("deliveries", filter=~Q(deliveries__status=Delivery.Status.DONE))
    ).order_by("-occurred_at")
    if status:
        qs = qs.filter(status=status)
    if topic:
        qs = qs.filter(topic=topic)
    return qs


def dead_delivery_list() -> QuerySet[Delivery]:
    """Dead deliveries with their event, newest first."""
    return (
        Delivery.objects.filter(status=Delivery.Status.DEAD)
        .select_related("event")
        .order_by("-updated_at")
    )


def event_status_counts() -> dict[str, int]:
    """How many events there are per status (for the log page and healthz)."""
    counts = dict(
        Event.objects.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    return {status: counts.get(status, 0) for status in Event.Status.values}
