"""Material requirements planning over plain dataclasses: no ORM inside.

``plan(PlanInput) -> PlanResult`` is a regenerative run over the items it is given:

1. **Low-level codes** — each item's deepest level in any BOM, so an item used at two levels
   is netted once, after every parent that can cause demand for it.
2. **Demand** per item: independent (confirmed sales order lines; forecasts per period, less
   the sales orders of that period — consumed), dependent (the open components of existing
   production orders, and the components of the planned orders this run makes for parents),
   and the safety stock missing from stock on hand.
3. **Netting**, demands by date: stock on hand above safety stock first, then the open supply
   (purchase orders and requisitions, production orders, firm planned orders) in date order —
   a supply used before its date is to be rescheduled in — then new planned orders, sized by the
   item's lot sizing and offset by its lead time.
4. **Pegging**: every supply records the demands it serves (demand kind, reference, quantity),
   so a purchase can be followed up to the sales order that caused it.
5. **Exception messages** on open supply (expedite, reschedule in or out, cancel, past due) and
   **shortages**: needs that no supply can meet in time (a planned order that would have to
   start before today).

Quantities are ``Decimal``; dates are ``datetime.date``. Net change passes only the items
below a changed one (a set closed downwards in the BOM) with the dependent demand that parents
outside the set place on them as ``external`` demand.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal

from erp_core.planning.core.calendar import Operation, WorkCenterCalendar, back_schedule

ZERO = Decimal(0)
QUANTUM = Decimal("0.000001")
ONE_DAY = dt.timedelta(days=1)


class MrpCycleError(ValueError):
    """The bills of materials loop back on themselves; ``item_ids`` are on the loop."""

    def __init__(self, item_ids: Iterable[int]) -> None:
        self.item_ids = tuple(sorted(item_ids))
        super().__init__(f"BOM cycle through items {self.item_ids}")


class LotSizing:
    """The lot-sizing rules (as stored on the item)."""

    LOT_FOR_LOT = "lot_for_lot"
    FIXED = "fixed"
    MIN_MULTIPLE = "min_multiple"
    PERIOD = "period"


class DemandKind:
    """What causes a demand; the reference is the id of that row."""

    SALES_LINE = "sales_line"
    FORECAST = "forecast"
    PRODUCTION_ORDER = "production_order"  # a component of an existing production order
    PLANNED_ORDER = "planned_order"  # a component of a planned order of this run (its index)
    FIRM_PLANNED_ORDER = "firm_planned_order"  # a component of a firm planned order (its id)
    EXTERNAL = "external"  # net change: a parent's planned order kept from the last run (its id)
    SAFETY_STOCK = "safety_stock"


class SupplyKind:
    """Open supply the run nets against."""

    PURCHASE_ORDER_LINE = "purchase_order_line"
    REQUISITION_LINE = "requisition_line"
    PRODUCTION_ORDER = "production_order"
    FIRM_PLANNED_ORDER = "firm_planned_order"


class ExceptionKind:
    """The exception messages a run gives the planner about open supply."""

    EXPEDITE = "expedite"
    RESCHEDULE_IN = "reschedule_in"
    RESCHEDULE_OUT = "reschedule_out"
    CANCEL = "cancel"
    PAST_DUE = "past_due"


@dataclass(frozen=True)
class Component:
    """``quantity_per`` of ``item_id`` per unit of the parent (scrap included)."""

    item_id: int
    quantity_per: Decimal


@dataclass(frozen=True)
class PlanItem:
    """An item as planning sees it: make or buy, lead times, safety stock, lot sizing, BOM."""

    id: int
    make: bool = False
    purchase_lead_time_days: int = 0
    production_lead_time_days: int = 0
    safety_stock: Decimal = ZERO
    lot_sizing: str = LotSizing.LOT_FOR_LOT
    fixed_order_qty: Decimal | None = None
    min_order_qty: Decimal = Decimal(1)
    order_multiple: Decimal = Decimal(1)
    period_order_days: int = 7
    components: tuple[Component, ...] = ()
    operations: tuple[Operation, ...] = ()


@dataclass(frozen=True)
class Demand:
    """``quantity`` of ``item_id`` needed on ``date``, caused by ``kind`` / ``ref``."""

    item_id: int
    date: dt.date
    quantity: Decimal
    kind: str
    ref: int


@dataclass(frozen=True)
class Forecast:
    """Expected sales of ``item_id`` from ``start`` to ``end`` (inclusive), row ``id``."""

    id: int
    item_id: int
    start: dt.date
    end: dt.date
    quantity: Decimal


@dataclass(frozen=True)
class Supply:
    """Open supply: ``quantity`` of ``item_id`` expected on ``date`` from ``kind`` / ``ref``."""

    item_id: int
    date: dt.date
    quantity: Decimal
    kind: str
    ref: int


@dataclass(slots=True)
class Peg:
    """``quantity`` of a supply serves the demand ``kind`` / ``ref`` (needed on ``date``)."""

    kind: str
    ref: int
    quantity: Decimal
    date: dt.date


@dataclass(slots=True)
class PlannedOrder:
    """A proposed order: buy or make ``quantity`` of ``item_id``, from ``start`` to ``due``.

    ``index`` is its place in ``PlanResult.planned_orders``; components of a made item are
    pegged to it as ``DemandKind.PLANNED_ORDER`` with this index.
    """

    index: int
    item_id: int
    make: bool
    quantity: Decimal
    start: dt.date
    due: dt.date
    pegs: list[Peg] = field(default_factory=list)


@dataclass(frozen=True)
class ExceptionMessage:
    """What the planner should do about an open supply (or a planned order, ``supply=None``)."""

    kind: str
    item_id: int
    supply_kind: str
    supply_ref: int
    date: dt.date
    suggested_date: dt.date | None
    quantity: Decimal


@dataclass(slots=True)
class Shortage:
    """``quantity`` of ``item_id`` cannot be had by ``date``; the demands it hurts."""

    item_id: int
    date: dt.date
    quantity: Decimal
    pegs: list[Peg] = field(default_factory=list)


@dataclass
class PlanInput:
    """Everything a run needs, loaded by the service; ``today`` is the run's date."""

    today: dt.date
    items: dict[int, PlanItem]
    on_hand: dict[int, Decimal] = field(default_factory=dict)
    demands: list[Demand] = field(default_factory=list)
    forecasts: list[Forecast] = field(default_factory=list)
    supplies: list[Supply] = field(default_factory=list)
    calendars: dict[int, WorkCenterCalendar] = field(default_factory=dict)
    #: components of firm planned orders: (firm order id, item id, start date, quantity)
    firm_components: list[Demand] = field(default_factory=list)


