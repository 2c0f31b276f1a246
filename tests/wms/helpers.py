"""Helpers of the WMS flow tests: deliver the outbox as the worker would, check the books."""

import uuid
from decimal import Decimal

from erp_core.stock.models import StockMove
from erp_core.stock.services import MoveLine, Source, stock_moves_book
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


def book_taken_over(item, warehouse, quantity, unit_cost) -> None:
    """Book in the ERP ledger stock a WMS-run warehouse already holds in its bins, as the
    takeover found it. The ERP refuses its own moves in such a warehouse; this one carries an
    event id, as a move booked from WMS does."""
    source = Source(type="test.takeover", id="0", event_id=str(uuid.uuid4()))
    stock_moves_book(
        lines=[
            MoveLine(item=item, warehouse=warehouse, quantity=Decimal(str(quantity)),
                     reason=StockMove.Reason.RECEIPT, unit_cost=Decimal(str(unit_cost)),
                     source=source)
        ]
    )  # fmt: skip
