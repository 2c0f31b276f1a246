"""The MRP core on hand-worked examples: netting, lot sizing, lead-time offset, pegging, an item
used at two levels netted once, exception messages and shortages."""

import datetime as dt
from decimal import Decimal as D

import pytest

from erp_core.planning.core.calendar import Operation, WorkCenterCalendar, back_schedule
from erp_core.planning.core.mrp import (
    Component,
    Demand,
    DemandKind,
    ExceptionKind,
    Forecast,
    LotSizing,
    MrpCycleError,
    PlanInput,
    PlanItem,
    Supply,
    SupplyKind,
    lot_size,
    low_level_codes,
    plan,
    root_demands,
)

TODAY = dt.date(2026, 1, 5)  # a Monday
FG, SUB, RAW = 1, 2, 3


def day(n: int) -> dt.date:
    return dt.date(2026, 1, n)


def three_levels() -> dict[int, PlanItem]:
    """FG = 2 SUB + 1 RAW; SUB = 3 RAW: RAW is used at levels 1 and 2."""
    return {
        FG: PlanItem(FG, make=True, production_lead_time_days=2,
                     components=(Component(SUB, D(2)), Component(RAW, D(1)))),
        SUB: PlanItem(SUB, make=True, production_lead_time_days=3, lot_sizing=LotSizing.FIXED,
                      fixed_order_qty=D(50), components=(Component(RAW, D(3)),)),
        RAW: PlanItem(RAW, purchase_lead_time_days=5, safety_stock=D(10),
                      lot_sizing=LotSizing.MIN_MULTIPLE, min_order_qty=D(100),
                      order_multiple=D(25)),
    }  # fmt: skip


def run_three_levels():
    return plan(
        PlanInput(
            today=TODAY,
            items=three_levels(),
            on_hand={FG: D(5), RAW: D(20)},
            demands=[Demand(FG, day(20), D(25), DemandKind.SALES_LINE, 101)],
            supplies=[Supply(RAW, day(25), D(30), SupplyKind.PURCHASE_ORDER_LINE, 7)],
        )
    )


def test_an_item_used_at_two_levels_gets_the_deepest_level_code():
    assert low_level_codes(three_levels()) == {FG: 0, SUB: 1, RAW: 2}


def test_a_bom_cycle_is_refused():
    items = {1: PlanItem(1, make=True, components=(Component(2, D(1)),)),
             2: PlanItem(2, make=True, components=(Component(1, D(1)),))}  # fmt: skip
    with pytest.raises(MrpCycleError):
        low_level_codes(items)


def test_multi_level_netting_lot_sizing_and_lead_time_offset():
    result = run_three_levels()
    orders = [(o.item_id, o.quantity, o.start, o.due) for o in result.planned_orders]
    assert orders == [
        # FG: 25 needed, 5 on hand → 20, lot for lot, 2 days
        (FG, D(20), day(18), day(20)),
        # SUB: 2 × 20 = 40 at the FG start → one fixed lot of 50, 3 days
        (SUB, D(50), day(15), day(18)),
        # RAW, netted once for both levels: 150 on the 15th less 10 free (20 − safety 10)
        # less the PO's 30 → 110 → min 100, multiple 25 → 125, 5 days before
        (RAW, D(125), day(10), day(15)),
        # 20 for FG on the 18th: 15 left over from the lot above → 5 → the minimum 100
        (RAW, D(100), day(13), day(18)),
    ]


def test_pegging_runs_from_a_purchase_up_to_the_sales_order():
    result = run_three_levels()
    raw_first, raw_second = result.planned_orders[2], result.planned_orders[3]
    assert [(p.kind, p.ref, p.quantity) for p in raw_first.pegs] == [
        (DemandKind.PLANNED_ORDER, 1, D(110)),
        (DemandKind.PLANNED_ORDER, 0, D(15)),
    ]
    assert [(p.kind, p.ref, p.quantity) for p in raw_second.pegs] == [
        (DemandKind.PLANNED_ORDER, 0, D(5))
    ]
    assert root_demands(3, result.planned_orders) == [(DemandKind.SALES_LINE, 101)]
    assert root_demands(2, result.planned_orders) == [(DemandKind.SALES_LINE, 101)]
    # the open purchase order serves the SUB order too (and so the sales order)
    assert [
        (p.kind, p.ref, p.quantity) for p in result.supply_pegs[("purchase_order_line", 7)]
    ] == [(DemandKind.PLANNED_ORDER, 1, D(30))]


def test_an_open_purchase_needed_earlier_is_rescheduled_in():
    result = run_three_levels()
    assert [(e.kind, e.supply_ref, e.date, e.suggested_date) for e in result.exceptions] == [
        (ExceptionKind.RESCHEDULE_IN, 7, day(25), day(15))
    ]
    assert result.shortages == []


def test_unneeded_supply_is_cancelled_and_late_one_is_rescheduled_out():
    items = {RAW: PlanItem(RAW, purchase_lead_time_days=1)}
    result = plan(
        PlanInput(
            today=TODAY,
            items=items,
            demands=[Demand(RAW, day(20), D(10), DemandKind.SALES_LINE, 1)],
            supplies=[
                Supply(RAW, day(8), D(10), SupplyKind.PURCHASE_ORDER_LINE, 1),
                Supply(RAW, day(9), D(10), SupplyKind.PRODUCTION_ORDER, 2),
            ],
        )
    )
    assert result.planned_orders == []
    assert [(e.kind, e.supply_ref, e.suggested_date) for e in result.exceptions] == [
        (ExceptionKind.RESCHEDULE_OUT, 1, day(20)),
        (ExceptionKind.CANCEL, 2, None),
    ]