@dataclass
class PlanResult:
    """The run's output: planned orders, pegs of open supply, exceptions, shortages."""

    low_level_codes: dict[int, int]
    planned_orders: list[PlannedOrder]
    supply_pegs: dict[tuple[str, int], list[Peg]]
    exceptions: list[ExceptionMessage]
    shortages: list[Shortage]


# --- Low-level codes -------------------------------------------------------------------------


def low_level_codes(items: dict[int, PlanItem]) -> dict[int, int]:
    """Each item's deepest level in any BOM (0: never a component), by longest path.

    Raises ``MrpCycleError`` when the BOMs loop.
    """
    parents_left: dict[int, int] = defaultdict(int)
    for item in items.values():
        for component in item.components:
            parents_left[component.item_id] += 1
    code = dict.fromkeys(items, 0)
    ready = [item_id for item_id in items if parents_left[item_id] == 0]
    done = 0
    while ready:
        item_id = ready.pop()
        done += 1
        parent = items.get(item_id)
        if parent is None:
            continue
        for component in parent.components:
            child = component.item_id
            if code.get(child, 0) < code[item_id] + 1:
                code[child] = code[item_id] + 1
            parents_left[child] -= 1
            if parents_left[child] == 0:
                ready.append(child)
    known = set(items) | set(parents_left)
    if done < len(known):
        raise MrpCycleError(item_id for item_id in known if parents_left[item_id] > 0)
    return code


# --- Lot sizing ------------------------------------------------------------------------------


def _round_up(quantity: Decimal, multiple: Decimal) -> Decimal:
    if multiple <= 0:
        return quantity
    return (quantity / multiple).to_integral_value(rounding=ROUND_CEILING) * multiple


def lot_size(item: PlanItem, net: Decimal, window: Decimal = ZERO) -> Decimal:
    """The quantity to order for a net requirement ``net``.

    ``window`` is what the later demands within the item's period of supply add to it (only
    period order quantity reads it). Lot for lot orders exactly the net; fixed orders as many
    fixed lots as cover it; minimum and multiple (and period order quantity) round up to the
    multiple, at least the minimum.
    """
    if item.lot_sizing == LotSizing.FIXED and item.fixed_order_qty:
        return _round_up(net, item.fixed_order_qty)
    if item.lot_sizing == LotSizing.MIN_MULTIPLE:
        return _round_up(max(net, item.min_order_qty), item.order_multiple)
    if item.lot_sizing == LotSizing.PERIOD:
        return _round_up(max(net + window, item.min_order_qty), item.order_multiple)
    return net


# --- Lead time -------------------------------------------------------------------------------


