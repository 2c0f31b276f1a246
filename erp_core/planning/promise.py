"""Available-to-promise: when a quantity of an item can be had from stock and, once MRP has run,
from planned supply, read without changing anything."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F, Sum

from erp_core.planning.models import MrpRun, PlannedOrder, PlannedOrderPeg
from erp_core.sales.models import ZERO, SalesOrder, SalesOrderLine
from erp_core.stock.models import StockBalance


@dataclass(frozen=True)
class Availability:
    """What of ``quantity`` stock can cover now, and the date it can all be had: ``on_date``
    when stock covers it (``basis`` "stock"), else the due date of the planned supply that
    completes it (``basis`` "planned_supply"), else None."""

    item_id: int
    quantity: Decimal
    available: Decimal
    date: datetime.date | None
    basis: str = "stock"


def _free_planned_supply(item_id: int) -> list[tuple[datetime.date, Decimal]]:
    """The planned and firm orders of the item after the last run, by due date, each with what
    its pegs leave free (the lot sizing's excess): what the plan can still promise."""
    if not MrpRun.objects.filter(status=MrpRun.Status.DONE).exists():
        return []
    orders = list(
        PlannedOrder.objects.filter(
            item_id=item_id, status__in=[PlannedOrder.Status.PLANNED, PlannedOrder.Status.FIRM]
        )
        .order_by("due_date", "pk")
        .values_list("pk", "due_date", "quantity")
    )
    pegged = dict(
        PlannedOrderPeg.objects.filter(planned_order_id__in=[o[0] for o in orders])
        .values("planned_order_id")
        .annotate(total=Sum("quantity"))
        .values_list("planned_order_id", "total")
    )
    return [
        (due, quantity - pegged.get(pk, ZERO))
        for pk, due, quantity in orders
        if quantity - pegged.get(pk, ZERO) > 0
    ]


def available_to_promise(
    *,
    item_id: int,
    quantity: Decimal,
    on_date: datetime.date,
    warehouse_id: int | None = None,
) -> Availability:
    """On hand (in ``warehouse_id``, else every active warehouse) less what confirmed sales
    orders still have to ship; ``date`` is ``on_date`` when that covers ``quantity``. Else the
    planned supply of the last MRP run left free by its pegs is added in due-date order, and
    ``date`` is the due date of the planned order that completes the quantity; else None.
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
    if available >= quantity:
        return Availability(item_id, quantity, available, on_date)
    # Stock falls short: the free part of the planned supply, in due-date order, may cover it.
    covered = available
    for due, free in _free_planned_supply(item_id):
        covered += free
        if covered >= quantity:
            return Availability(item_id, quantity, available, max(due, on_date), "planned_supply")
    return Availability(item_id, quantity, available, None)
