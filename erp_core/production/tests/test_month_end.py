"""Production in the books an auditor reads: output of an item at an actual cost takes the
order's actual cost, its variance goes to cost of sales (1404 only for standard cost); the
month-end close clears 5101 (to cost of sales or to the period's orders) and settles what a
backdated move re-valued on a closed order; reconcile checks WIP against the open orders and
5101 after a month's close."""

from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.db.models import Sum
from django.utils import timezone

from erp_core.ledger import closing, selectors
from erp_core.ledger.models import FiscalPeriod, JournalLine
from erp_core.ledger.services import company_settings_update
from erp_core.production import services
from erp_core.production.models import ProductionCostAdjustment
from erp_core.production.reconcile import check_overhead_cleared, check_wip_matches_open_orders
from erp_core.production.selectors import production_order_stock_moves
from erp_core.production.services.closing import order_wip
from erp_core.stock.models import StockMove
from erp_core.stock.services import stock_consume, stock_issue, stock_receipt

pytestmark = pytest.mark.django_db


def _balance(code: str) -> D:
    totals = JournalLine.objects.filter(entry__status="posted", account__code=code).aggregate(
        debit=Sum("debit"), credit=Sum("credit")
    )
    return (totals["debit"] or D(0)) - (totals["credit"] or D(0))


def _wip() -> D:
    totals = JournalLine.objects.filter(
        entry__status="posted", account__code__startswith="5001"
    ).aggregate(debit=Sum("debit"), credit=Sum("credit"))
    return (totals["debit"] or D(0)) - (totals["credit"] or D(0))


def _moving_average(plant):
    plant.gearbox.costing_method = "moving_average"
    plant.gearbox.save()


def _worked(plant, quantity="10"):
    """An order that consumed 20 shafts (200.00) and booked 1 h machine + 1 h labour (130.00)."""
    order = plant.released(quantity)
    services.production_order_consume(order=order, item=plant.shaft, quantity=D("20"))
    operation = order.operations.get()
    services.production_order_book_time(
        order=order, operation=operation, machine_hours=D("1"), labour_hours=D("1")
    )
    return order


def _month():
    return selectors.period_for_date(date=timezone.localdate())


def test_output_of_an_item_at_an_actual_cost_takes_the_orders_actual_cost(plant):
    _moving_average(plant)
    order = _worked(plant)
    order = services.production_order_report_output(order=order, quantity=D("10"))
    move = production_order_stock_moves(order=order).get(reason="production_output")
    # 200.00 materials + 80.00 machine + 50.00 labour for 10: 33.00 each, not the planned 46.00
    assert move.unit_cost == D("33.000000")
    assert order.output_value == D("330.00")
    order = services.production_order_close(order=order, actor=None)
    assert order.variance == D("0")
    assert order.closing_entry.lines.filter(account__code="1404").count() == 0
    assert _wip() == 0


def test_partial_output_takes_its_share_of_the_wip_so_far(plant):
    _moving_average(plant)
    order = _worked(plant)
    order = services.production_order_report_output(order=order, quantity=D("4"))
    assert order.output_value == D("132.00")  # 330.00 × 4 / 10
    order = services.production_order_report_output(order=order, quantity=D("6"))
    assert order.output_value == D("330.00")
    assert order_wip(order) == 0


def test_an_actual_cost_items_variance_goes_to_cost_of_sales_not_1404(plant):
    _moving_average(plant)
    order = _worked(plant)
    order = services.production_order_report_output(order=order, quantity=D("4"))
    order = services.production_order_complete(order=order, actor=None)
    order = services.production_order_close(order=order, actor=None)
    lines = {ln.account.code: (ln.debit, ln.credit) for ln in order.closing_entry.lines.all()}
    # 330.00 in WIP, 132.00 taken by the 4 made: 198.00 to cost of sales
    assert lines["6401"] == (D("198.00"), D("0"))
    assert "1404" not in lines
    assert _wip() == 0


def test_a_standard_cost_items_variance_stays_on_1404(plant):
    order = _worked(plant)
    order = services.production_order_report_output(order=order, quantity=D("10"))
    order = services.production_order_close(order=order, actor=None)
    lines = {ln.account.code: (ln.debit, ln.credit) for ln in order.closing_entry.lines.all()}
    # 330.00 actual against 460.00 at standard: 130.00 favourable on 1404
    assert lines["1404"] == (D("0"), D("130.00"))
    assert "6401" not in lines