def start_date(
    item: PlanItem, due: dt.date, quantity: Decimal, calendars: dict[int, WorkCenterCalendar]
) -> dt.date:
    """When an order of ``quantity`` must start to be done by ``due``.

    Bought: the purchase lead time before. Made: the routing scheduled backwards on its work
    centers' calendars, or without a routing the production lead time in calendar days.
    """
    if not item.make:
        return due - dt.timedelta(days=item.purchase_lead_time_days)
    if item.operations:
        return back_schedule(
            due=due, quantity=quantity, operations=item.operations, calendars=calendars
        )
    return due - dt.timedelta(days=item.production_lead_time_days)


# --- The run ---------------------------------------------------------------------------------


@dataclass(slots=True)
class _Lot:
    """A supply being used up in the netting of one item."""

    kind: str  # "on_hand", a SupplyKind, or "planned"
    ref: int
    date: dt.date
    left: Decimal
    pegs: list[Peg]
    planned: PlannedOrder | None = None
    quantity: Decimal = ZERO  # what an open supply brings, for its exception messages


def _consumed_forecasts(
    forecasts: list[Forecast], demands: list[Demand], today: dt.date
) -> list[Demand]:
    """Forecast demand left after the period's sales orders consumed it, dated at the later of
    the period's start and today; past periods are dropped."""
    sold: dict[int, list[Demand]] = defaultdict(list)
    for demand in demands:
        if demand.kind == DemandKind.SALES_LINE:
            sold[demand.item_id].append(demand)
    result = []
    for forecast in forecasts:
        if forecast.end < today or forecast.quantity <= 0:
            continue
        orders = sum(
            (
                d.quantity
                for d in sold.get(forecast.item_id, ())
                if forecast.start <= d.date <= forecast.end
            ),
            ZERO,
        )
        left = forecast.quantity - orders
        if left > 0:
            result.append(
                Demand(
                    forecast.item_id, max(forecast.start, today), left, DemandKind.FORECAST,
                    forecast.id,
                )
            )  # fmt: skip
    return result


def plan(data: PlanInput) -> PlanResult:
    """Plan every item of ``data``; see the module's docstring for the steps."""
    items = data.items
    today = data.today
    codes = low_level_codes(items)
    demands: dict[int, list[Demand]] = defaultdict(list)
    for demand in data.demands:
        demands[demand.item_id].append(demand)
    for demand in _consumed_forecasts(data.forecasts, data.demands, today):
        demands[demand.item_id].append(demand)
    for demand in data.firm_components:
        demands[demand.item_id].append(demand)
    supplies: dict[int, list[Supply]] = defaultdict(list)
    for supply in data.supplies:
        supplies[supply.item_id].append(supply)

    planned_orders: list[PlannedOrder] = []
    supply_pegs: dict[tuple[str, int], list[Peg]] = {}
    exceptions: list[ExceptionMessage] = []
    shortages: list[Shortage] = []

    by_level: dict[int, list[int]] = defaultdict(list)
    for item_id in items:
        by_level[codes[item_id]].append(item_id)
    for level in sorted(by_level):
        for item_id in sorted(by_level[level]):
            item = items[item_id]
            _net_item(
                item=item,
                today=today,
                on_hand=data.on_hand.get(item_id, ZERO),
                demands=demands.get(item_id, []),
                supplies=supplies.get(item_id, []),
                calendars=data.calendars,
                planned_orders=planned_orders,
                supply_pegs=supply_pegs,
                exceptions=exceptions,
                shortages=shortages,
                dependent=demands,
            )
    return PlanResult(codes, planned_orders, supply_pegs, exceptions, shortages)