def test_past_due_supply_and_expedite():
    items = {RAW: PlanItem(RAW, purchase_lead_time_days=1)}
    result = plan(
        PlanInput(
            today=TODAY,
            items=items,
            demands=[Demand(RAW, day(2), D(10), DemandKind.SALES_LINE, 1)],
            supplies=[
                Supply(RAW, day(3), D(4), SupplyKind.PURCHASE_ORDER_LINE, 1),
                Supply(RAW, day(12), D(6), SupplyKind.PURCHASE_ORDER_LINE, 2),
            ],
        )
    )
    kinds = [(e.kind, e.supply_ref) for e in result.exceptions]
    assert kinds == [(ExceptionKind.PAST_DUE, 1), (ExceptionKind.EXPEDITE, 2)]


def test_a_need_inside_the_lead_time_is_a_shortage_pegged_to_its_order():
    items = {RAW: PlanItem(RAW, purchase_lead_time_days=10)}
    result = plan(
        PlanInput(
            today=TODAY,
            items=items,
            demands=[Demand(RAW, day(8), D(7), DemandKind.SALES_LINE, 55)],
        )
    )
    (order,) = result.planned_orders
    assert (order.start, order.due) == (dt.date(2025, 12, 29), day(8))
    (shortage,) = result.shortages
    assert (shortage.item_id, shortage.date, shortage.quantity) == (RAW, day(8), D(7))
    assert [(p.kind, p.ref) for p in shortage.pegs] == [(DemandKind.SALES_LINE, 55)]


def test_period_order_quantity_covers_the_needs_of_its_period():
    items = {RAW: PlanItem(RAW, lot_sizing=LotSizing.PERIOD, period_order_days=7)}
    demands = [Demand(RAW, day(n), D(10), DemandKind.SALES_LINE, n) for n in (6, 9, 12, 13, 20)]
    result = plan(PlanInput(today=TODAY, items=items, demands=demands))
    # 6th, 9th, 12th within 7 days of the 6th; 13th and 20th start the next periods
    assert [(o.due, o.quantity) for o in result.planned_orders] == [
        (day(6), D(30)),
        (day(13), D(10)),
        (day(20), D(10)),
    ]


def test_lot_sizing_rules():
    assert lot_size(PlanItem(1), D("7.5")) == D("7.5")
    fixed = PlanItem(1, lot_sizing=LotSizing.FIXED, fixed_order_qty=D(40))
    assert lot_size(fixed, D(41)) == D(80)
    minmult = PlanItem(1, lot_sizing=LotSizing.MIN_MULTIPLE, min_order_qty=D(30),
                       order_multiple=D(12))  # fmt: skip
    assert lot_size(minmult, D(5)) == D(36)
    assert lot_size(minmult, D(37)) == D(48)


def test_forecast_is_consumed_by_the_sales_orders_of_its_period():
    items = {FG: PlanItem(FG)}
    result = plan(
        PlanInput(
            today=TODAY,
            items=items,
            demands=[Demand(FG, day(14), D(30), DemandKind.SALES_LINE, 1)],
            forecasts=[
                Forecast(9, FG, day(12), day(18), D(100)),
                Forecast(10, FG, dt.date(2025, 12, 1), dt.date(2025, 12, 31), D(50)),  # past
            ],
        )
    )
    assert [(o.due, o.quantity, [(p.kind, p.quantity) for p in o.pegs])
            for o in result.planned_orders] == [
        (day(12), D(70), [(DemandKind.FORECAST, D(70))]),
        (day(14), D(30), [(DemandKind.SALES_LINE, D(30))]),
    ]  # fmt: skip


def test_safety_stock_missing_from_stock_is_planned_today():
    items = {RAW: PlanItem(RAW, safety_stock=D(20))}
    result = plan(PlanInput(today=TODAY, items=items, on_hand={RAW: D(5)}))
    (order,) = result.planned_orders
    assert (order.quantity, order.due, order.pegs[0].kind) == (
        D(15),
        TODAY,
        DemandKind.SAFETY_STOCK,
    )


def test_production_lead_time_runs_the_routing_back_on_the_work_center_calendar():
    weekdays = WorkCenterCalendar(1, "1111100", D(480))  # 8 h, Monday to Friday
    every_day = WorkCenterCalendar(2, "1111111", D(960))
    operations = (
        Operation(1, D(60), D(10)),  # 60 + 10 × 90 = 960 min → 2 working days
        Operation(2, D(0), D(5)),  # 450 min → 1 day
    )
    # due Monday 19th: op 2 on Mon 19th; op 1 ends Fri 16th (weekend skipped), starts Thu 15th
    start = back_schedule(
        due=day(19), quantity=D(90), operations=operations, calendars={1: weekdays, 2: every_day}
    )
    assert start == day(15)
    items = {FG: PlanItem(FG, make=True, operations=operations)}
    result = plan(
        PlanInput(
            today=TODAY, items=items, calendars={1: weekdays, 2: every_day},
            demands=[Demand(FG, day(19), D(90), DemandKind.SALES_LINE, 1)],
        )
    )  # fmt: skip
    assert result.planned_orders[0].start == day(15)
