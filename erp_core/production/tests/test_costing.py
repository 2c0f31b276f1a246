"""The cost roll-up on close, against a worked example computed by hand (docs/production.md).

Order MO for 10 gearboxes (standard cost 46.00, costed at standard):

    planned materials   shafts 20 × 10.00 + housings 11 × 5.00 + grease 5 × 2.00  = 265.00
    planned operations  (0.5 h setup + 10 × 0.1 h) = 1.5 h × (80.00 + 50.00)       = 195.00
    planned cost                                                                   = 460.00

Actually consumed: 21 shafts at 10.00 = 210.00, 11 housings at 5.00 = 55.00, 5 kg grease at
2.00 = 10.00, and 1 kg oil (not in the BOM) at 3.00 = 3.00 → materials 278.00.
Time booked: 2 machine hours × 80.00 = 160.00, 1.75 labour hours × 50.00 = 87.50.
Actual cost 278.00 + 160.00 + 87.50 = 525.50.
Output: 10 good (+ 1 scrap) at the standard 46.00 → 460.00 credited to WIP.
Variance 525.50 − 460.00 = 65.50 (actual above standard: a debit on 1404).

Closing entry (clears the order's WIP on each account):
    Dr 1404   材料成本差异     65.50
    Dr 500101 直接材料        182.00   (278.00 consumed − 460.00 output)
    Cr 500102 直接人工         87.50
    Cr 500103 制造费用        160.00
"""

from decimal import Decimal as D

import pytest
from django.db.models import Sum

from erp_core.ledger.models import JournalEntry, JournalLine
from erp_core.production import services
from erp_core.production.models import ProductionOrder
from erp_core.production.selectors import SOURCE_TYPE, production_order_stock_moves

pytestmark = pytest.mark.django_db


def _order_entries(order: ProductionOrder) -> list[int]:
    """Every journal entry posted for the order: stock moves, time, the closing entry."""
    ids = [m.journal_entry_id for m in production_order_stock_moves(order=order)]
    ids += [b.journal_entry_id for b in order.time_bookings.all()]
    ids += [order.closing_entry_id]
    return [pk for pk in ids if pk]


def _net(order: ProductionOrder, code: str) -> D:
    totals = JournalLine.objects.filter(
        entry_id__in=_order_entries(order), account__code=code
    ).aggregate(debit=Sum("debit"), credit=Sum("credit"))
    return (totals["debit"] or D(0)) - (totals["credit"] or D(0))


def test_close_rolls_up_the_worked_example_and_posts_the_variance(plant):
    order = plant.released("10")
    assert order.planned_cost == D("460.00")
    assert order.planned_unit_cost == D("46.000000")
    for item, quantity in ((plant.shaft, "21"), (plant.housing, "11"), (plant.grease, "5")):
        services.production_order_consume(order=order, item=item, quantity=D(quantity))
    services.production_order_consume(order=order, item=plant.oil, quantity=D("1"))
    operation = order.operations.get()
    services.production_order_book_time(
        order=order, operation=operation, machine_hours=D("2"), labour_hours=D("1.75")
    )
    order = services.production_order_report_output(
        order=order, quantity=D("10"), scrap_quantity=D("1")
    )
    assert order.status == ProductionOrder.Status.DONE

    order = services.production_order_close(order=order, actor=None)

    assert order.status == ProductionOrder.Status.CLOSED
    assert order.material_cost == D("278.00")
    assert order.machine_cost == D("160.00")
    assert order.labour_cost == D("87.50")
    assert order.actual_cost == D("525.50")
    assert order.output_value == D("460.00")
    assert order.standard_cost == D("460.00")
    assert order.variance == D("65.50")
    entry = order.closing_entry
    assert entry.status == JournalEntry.Status.POSTED
    assert entry.journal.code == "PRD"
    assert (entry.source_type, entry.source_id) == (SOURCE_TYPE, order.pk)
    lines = {
        line.account.code: (line.debit, line.credit)
        for line in entry.lines.select_related("account")
    }
    assert lines == {
        "1404": (D("65.50"), D("0")),
        "500101": (D("182.00"), D("0")),
        "500102": (D("0"), D("87.50")),
        "500103": (D("0"), D("160.00")),
    }
    # Each WIP account is cleared for this order; the variance account holds the difference.
    for code in ("500101", "500102", "500103"):
        assert _net(order, code) == D("0"), code
    assert _net(order, "1404") == D("65.50")


def test_a_favourable_variance_is_a_credit_on_the_variance_account(plant):
    order = plant.released("10")
    services.production_order_consume(order=order, item=plant.shaft, quantity=D("20"))
    services.production_order_consume(order=order, item=plant.housing, quantity=D("10"))
    # 200.00 + 50.00 of materials, no time; output 10 × 46.00 = 460.00 → variance −210.00
    services.production_order_report_output(order=order, quantity=D("10"))
    order = services.production_order_close(order=order, actor=None)
    assert order.actual_cost == D("250.00")
    assert order.variance == D("-210.00")
    lines = {
        line.account.code: (line.debit, line.credit)
        for line in order.closing_entry.lines.select_related("account")
    }
    assert lines == {"1404": (D("0"), D("210.00")), "500101": (D("210.00"), D("0"))}
    assert _net(order, "500101") == D("0")


def test_an_item_not_at_standard_is_received_at_its_actual_cost_so_far(plant):
    plant.gearbox.costing_method = "moving_average"
    plant.gearbox.save()
    order = plant.released("10")
    services.production_order_consume(order=order, item=plant.shaft, quantity=D("20"))
    order = services.production_order_report_output(order=order, quantity=D("4"))
    move = production_order_stock_moves(order=order).get(reason="production_output")
    # 200.00 in WIP for 10 to make: 4 take 80.00 (not 4 × the planned 46.00)
    assert move.unit_cost == D("20.000000")
    assert order.output_value == D("80.00")
    order = services.production_order_complete(order=order, actor=None)
    order = services.production_order_close(order=order, actor=None)
    assert order.standard_cost == D("184.00")
    assert order.variance == D("200.00") - D("80.00")
    assert _net(order, "500101") == D("0")
    assert _net(order, "6401") == D("120.00")


def test_closing_an_order_with_nothing_booked_posts_nothing(plant):
    order = plant.released("10")
    order = services.production_order_complete(order=order, actor=None)
    order = services.production_order_close(order=order, actor=None)
    assert order.closing_entry is None
    assert order.actual_cost == D("0")
    assert order.variance == D("0")
