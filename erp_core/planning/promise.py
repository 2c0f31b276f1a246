"""Available-to-promise: when a quantity of an item can be had from stock (and, once MRP has
run, from planned supply), read without changing anything."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F, Sum

from erp_core.sales.models import ZERO, SalesOrder, SalesOrderLine
from erp_core.stock.models import StockBalance


@dataclass(frozen=True)
class Availability:
    """What of ``quantity`` stock can cover now; ``date`` is today when it covers all of it."""

    item_id: int
    quantity: Decimal
    available: Decimal
    date: datetime.date | None


def available_to_promise(
    *,
    item_id: int,
    quantity: Decimal,
    on_date: datetime.date,
    warehouse_id: int | None = None,
) -> Availability:
    """On hand (in ``warehouse_id``, else every active warehouse) less what confirmed sales
    orders still have to ship; ``date`` is ``on_date`` when that covers ``quantity``, else None.
    """
    balances = StockBalance.objects.filter(item_id=item_id, warehouse__is_active=True)
    if warehouse_id is not None:
        balances = balances.filter(warehouse_id=warehouse_id)
    on_hand = balances.aggregate(total=Sum("quantity"))["total"] or ZERO
    committed = (
        SalesOrderLine.objects.filter(item_id=item_id, order__status=SalesOrder.Status.APPROVED)
        .annotate(open=F("quantity") - F("delivered_quantity") - F("closed_quantity"))
        .aggregate(total=Sum("open"))["total"]
        or ZERO
    )
    available = max(on_hand - committed, ZERO)
    return Availability(
        item_id=item_id,
        quantity=quantity,
        available=available,
        date=on_date if available >= quantity else None,
    )