def test_month_end_clears_overhead_to_cost_of_sales(plant):
    order = _worked(plant)  # 80.00 absorbed: Cr 5101
    stock_issue(item=plant.oil, warehouse=plant.stores, quantity=D("50"))  # 150.00 incurred
    assert _balance("5101") == D("70.00")
    cost_of_sales = _balance("6401")
    closing.period_month_end_close(period=_month(), user=None)
    assert _balance("5101") == 0
    assert _balance("6401") - cost_of_sales == D("70.00")
    assert order_wip(order) == D("330.00")
    assert check_overhead_cleared() == []


def test_month_end_allocates_overhead_to_the_orders_by_machine_time(plant):
    company_settings_update(overhead_allocation="orders")
    first = _worked(plant)  # 80.00 absorbed
    second = plant.released("10")
    operation = second.operations.get()
    services.production_order_book_time(order=second, operation=operation, machine_hours=D("3"))
    stock_issue(item=plant.oil, warehouse=plant.stores, quantity=D("100"))  # 300.00 incurred
    assert _balance("5101") == D("-20.00")  # 300.00 − 320.00 absorbed: over-absorbed
    closing.period_month_end_close(period=_month(), user=None)
    assert _balance("5101") == 0
    shares = dict(
        ProductionCostAdjustment.objects.filter(kind="overhead").values_list("order", "amount")
    )
    assert shares == {first.pk: D("-5.00"), second.pk: D("-15.00")}
    assert order_wip(first) == D("325.00")
    assert check_wip_matches_open_orders() == []
    # The first order's close (next month: the test reopens the period by hand, keeping the
    # allocation) takes the allocation into its machine cost.
    FiscalPeriod.objects.filter(pk=_month().pk).update(status="open")
    first.refresh_from_db()
    first = services.production_order_report_output(order=first, quantity=D("10"))
    assert first.output_value == D("460.00")  # at standard
    first = services.production_order_close(order=first, actor=None)
    assert first.machine_cost == D("75.00")
    assert first.actual_cost == D("325.00")


def test_reopening_the_month_takes_the_allocation_back(plant):
    company_settings_update(overhead_allocation="orders")
    order = _worked(plant)
    stock_issue(item=plant.oil, warehouse=plant.stores, quantity=D("30"))  # 90.00 incurred
    period = _month()
    closing.period_month_end_close(period=period, user=None)
    assert order_wip(order) == D("340.00")
    closing.period_month_end_reopen(period=period, user=None)
    assert order_wip(order) == D("330.00")
    assert _balance("5101") == D("10.00")
    assert check_wip_matches_open_orders() == []


def test_reconcile_reports_overhead_left_after_a_months_close(plant):
    period = _month()
    closing.period_month_end_close(period=period, user=None)
    period.status = "open"  # bypass the guard: something posted after the close
    period.save(update_fields=["status"])
    move = stock_issue(item=plant.oil, warehouse=plant.stores, quantity=D("1"))
    (breach,) = check_overhead_cleared()
    assert breach.check == "overhead_cleared"
    assert f"JournalEntry {move.journal_entry.number}" in breach.documents


def test_wip_check_finds_consumption_on_no_order(plant):
    _worked(plant)
    assert check_wip_matches_open_orders() == []
    move = stock_consume(item=plant.oil, warehouse=plant.stores, quantity=D("1"))
    (breach,) = check_wip_matches_open_orders()
    assert breach.check == "wip_matches_orders"
    assert f"JournalEntry {move.journal_entry.number}" in breach.documents


def test_a_backdated_move_after_the_close_is_settled_by_the_month_end(plant):
    order = _worked(plant)
    order = services.production_order_report_output(order=order, quantity=D("10"))
    order = services.production_order_close(order=order, actor=None)
    assert _wip() == 0
    # 100 shafts at 40.00 received a day before the fixture's 100 at 10.00: the average the
    # 20 shafts were consumed at becomes 25.00, +300.00 on the closed order's consumption.
    stock_receipt(
        item=plant.shaft,
        warehouse=plant.stores,
        quantity=D("100"),
        unit_cost=D("40"),
        moved_at=timezone.now() - timedelta(days=1),
    )
    assert StockMove.objects.filter(reason="revaluation", item=plant.shaft).exists()
    assert _wip() == D("300.00")
    (breach,) = check_wip_matches_open_orders()
    assert any(order.number in document for document in breach.documents)
    variance = _balance("1404")
    closing.period_month_end_close(period=_month(), user=None)
    assert _wip() == 0
    assert _balance("1404") - variance == D("300.00")
    assert check_wip_matches_open_orders() == []
    (late,) = ProductionCostAdjustment.objects.filter(kind="late_cost")
    assert late.order == order and late.amount == D("300.00")
