"""Load the MRP core's input in bulk: a fixed number of queries, whatever the number of items.

Rows are read as tuples (``values_list``), never as model instances, so a run over tens of
thousands of items and lines stays within seconds and a few hundred megabytes.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F, Sum

from erp_core.masterdata.models import BomLine, Item, RoutingOperation, WorkCenter
from erp_core.planning.core.calendar import Operation, WorkCenterCalendar
from erp_core.planning.core.mrp import (
    Component,
    Demand,
    DemandKind,
    Forecast,
    PlanInput,
    PlanItem,
    Supply,
    SupplyKind,
)
from erp_core.planning.models import Forecast as ForecastRow
from erp_core.planning.models import PlannedOrder
from erp_core.production.models import ProductionOrder, ProductionOrderMaterial
from erp_core.purchasing.models import (
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseRequisition,
    PurchaseRequisitionLine,
)
from erp_core.sales.models import SalesOrder, SalesOrderLine
from erp_core.stock.models import StockBalance

ZERO = Decimal(0)
Q6 = Decimal("0.000001")
HUNDRED = Decimal(100)
SIXTY = Decimal(60)
OPEN_PRODUCTION = (
    ProductionOrder.Status.DRAFT,
    ProductionOrder.Status.RELEASED,
    ProductionOrder.Status.IN_PROGRESS,
)


@dataclass
class Loaded:
    """The core's input, and what the saving needs to name rows: document numbers of open
    supply and the sales order of each sales order line."""

    data: PlanInput
    supply_numbers: dict[tuple[str, int], str] = field(default_factory=dict)
    sales_order_of_line: dict[int, int] = field(default_factory=dict)
    parents: dict[int, set[int]] = field(default_factory=dict)


def _valid(rows, today: dt.date):
    """Per item, the id of the active version valid on ``today`` with the latest start."""
    best: dict[int, tuple[dt.date, int]] = {}
    for version_id, item_id, valid_from, valid_to in rows:
        if valid_from > today or (valid_to is not None and valid_to < today):
            continue
        current = best.get(item_id)
        if current is None or (valid_from, version_id) > current:
            best[item_id] = (valid_from, version_id)
    return {item_id: version_id for item_id, (_from, version_id) in best.items()}


def bom_components(today: dt.date) -> tuple[dict[int, list[Component]], set[int]]:
    """Each made item's components (scrap included) from its BOM valid today; phantoms are
    replaced by their own components. Returns the components and the phantom item ids."""
    lines = list(
        BomLine.objects.filter(bom__is_active=True).values_list(
            "bom_id",
            "bom__item_id",
            "bom__valid_from",
            "bom__valid_to",
            "component_id",
            "quantity_per",
            "scrap_percent",
            "is_phantom",
        )
    )
    valid = _valid({(row[0], row[1], row[2], row[3]) for row in lines}, today)
    valid_boms = set(valid.values())
    raw: dict[int, list[tuple[int, Decimal, bool]]] = defaultdict(list)
    phantoms: set[int] = set()
    for bom_id, item_id, _f, _t, component_id, per, scrap, phantom in lines:
        if bom_id in valid_boms:
            raw[item_id].append((component_id, per * (1 + scrap / HUNDRED), phantom))
            if phantom:
                phantoms.add(component_id)

    def expand(item_id: int, factor: Decimal, depth: int) -> list[tuple[int, Decimal]]:
        out = []
        for component_id, per, phantom in raw.get(item_id, ()):
            if phantom and component_id in raw and depth < 20:
                out.extend(expand(component_id, factor * per, depth + 1))
            else:
                out.append((component_id, factor * per))
        return out

    result: dict[int, list[Component]] = {}
    for item_id in raw:
        summed: dict[int, Decimal] = defaultdict(Decimal)
        for component_id, per in expand(item_id, Decimal(1), 0):
            summed[component_id] += per
        result[item_id] = [Component(c, q) for c, q in summed.items()]
    return result, phantoms


def _routings(today: dt.date, item_ids: Collection[int] | None) -> dict[int, tuple[Operation, ...]]:
    operations = RoutingOperation.objects.filter(routing__is_active=True)
    if item_ids is not None:
        operations = operations.filter(routing__item_id__in=item_ids)
    rows = list(
        operations.order_by("sequence", "pk").values_list(
            "routing_id",
            "routing__item_id",
            "routing__valid_from",
            "routing__valid_to",
            "work_center_id",
            "setup_minutes",
            "run_minutes_per_unit",
        )
    )
    valid = set(_valid({(r[0], r[1], r[2], r[3]) for r in rows}, today).values())
    result: dict[int, list[Operation]] = defaultdict(list)
    for routing_id, item_id, _f, _t, work_center_id, setup, run in rows:
        if routing_id in valid:
            result[item_id].append(Operation(work_center_id, setup, run))
    return {item_id: tuple(ops) for item_id, ops in result.items()}


def _calendars() -> dict[int, WorkCenterCalendar]:
    return {
        pk: WorkCenterCalendar(pk, days, machines * shifts * hours * SIXTY)
        for pk, days, machines, shifts, hours in WorkCenter.objects.values_list(
            "pk", "working_days", "machines", "shifts_per_day", "hours_per_shift"
        )
    }


Bom = tuple[dict[int, list[Component]], set[int]]


def load_plan_input(
    *, today: dt.date, item_ids: Collection[int] | None = None, bom: Bom | None = None
) -> Loaded:
    """Read everything a run over ``item_ids`` (every item when None) needs.

    For a subset (net change) the set is closed downwards by the caller; the planned and firm
    orders of parents outside the set place their components' demand on it as external demand.
    ``bom`` is ``bom_components(today)`` when the caller has read it already.
    """
    components, phantoms = bom if bom is not None else bom_components(today)
    operations = _routings(today, item_ids)
    items_qs = Item.objects.exclude(item_type=Item.ItemType.SERVICE)
    if item_ids is not None:
        items_qs = items_qs.filter(pk__in=item_ids)
    items: dict[int, PlanItem] = {}
    for row in items_qs.values_list(
        "pk",
        "make_or_buy",
        "purchase_lead_time_days",
        "production_lead_time_days",
        "safety_stock",
        "lot_sizing",
        "fixed_order_qty",
        "min_order_qty",
        "order_multiple",
        "period_order_days",
    ):
        pk, mob, buy_lt, make_lt, safety, sizing, fixed, min_qty, multiple, period = row
        if pk in phantoms:
            continue
        make = mob == Item.MakeOrBuy.MAKE
        items[pk] = PlanItem(
            pk,
            make=make,
            purchase_lead_time_days=buy_lt,
            production_lead_time_days=make_lt,
            safety_stock=safety,
            lot_sizing=sizing,
            fixed_order_qty=fixed,
            min_order_qty=min_qty,
            order_multiple=multiple,
            period_order_days=period,
            components=tuple(c for c in components.get(pk, ()) if c.item_id not in phantoms)
            if make
            else (),
            operations=operations.get(pk, ()) if make else (),
        )
    # Components outside the item set (inactive parents' BOMs…) are dropped from the BOMs.
    for pk, item in items.items():
        if any(c.item_id not in items for c in item.components):
            items[pk] = PlanItem(
                **{
                    **item.__dict__,
                    "components": tuple(c for c in item.components if c.item_id in items),
                }
            )

    def scoped(qs, field_name="item_id"):
        return qs if item_ids is None else qs.filter(**{f"{field_name}__in": item_ids})

    on_hand: dict[int, Decimal] = dict(
        scoped(StockBalance.objects.filter(warehouse__is_active=True))
        .values("item_id")
        .annotate(total=Sum("quantity"))
        .values_list("item_id", "total")
    )
    demands: list[Demand] = []
    sales_order_of_line: dict[int, int] = {}
    for line_id, order_id, item_id, open_qty, dates in (
        (r[0], r[1], r[2], r[3], r[4:])
        for r in scoped(SalesOrderLine.objects.filter(order__status=SalesOrder.Status.APPROVED))
        .annotate(open=F("quantity") - F("delivered_quantity") - F("closed_quantity"))
        .filter(open__gt=0)
        .values_list(
            "pk",
            "order_id",
            "item_id",
            "open",
            "promised_date",
            "requested_date",
            "order__promised_date",
            "order__requested_date",
            "order__date",
        )
    ):
        if item_id not in items:
            continue
        date = next(d for d in dates if d is not None)
        demands.append(Demand(item_id, date, open_qty, DemandKind.SALES_LINE, line_id))
        sales_order_of_line[line_id] = order_id

    forecasts = [
        Forecast(pk, item_id, start, end, qty)
        for pk, item_id, start, end, qty in scoped(
            ForecastRow.objects.filter(period_end__gte=today)
        ).values_list("pk", "item_id", "period_start", "period_end", "quantity")
        if item_id in items
    ]

    supplies: list[Supply] = []
    numbers: dict[tuple[str, int], str] = {}
    for pk, item_id, open_qty, number, *dates in (
        scoped(PurchaseOrderLine.objects.filter(order__status=PurchaseOrder.Status.APPROVED))
        .annotate(open=F("quantity") - F("received_quantity"))
        .filter(open__gt=0)
        .values_list(
            "pk",
            "item_id",
            "open",
            "order__number",
            "confirmed_date",
            "expected_date",
            "order__expected_date",
            "order__date",
        )
    ):
        if item_id in items:
            date = next(d for d in dates if d is not None)
            supplies.append(Supply(item_id, date, open_qty, SupplyKind.PURCHASE_ORDER_LINE, pk))
            numbers[(SupplyKind.PURCHASE_ORDER_LINE, pk)] = number
    for pk, item_id, open_qty, number, *dates in (
        scoped(
            PurchaseRequisitionLine.objects.filter(
                requisition__status__in=[
                    PurchaseRequisition.Status.DRAFT,
                    PurchaseRequisition.Status.APPROVED,
                ]
            )
        )
        .annotate(open=F("quantity") - F("ordered_quantity"))
        .filter(open__gt=0)
        .values_list(
            "pk", "item_id", "open", "requisition__number", "needed_by", "requisition__date"
        )
    ):
        if item_id in items:
            date = next(d for d in dates if d is not None)
            supplies.append(Supply(item_id, date, open_qty, SupplyKind.REQUISITION_LINE, pk))
            numbers[(SupplyKind.REQUISITION_LINE, pk)] = number
    for pk, item_id, open_qty, number, due in (
        scoped(ProductionOrder.objects.filter(status__in=OPEN_PRODUCTION))
        .annotate(open=F("quantity") - F("quantity_produced"))
        .filter(open__gt=0)
        .values_list("pk", "item_id", "open", "number", "due_date")
    ):
        if item_id in items:
            supplies.append(Supply(item_id, due, open_qty, SupplyKind.PRODUCTION_ORDER, pk))
            numbers[(SupplyKind.PRODUCTION_ORDER, pk)] = number
    for order_id, item_id, open_qty, start, due in (
        scoped(
            ProductionOrderMaterial.objects.filter(order__status__in=OPEN_PRODUCTION),
            "component_id",
        )
        .annotate(open=F("quantity_required") - F("quantity_consumed"))
        .filter(open__gt=0)
        .values_list("order_id", "component_id", "open", "order__start_date", "order__due_date")
    ):
        if item_id in items:
            demands.append(
                Demand(item_id, start or due, open_qty, DemandKind.PRODUCTION_ORDER, order_id)
            )

    firm_components: list[Demand] = []
    for pk, item_id, qty, start, due in scoped(
        PlannedOrder.objects.filter(status=PlannedOrder.Status.FIRM)
    ).values_list("pk", "item_id", "quantity", "start_date", "due_date"):
        if item_id not in items:
            continue
        supplies.append(Supply(item_id, due, qty, SupplyKind.FIRM_PLANNED_ORDER, pk))
        for component in items[item_id].components:
            firm_components.append(
                Demand(
                    component.item_id,
                    start,
                    (qty * component.quantity_per).quantize(Q6),
                    DemandKind.FIRM_PLANNED_ORDER,
                    pk,
                )
            )

    parents: dict[int, set[int]] = defaultdict(set)
    if item_ids is not None:
        # Parents outside the set keep their orders: what they need of the set is external.
        for parent_id, comps in components.items():
            for component in comps:
                parents[component.item_id].add(parent_id)
        outside = {p for c in items for p in parents.get(c, ()) if p not in items}
        for pk, parent_id, qty, start in PlannedOrder.objects.filter(
            item_id__in=outside,
            status__in=[PlannedOrder.Status.PLANNED, PlannedOrder.Status.FIRM],
        ).values_list("pk", "item_id", "quantity", "start_date"):
            for component in components.get(parent_id, ()):
                if component.item_id in items:
                    demands.append(
                        Demand(
                            component.item_id,
                            start,
                            (qty * component.quantity_per).quantize(Q6),
                            DemandKind.EXTERNAL,
                            pk,
                        )
                    )

    data = PlanInput(
        today=today,
        items=items,
        on_hand=on_hand,
        demands=demands,
        forecasts=forecasts,
        supplies=supplies,
        calendars=_calendars(),
        firm_components=firm_components,
    )
    return Loaded(data, numbers, sales_order_of_line, parents)


def items_below(*, item_ids: Collection[int], today: dt.date, bom: Bom | None = None) -> set[int]:
    """``item_ids`` and every item below them in the BOMs valid ``today`` (phantoms through)."""
    components, _phantoms = bom if bom is not None else bom_components(today)
    seen = set(item_ids)
    stack = list(item_ids)
    while stack:
        for component in components.get(stack.pop(), ()):
            if component.item_id not in seen:
                seen.add(component.item_id)
                stack.append(component.item_id)
    return seen
