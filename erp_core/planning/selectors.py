"""Reads of planning: runs, planned orders with their pegs, exception messages, shortages,
forecasts, and the load of the work centers against their capacity per day."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db.models import Prefetch, QuerySet

from erp_core.masterdata.models import RoutingOperation, WorkCenter
from erp_core.planning.core.calendar import WorkCenterCalendar
from erp_core.planning.models import (
    ExceptionMessage,
    Forecast,
    MrpRun,
    PlannedOrder,
    PlannedOrderPeg,
    Shortage,
    SupplyPeg,
)
from erp_core.production.models import ProductionOrder, ProductionOrderOperation

ZERO = Decimal(0)
SIXTY = Decimal(60)
OPEN_PLANNED = (PlannedOrder.Status.PLANNED, PlannedOrder.Status.FIRM)


def mrp_run_list() -> QuerySet[MrpRun]:
    """Runs, newest first, with who started them."""
    return MrpRun.objects.select_related("created_by").order_by("-created_at", "-id")


def mrp_run_active() -> MrpRun | None:
    """The run queued or running now, if any."""
    return MrpRun.objects.filter(status__in=MrpRun.ACTIVE).first()


def mrp_run_last_done() -> MrpRun | None:
    """The last run that finished."""
    return MrpRun.objects.filter(status=MrpRun.Status.DONE).order_by("-finished_at", "-id").first()


def planned_order_list(*, with_pegs: bool = False) -> QuerySet[PlannedOrder]:
    """Planned orders with their item (and pegs, each with what it serves, when asked)."""
    qs = PlannedOrder.objects.select_related(
        "item", "item__unit", "run", "production_order", "requisition_line__requisition"
    )
    if with_pegs:
        qs = qs.prefetch_related(
            Prefetch(
                "pegs",
                queryset=PlannedOrderPeg.objects.select_related(
                    "sales_order_line__order", "forecast", "production_order", "parent__item"
                ),
            )
        )
    return qs.order_by("due_date", "item__code", "id")


def planned_orders_to_firm() -> QuerySet[PlannedOrder]:
    """The planner's queue: planned orders not yet firmed."""
    return PlannedOrder.objects.filter(status=PlannedOrder.Status.PLANNED)


def supply_peg_list() -> QuerySet[SupplyPeg]:
    """The demands the open supply serves, with the supply's item and the sales order lines,
    by supply."""
    return SupplyPeg.objects.select_related("item", "sales_order_line__order").order_by(
        "supply_kind", "supply_id", "need_date", "id"
    )


def exception_message_list() -> QuerySet[ExceptionMessage]:
    """The current exception messages with their items, by date."""
    return ExceptionMessage.objects.select_related("item", "run").order_by("current_date", "id")


def shortage_list() -> QuerySet[Shortage]:
    """The current shortages with their items, the earliest first."""
    return Shortage.objects.select_related("item", "run").order_by("need_date", "id")


def forecast_list() -> QuerySet[Forecast]:
    """Forecasts with their items, by item and period."""
    return Forecast.objects.select_related("item").order_by("item__code", "period_start")


def _spread(
    load: dict, calendar: WorkCenterCalendar, start: dt.date, end: dt.date, hours: Decimal
) -> None:
    """Spread ``hours`` evenly over the work center's working days from ``start`` to ``end``."""
    days: list[dt.date] = []
    day = start
    while day <= end and len(days) < 400:
        if calendar.is_working(day):
            days.append(day)
        day += dt.timedelta(days=1)
    if not days:
        days = [end]
    share = hours / len(days)
    for day in days:
        load[(calendar.id, day)] += share


def work_center_load(*, start: dt.date, days: int = 14) -> dict:
    """Planned hours against capacity per work center per day, from ``start`` for ``days``.

    Load is the routing hours of open planned orders (made items) and the planned hours of open
    production orders, each spread evenly over its working days from start to due date.
    Answers ``{"days": [...], "work_centers": [{"code", "name", "load": [...], "capacity":
    [...]}]}`` with hours as Decimals. A fixed number of queries.
    """
    end = start + dt.timedelta(days=days - 1)
    centers = list(WorkCenter.objects.filter(is_active=True).order_by("code"))
    # Only the working days of these calendars are read here (capacity is in hours below).
    calendars = {
        wc.pk: WorkCenterCalendar(wc.pk, wc.working_days, wc.capacity_hours_per_day)
        for wc in centers
    }
    load: dict[tuple[int, dt.date], Decimal] = defaultdict(Decimal)
    planned = list(
        PlannedOrder.objects.filter(
            status__in=OPEN_PLANNED, kind=PlannedOrder.Kind.MAKE, due_date__gte=start,
            start_date__lte=end,
        ).values_list("item_id", "quantity", "start_date", "due_date")
    )  # fmt: skip
    ops: dict[int, list[tuple[int, Decimal, Decimal]]] = defaultdict(list)
    for item_id, wc_id, setup, run in RoutingOperation.objects.filter(
        routing__is_active=True, routing__item_id__in={p[0] for p in planned}
    ).values_list("routing__item_id", "work_center_id", "setup_minutes", "run_minutes_per_unit"):
        ops[item_id].append((wc_id, setup, run))
    for item_id, quantity, first, due in planned:
        for wc_id, setup, run in ops.get(item_id, ()):
            if wc_id in calendars:
                hours = (setup + run * quantity) / SIXTY
                _spread(load, calendars[wc_id], first, due, hours)
    for wc_id, hours, planned_start, due in ProductionOrderOperation.objects.filter(
        order__status__in=[ProductionOrder.Status.DRAFT, ProductionOrder.Status.RELEASED],
        order__due_date__gte=start,
    ).values_list("work_center_id", "planned_hours", "order__start_date", "order__due_date"):
        if wc_id in calendars:
            _spread(load, calendars[wc_id], planned_start or due, due, hours)
    dates = [start + dt.timedelta(days=n) for n in range(days)]
    return {
        "days": dates,
        "work_centers": [
            {
                "code": wc.code,
                "name": wc.name,
                "load": [load.get((wc.pk, day), ZERO) for day in dates],
                "capacity": [
                    wc.capacity_hours_per_day if wc.is_working_day(day) else ZERO for day in dates
                ],
            }
            for wc in centers
        ],
    }


def planned_order_roots(*, order: PlannedOrder) -> list[PlannedOrderPeg]:
    """The pegs that are no planned order, found by walking up the parents of ``order``: the
    sales orders, forecasts and production orders it serves in the end.

    One query per BOM level walked, never one per peg.
    """
    roots: list[PlannedOrderPeg] = []
    seen: set[int] = {order.pk}
    level = [order.pk]
    while level:
        pegs = list(
            PlannedOrderPeg.objects.filter(planned_order_id__in=level).select_related(
                "sales_order_line__order__customer", "forecast", "production_order"
            )
        )
        level = []
        for peg in pegs:
            if peg.kind == PlannedOrderPeg.Kind.PLANNED_ORDER:
                if peg.parent_id is not None and peg.parent_id not in seen:
                    seen.add(peg.parent_id)
                    level.append(peg.parent_id)
            else:
                roots.append(peg)
    return roots
