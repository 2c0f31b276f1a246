"""Helpers of the WMS flow tests: deliver the outbox as the worker would, check the books."""

from integration.models import Event
from integration.services import event_deliver


def deliver_all() -> list[Event]:
    """Deliver every pending event (and those the receivers publish) in order; each must be
    delivered, or the failing receiver's error is shown."""
    delivered = []
    while True:
        pending = list(Event.objects.filter(status=Event.Status.PENDING).order_by("occurred_at"))
        if not pending:
            return delivered
        for event in pending:
            event_deliver(event_id=event.pk)
            event.refresh_from_db()
            if event.status != Event.Status.DELIVERED:
                errors = [d.last_error for d in event.deliveries.all()]
                raise AssertionError(f"{event.topic} not delivered: {errors}")
            delivered.append(event)


def breaches() -> list[str]:
    """Every breach ``manage.py reconcile`` would print (invariant 1 included)."""
    from erp_core.ledger.reconcile import run_checks

    return [str(breach) for breach in run_checks()]
