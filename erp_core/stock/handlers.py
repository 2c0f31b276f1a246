"""Receivers of the warehouse's topics for the stock ledger.

``wms.stock_moved``: stock moved between two warehouses (a transfer), or came in or went out of
one for a reason no other document books (an adjustment); the ledger books it.
``wms.count_completed``: a count's differences per item; the ledger posts the gain or loss.

Receipts, shipments and counts move quants too, but WMS publishes no ``wms.stock_moved`` for
them: their own events book them once (purchasing, sales and the receiver below).
Each event is booked once: the receiver runs inside ``handled_once``, and a move already booked
from the event (its ``source_event_id``) is never booked again.
"""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from erp_core.models import Item, Warehouse
from erp_core.stock.models import StockMove
from erp_core.stock.services import MoveLine, Source, stock_moves_book
from integration import topics
from integration.models import Event
from integration.receivers import on

Reason = StockMove.Reason


def _booked(event: Event) -> bool:
    return StockMove.objects.filter(source_event_id=event.pk).exists()


def _warehouse(pk) -> Warehouse | None:
    return Warehouse.objects.filter(pk=pk).first() if pk is not None else None


@on(topics.stock_moved, name="erp_core.stock.book_wms_move")
def book_wms_move(event: Event) -> None:
    """Book a WMS move the ledger must hold: a transfer, or an adjustment in or out."""
    if _booked(event):
        return
    payload = event.payload
    item = Item.objects.get(pk=payload["item_id"])
    quantity = Decimal(payload["quantity"])
    moved_at = dt.datetime.fromisoformat(payload["moved_at"])
    source = Source(type="wms.move", id=str(payload["move_id"]), event_id=str(event.pk))
    origin = _warehouse(payload.get("from_warehouse_id"))
    target = _warehouse(payload.get("to_warehouse_id"))
    if origin is not None and target is not None:
        line = MoveLine(item=item, warehouse=origin, to_warehouse=target, quantity=quantity,
                        reason=Reason.TRANSFER, moved_at=moved_at, source=source)  # fmt: skip
    elif target is not None:
        unit_cost = Decimal(payload["unit_cost"]) if payload.get("unit_cost") else None
        line = MoveLine(item=item, warehouse=target, quantity=quantity, unit_cost=unit_cost,
                        reason=Reason.ADJUSTMENT, moved_at=moved_at, source=source)  # fmt: skip
    elif origin is not None:
        line = MoveLine(item=item, warehouse=origin, quantity=-quantity,
                        reason=Reason.ADJUSTMENT, moved_at=moved_at, source=source)  # fmt: skip
    else:
        raise ValidationError({"warehouse": _("The move names no warehouse.")})
    stock_moves_book(lines=[line])


@on(topics.count_completed, name="erp_core.stock.post_wms_count")
def post_wms_count(event: Event) -> None:
    """Post a count's gains and losses as adjustments, one batch (one entry) per count."""
    if _booked(event):
        return
    payload = event.payload
    warehouse = Warehouse.objects.get(pk=payload["warehouse_id"])
    items = Item.objects.in_bulk([line["item_id"] for line in payload["lines"]])
    source = Source(type="wms.count", id=str(payload["count_id"]), event_id=str(event.pk))
    lines = [
        MoveLine(item=items[line["item_id"]], warehouse=warehouse,
                 quantity=Decimal(line["quantity"]), reason=Reason.ADJUSTMENT,
                 moved_at=event.occurred_at, source=source)
        for line in payload["lines"]
        if Decimal(line["quantity"]) != 0
    ]  # fmt: skip
    if lines:
        stock_moves_book(lines=lines)