def _net_item(
    *,
    item: PlanItem,
    today: dt.date,
    on_hand: Decimal,
    demands: list[Demand],
    supplies: list[Supply],
    calendars: dict[int, WorkCenterCalendar],
    planned_orders: list[PlannedOrder],
    supply_pegs: dict[tuple[str, int], list[Peg]],
    exceptions: list[ExceptionMessage],
    shortages: list[Shortage],
    dependent: dict[int, list[Demand]],
) -> None:
    """Net one item's demands against its stock and supply; plan what is missing."""
    free = on_hand - item.safety_stock
    demands = list(demands)
    if free < 0:
        demands.append(Demand(item.id, today, -free, DemandKind.SAFETY_STOCK, item.id))
        free = ZERO
    if not demands and not supplies:
        return
    # Needs dated before today are needed today; the pegs keep the date they were wanted.
    demands.sort(key=lambda d: (d.date if d.date > today else today, d.kind, d.ref))
    whens = [d.date if d.date > today else today for d in demands]
    lots: list[_Lot] = []
    if free > 0:
        lots.append(_Lot("on_hand", item.id, today, free, []))
    existing = [
        _Lot(s.kind, s.ref, s.date, s.quantity, [], quantity=s.quantity)
        for s in sorted(supplies, key=lambda s: (s.date, s.kind, s.ref))
        if s.quantity > 0
    ]
    lots.extend(existing)
    lot_index = 0
    n_lots = len(lots)
    for position, demand in enumerate(demands):
        need = demand.quantity
        when = whens[position]
        while need > 0:
            while lot_index < n_lots and lots[lot_index].left <= 0:
                lot_index += 1
            if lot_index == n_lots:
                lot = _new_planned(item, when, need, demands, whens, position, calendars,
                                   planned_orders)  # fmt: skip
                lots.append(lot)
                n_lots += 1
                if lot.planned is not None and lot.planned.start < today:
                    # It cannot arrive in time: the demand is short until it does.
                    shortages.append(
                        Shortage(item.id, when, need,
                                 [Peg(demand.kind, demand.ref, need, demand.date)])
                    )  # fmt: skip
            lot = lots[lot_index]
            left = lot.left
            if left >= need:
                lot.left = left - need
                lot.pegs.append(Peg(demand.kind, demand.ref, need, demand.date))
                break
            lot.left = ZERO
            need -= left
            lot.pegs.append(Peg(demand.kind, demand.ref, left, demand.date))
    for lot in existing:
        supply_pegs[(lot.kind, lot.ref)] = lot.pegs
        _supply_exceptions(item, lot, today, exceptions)
    for lot in lots:
        if lot.planned is not None:
            lot.planned.pegs = lot.pegs
            if item.make:
                for component in item.components:
                    dependent[component.item_id].append(
                        Demand(
                            component.item_id, lot.planned.start,
                            (lot.planned.quantity * component.quantity_per).quantize(QUANTUM),
                            DemandKind.PLANNED_ORDER, lot.planned.index,
                        )
                    )  # fmt: skip


def _new_planned(
    item: PlanItem,
    when: dt.date,
    need: Decimal,
    demands: list[Demand],
    whens: list[dt.date],
    position: int,
    calendars: dict[int, WorkCenterCalendar],
    planned_orders: list[PlannedOrder],
) -> _Lot:
    """A planned order due ``when`` for ``need`` (lot-sized), as a lot."""
    # Daily buckets: one order covers every later need of the same day (and, with period order
    # quantity, of the item's period).
    days = item.period_order_days if item.lot_sizing == LotSizing.PERIOD else 1
    horizon = when + dt.timedelta(days=days)
    window = ZERO
    index = position + 1
    count = len(whens)
    while index < count and whens[index] < horizon:
        window += demands[index].quantity
        index += 1
    if item.lot_sizing == LotSizing.PERIOD:
        quantity = lot_size(item, need, window)
    else:
        quantity = lot_size(item, need + window)
    start = start_date(item, when, quantity, calendars)
    order = PlannedOrder(len(planned_orders), item.id, item.make, quantity, start, when)
    planned_orders.append(order)
    return _Lot("planned", order.index, when, quantity, [], planned=order)


def _supply_exceptions(
    item: PlanItem,
    lot: _Lot,
    today: dt.date,
    exceptions: list[ExceptionMessage],
) -> None:
    """The messages about one open supply once its item is netted."""
    quantity = lot.quantity
    if lot.date < today:
        exceptions.append(
            ExceptionMessage(ExceptionKind.PAST_DUE, item.id, lot.kind, lot.ref, lot.date,
                             today, quantity)
        )  # fmt: skip
    if not lot.pegs:
        exceptions.append(
            ExceptionMessage(ExceptionKind.CANCEL, item.id, lot.kind, lot.ref, lot.date, None,
                             quantity)
        )  # fmt: skip
        return
    first = max(min(p.date for p in lot.pegs), today)
    supply_date = max(lot.date, today)
    if first < lot.date:
        kind = ExceptionKind.EXPEDITE if first <= today else ExceptionKind.RESCHEDULE_IN
        exceptions.append(
            ExceptionMessage(kind, item.id, lot.kind, lot.ref, lot.date, first, quantity)
        )
    elif first > supply_date:
        exceptions.append(
            ExceptionMessage(ExceptionKind.RESCHEDULE_OUT, item.id, lot.kind, lot.ref, lot.date,
                             first, quantity)
        )  # fmt: skip


def root_demands(planned_index: int, planned_orders: list[PlannedOrder]) -> list[tuple[str, int]]:
    """The demands (kind, ref) that are no planned order, a planned order serves up the BOM:
    "which sales order caused this purchase?"."""
    seen: set[int] = set()
    result: dict[tuple[str, int], None] = {}
    stack = [planned_index]
    while stack:
        index = stack.pop()
        if index in seen:
            continue
        seen.add(index)
        for peg in planned_orders[index].pegs:
            if peg.kind == DemandKind.PLANNED_ORDER:
                stack.append(peg.ref)
            else:
                result[(peg.kind, peg.ref)] = None
    return list(result)
