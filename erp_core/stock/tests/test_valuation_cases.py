"""The valuation cases where the books and the stock ledger once parted, with their numbers.

Each is a case of issue #15 ("Breaches of the stock-ledger invariants" and the valuation cases of
"What is wrong today"): negative stock settled by a receipt, a standard-cost change with stock on
hand, a transfer re-valued by a backdated move, and the four breaches the wider random walk found.
They run on SQLite and on PostgreSQL (``DATABASE_URL``).
"""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.db.models import Sum
from django.utils import timezone

from erp_core.ledger.models import JournalEntry, JournalLine, PostingKind
from erp_core.ledger.selectors import posting_accounts
from erp_core.masterdata.services import item_update
from erp_core.stock import services
from erp_core.stock.models import StockBalance, StockMove
from erp_core.testing.books import assert_books_reconcile
from erp_core.valuation import Move, value_moves

pytestmark = pytest.mark.django_db


def _ago(**delta) -> dt.datetime:
    return timezone.now() - dt.timedelta(**delta)


def _balance(item, warehouse) -> tuple[D, D]:
    balance = StockBalance.objects.get(item=item, warehouse=warehouse)
    return balance.quantity, balance.value


def _fresh(item, warehouse) -> tuple[D, D]:
    """A fresh valuation of the key's whole history in date order (standard: from the standard
    before its first cost change)."""
    rows = StockMove.objects.filter(item=item, warehouse=warehouse).exclude(reason="revaluation")
    standard = item.standard_cost
    first_change = rows.filter(reason="cost_change").order_by("moved_at", "pk").first()
    if first_change is not None:
        standard = first_change.unit_cost
    moves = [
        Move(row.pk, row.quantity, row.receipt_unit_cost, row.receipt_value, row.basis_quantity)
        for row in rows.order_by("moved_at", "pk")
    ]
    state = value_moves(method=item.costing_method, moves=moves, standard_cost=standard,
                        allow_negative=warehouse.allow_negative_stock)[-1].state  # fmt: skip
    return state.quantity, state.value


def _account_total(kind: str, code: str = "RM", side: str = "debit") -> D:
    """Debits minus credits booked on the ``side`` account of a posting rule."""
    account = getattr(posting_accounts(kind=kind, category_code=code), side)
    totals = JournalLine.objects.filter(
        account=account, entry__status=JournalEntry.Status.POSTED
    ).aggregate(debit=Sum("debit"), credit=Sum("credit"))
    return D(str(totals["debit"] or 0)) - D(str(totals["credit"] or 0))


# --- Negative stock settled by a receipt ------------------------------------------------------


@pytest.mark.parametrize("method", ["moving_average", "fifo"])
def test_a_receipt_exactly_covering_a_shortfall_leaves_nothing_and_settles_to_cost_of_sales(
    books, make_item, negative_warehouse, method
):
    """+1 @ 1, ship 2, +1 @ 2: quantity 0 and value 0.00 (not 1.00). The second unit went out
    at 1.00 and cost 2.00: the 1.00 more goes to the cost of goods sold (6401), not to 1404."""
    item = make_item(method)
    kwargs = {"item": item, "warehouse": negative_warehouse}
    services.stock_receipt(**kwargs, quantity=D("1"), unit_cost=D("1"), moved_at=_ago(hours=3))
    services.stock_issue(**kwargs, quantity=D("2"), reason="shipment", moved_at=_ago(hours=2))
    cogs_before = _account_total(PostingKind.COGS)
    receipt = services.stock_receipt(**kwargs, quantity=D("1"), unit_cost=D("2"),
                                     moved_at=_ago(hours=1))  # fmt: skip
    assert _balance(item, negative_warehouse) == (0, D("0.00"))
    assert (receipt.value, receipt.receipt_value, receipt.variance) == (D("1.00"), D("2.00"),
                                                                        D("1.00"))  # fmt: skip
    assert _account_total(PostingKind.COGS) - cogs_before == D("1.00")
    assert _account_total(PostingKind.PURCHASE_PRICE_VARIANCE) == 0
    assert_books_reconcile()


def test_a_standard_item_settles_a_shortfall_through_the_price_difference(
    books, make_item, negative_warehouse
):
    item = make_item("standard", standard_cost="1.50")
    kwargs = {"item": item, "warehouse": negative_warehouse}
    services.stock_receipt(**kwargs, quantity=D("1"), unit_cost=D("1"), moved_at=_ago(hours=3))
    services.stock_issue(**kwargs, quantity=D("2"), reason="shipment", moved_at=_ago(hours=2))
    services.stock_receipt(**kwargs, quantity=D("1"), unit_cost=D("2"), moved_at=_ago(hours=1))
    assert _balance(item, negative_warehouse) == (0, D("0.00"))
    assert _account_total(PostingKind.PURCHASE_PRICE_VARIANCE) == D("0.00")  # −0.50 + 0.50
    assert_books_reconcile()


# --- Breach 1: a backdated issue before a tiny receipt ----------------------------------------


@pytest.mark.parametrize("method", ["moving_average", "fifo", "standard"])
def test_an_issue_backdated_before_a_tiny_receipt_leaves_no_cent(
    books, make_item, negative_warehouse, method
):
    """Receive 0.005 @ 1.00 (0.01 to the cent), then an issue of 0.005 dated an hour earlier:
    quantity 0, value 0.00 — not 0.01."""
    item = make_item(method, standard_cost="1")
    kwargs = {"item": item, "warehouse": negative_warehouse}
    services.stock_receipt(**kwargs, quantity=D("0.005"), unit_cost=D("1.00"))
    services.stock_issue(**kwargs, quantity=D("0.005"), moved_at=_ago(hours=1))
    assert _balance(item, negative_warehouse) == (0, D("0.00"))
    assert _balance(item, negative_warehouse) == _fresh(item, negative_warehouse)
    assert_books_reconcile()


# --- Breach 2: replay derived the unit cost from the rounded receipt value ---------------------


@pytest.mark.parametrize("method", ["moving_average", "fifo"])
def test_a_replay_values_a_receipt_at_its_given_unit_cost(
    books, make_item, negative_warehouse, method
):
    """+1 @ 1, issue 5, +3 @ 0.335 (1.01 to the cent), issue 100: a fresh valuation agrees with
    the balance (the replay used 1.01 ÷ 3 = 0.336667), and so does a later backdated receipt."""
    item = make_item(method)
    kwargs = {"item": item, "warehouse": negative_warehouse}
    services.stock_receipt(**kwargs, quantity=D("1"), unit_cost=D("1"), moved_at=_ago(hours=6))
    services.stock_issue(**kwargs, quantity=D("5"), moved_at=_ago(hours=5))
    services.stock_receipt(**kwargs, quantity=D("3"), unit_cost=D("0.335"),
                           moved_at=_ago(hours=4))  # fmt: skip
    services.stock_issue(**kwargs, quantity=D("100"), moved_at=_ago(hours=3))
    assert _balance(item, negative_warehouse) == _fresh(item, negative_warehouse)
    assert_books_reconcile()
    services.stock_receipt(**kwargs, quantity=D("2"), unit_cost=D("0.7"), moved_at=_ago(hours=7))
    assert _balance(item, negative_warehouse) == _fresh(item, negative_warehouse)
    assert_books_reconcile()


# --- Breach 3: standard cost 0.20, fractional quantities, a transfer ---------------------------


def test_the_cent_of_valuing_a_transfer_in_at_standard_is_posted(
    books, make_item, warehouse, other_warehouse
):
    """Standard 0.20: receive 0.001, receive 0.024, transfer 0.001. The transfer leaves at 0.01
    and arrives worth 0.00 at standard: the cent posts to the price difference."""
    item = make_item("standard", standard_cost="0.20")
    kwargs = {"item": item, "warehouse": warehouse}
    services.stock_receipt(**kwargs, quantity=D("0.001"), unit_cost=D("0.20"))
    services.stock_receipt(**kwargs, quantity=D("0.024"), unit_cost=D("0.20"))
    out, into = services.stock_transfer(
        item=item, from_warehouse=warehouse, to_warehouse=other_warehouse, quantity=D("0.001")
    )
    assert (out.value, into.value, into.variance) == (D("-0.01"), D("0.00"), D("0.01"))
    assert into.journal_entry is not None
    assert_books_reconcile()


# --- Standard-cost change with stock on hand --------------------------------------------------


def test_a_standard_cost_change_revalues_the_stock_on_hand_now_through_1404(
    books, make_item, warehouse, other_warehouse
):
    """10 on hand at 10.00; the standard becomes 5.00: a posted entry credits inventory 50.00
    and debits 1404 now, and one unit shipped after costs 5.00 (not 55.00)."""
    item = make_item("standard", standard_cost="10")
    services.stock_receipt(item=item, warehouse=warehouse, quantity=D("10"), unit_cost=D("10"),
                           moved_at=_ago(hours=2))  # fmt: skip
    services.stock_receipt(item=item, warehouse=other_warehouse, quantity=D("1"),
                           unit_cost=D("10"), moved_at=_ago(hours=2))  # fmt: skip
    item = item_update(item=item, standard_cost=D("5.00"))
    changes = StockMove.objects.filter(item=item, reason="cost_change")
    assert sorted(changes.values_list("value", flat=True)) == [D("-50.00"), D("-5.00")]
    (entry,) = {change.journal_entry for change in changes}
    assert entry.status == JournalEntry.Status.POSTED
    assert entry.date == timezone.localdate()
    assert _account_total(PostingKind.PURCHASE_PRICE_VARIANCE) == D("55.00")
    assert _balance(item, warehouse) == (D("10"), D("50.00"))
    issue = services.stock_issue(item=item, warehouse=warehouse, quantity=D("1"),
                                 reason="shipment")  # fmt: skip
    assert issue.value == D("-5.00")
    assert_books_reconcile()
    # A move backdated before the change is valued at the standard of its time, and the change
    # re-valued: the balance stays a fresh valuation of the history.
    services.stock_receipt(item=item, warehouse=warehouse, quantity=D("2"), unit_cost=D("9"),
                           moved_at=_ago(hours=1))  # fmt: skip
    assert _balance(item, warehouse) == (D("11"), D("55.00"))
    assert _balance(item, warehouse) == _fresh(item, warehouse)
    assert_books_reconcile()


def test_a_standard_cost_change_of_an_item_at_actual_cost_books_nothing(
    books, make_item, warehouse
):
    item = make_item("moving_average", standard_cost="10")
    services.stock_receipt(item=item, warehouse=warehouse, quantity=D("10"), unit_cost=D("10"))
    item_update(item=item, standard_cost=D("5.00"))
    assert not StockMove.objects.filter(item=item, reason="cost_change").exists()
    assert _balance(item, warehouse) == (D("10"), D("100.00"))


# --- Transfers re-valued by a backdated move --------------------------------------------------


def test_a_backdated_move_revalues_both_sides_of_a_transfer(
    books, make_item, warehouse, other_warehouse
):
    """Receive 10 @ 1, transfer 5 (5.00) to the line side; a receipt of 10 @ 3 backdated before
    the transfer makes it worth 10.00: the line side's value follows, nothing goes to 5101."""
    item = make_item("moving_average")
    services.stock_receipt(item=item, warehouse=warehouse, quantity=D("10"), unit_cost=D("1"),
                           moved_at=_ago(hours=3))  # fmt: skip
    services.stock_transfer(item=item, from_warehouse=warehouse, to_warehouse=other_warehouse,
                            quantity=D("5"), moved_at=_ago(hours=1))  # fmt: skip
    services.stock_issue(item=item, warehouse=other_warehouse, quantity=D("1"))
    issue_account_before = _account_total(PostingKind.STOCK_ISSUE)
    services.stock_receipt(item=item, warehouse=warehouse, quantity=D("10"), unit_cost=D("3"),
                           moved_at=_ago(hours=2))  # fmt: skip
    assert _balance(item, warehouse) == (D("15"), D("30.00"))
    assert _balance(item, other_warehouse) == (D("4"), D("8.00"))
    # The issue from the line side was re-valued (1.00 → 2.00): only that reaches 5101.
    assert _account_total(PostingKind.STOCK_ISSUE) - issue_account_before == D("1.00")
    assert_books_reconcile()


# --- Breach 4: the books compared at the cent ----------------------------------------------------


def test_the_books_are_compared_at_the_cent_not_in_floating_point(
    books, make_item, warehouse, negative_warehouse
):
    """1,000,000.25 on hand in one warehouse and −1,000,000.01 in another: 0.24 in all. SQLite
    sums the balances in floating point (0.239999999990687); the books still reconcile."""
    item = make_item("moving_average")
    services.stock_receipt(item=item, warehouse=warehouse, quantity=D("1"),
                           unit_cost=D("1000000.25"))  # fmt: skip
    services.stock_receipt(item=item, warehouse=negative_warehouse, quantity=D("1"),
                           unit_cost=D("1000000.01"))  # fmt: skip
    services.stock_issue(item=item, warehouse=negative_warehouse, quantity=D("2"))
    assert _balance(item, negative_warehouse) == (D("-1"), D("-1000000.01"))
    assert_books_reconcile()


def test_a_move_backdated_before_a_value_adjustment_moves_its_share_to_cost_of_sales(
    books, make_item, warehouse
):
    # 10 @ 10.00 at −3 h; a price difference of +10.00 for the 10 at −1 h (all on hand: 110.00).
    # Then 5 shipped, backdated to −2 h: at the adjustment only 5 were on hand, so 5.00 of it is
    # the stock's and 5.00 the cost of the 5 shipped. Stock 5 @ 55.00; 6401 50.00 + 5.00.
    item = make_item("moving_average")
    services.stock_receipt(item=item, warehouse=warehouse, quantity=D("10"), unit_cost=D("10"),
                           moved_at=_ago(hours=3))  # fmt: skip
    (adjustment,) = services.stock_value_adjust(
        lines=[services.ValueLine(item, warehouse, D("10"), D("10"))],
        source=services.Source(type="test.bill", id="1"),
        moved_at=_ago(hours=1),
    )
    assert (adjustment.value, adjustment.variance) == (D("10.00"), D("0.00"))
    services.stock_issue(item=item, warehouse=warehouse, quantity=D("5"), reason="shipment",
                         moved_at=_ago(hours=2))  # fmt: skip
    fix = StockMove.objects.get(reason="revaluation", corrects=adjustment)
    assert (fix.value, fix.variance) == (D("-5.00"), D("5.00"))
    assert _balance(item, warehouse) == (D("5"), D("55.00")) == _fresh(item, warehouse)
    assert _account_total(PostingKind.COGS) == D("55.00")
    assert_books_reconcile()


def _adjust(item, warehouse, amount: str, basis: str, **when) -> list[StockMove]:
    return services.stock_value_adjust(
        lines=[services.ValueLine(item, warehouse, D(amount), D(basis))],
        source=services.Source(type="test.bill", id="1"),
        moved_at=_ago(**when) if when else None,
    )


@pytest.mark.parametrize("method", ["moving_average", "fifo"])
def test_a_value_adjustment_follows_goods_transferred_to_another_warehouse(
    books, make_item, warehouse, other_warehouse, method
):
    # 10 @ 10.00 into the main warehouse; 6 go on to the line side, 2 are shipped. A price
    # difference of +10.00 for the 10: the line side's 6 take 6.00, the main warehouse's 2 take
    # 2.00, and the 2 shipped 2.00 of cost of sales. Before, the 6 transferred went to 6401 too.
    item = make_item(method)
    services.stock_receipt(item=item, warehouse=warehouse, quantity=D("10"), unit_cost=D("10"),
                           moved_at=_ago(hours=3))  # fmt: skip
    services.stock_transfer(item=item, from_warehouse=warehouse, to_warehouse=other_warehouse,
                            quantity=D("6"), moved_at=_ago(hours=2))  # fmt: skip
    services.stock_issue(item=item, warehouse=warehouse, quantity=D("2"), reason="shipment",
                         moved_at=_ago(hours=1))  # fmt: skip
    rows = _adjust(item, warehouse, "10", "10")
    by_place = {row.warehouse_id: (row.value, row.variance, row.basis_quantity) for row in rows}
    assert by_place == {
        warehouse.pk: (D("2.00"), D("2.00"), D("4")),
        other_warehouse.pk: (D("6.00"), D("0.00"), D("6")),
    }
    assert _balance(item, warehouse) == (D("2"), D("22.00")) == _fresh(item, warehouse)
    assert _balance(item, other_warehouse) == (D("6"), D("66.00")) == _fresh(item, other_warehouse)
    assert _account_total(PostingKind.COGS) == D("22.00")
    assert {row.journal_entry_id for row in rows} == {rows[0].journal_entry_id}  # one entry
    assert_books_reconcile()


def test_a_value_adjustment_spreads_over_the_other_warehouses_by_what_they_hold(
    books, make_item, warehouse, other_warehouse, negative_warehouse
):
    # 10 @ 10.00 into the main warehouse, 4 each on to two others; 10 more received on the line
    # side. The 8 gone from the main warehouse are spread over the 14 and 4 the others hold
    # (6.222222 and 1.777777 units' worth): all 10.00 stays in stock, none is cost of sales.
    item = make_item("moving_average")
    services.stock_receipt(item=item, warehouse=warehouse, quantity=D("10"), unit_cost=D("10"),
                           moved_at=_ago(hours=3))  # fmt: skip
    for place in (other_warehouse, negative_warehouse):
        services.stock_transfer(item=item, from_warehouse=warehouse, to_warehouse=place,
                                quantity=D("4"), moved_at=_ago(hours=2))  # fmt: skip
    services.stock_receipt(item=item, warehouse=other_warehouse, quantity=D("10"),
                           unit_cost=D("12"), moved_at=_ago(hours=1))  # fmt: skip
    rows = _adjust(item, warehouse, "10", "10")
    assert {row.warehouse_id: row.value for row in rows} == {
        warehouse.pk: D("2.00"), other_warehouse.pk: D("6.22"), negative_warehouse.pk: D("1.78"),
    }  # fmt: skip
    assert sum(row.variance for row in rows) == D("0.00")
    for place in (warehouse, other_warehouse, negative_warehouse):
        assert _balance(item, place) == _fresh(item, place)
    assert _account_total(PostingKind.COGS) == D("0.00")
    assert_books_reconcile()


def test_a_value_adjustment_dated_before_a_transfer_stays_where_the_goods_were_then(
    books, make_item, warehouse, other_warehouse
):
    # The bill is dated before the transfer: then the main warehouse held all 10, so it takes
    # the whole 10.00, and the transfer booked later carries 6.00 of it to the line side.
    item = make_item("moving_average")
    services.stock_receipt(item=item, warehouse=warehouse, quantity=D("10"), unit_cost=D("10"),
                           moved_at=_ago(hours=3))  # fmt: skip
    services.stock_transfer(item=item, from_warehouse=warehouse, to_warehouse=other_warehouse,
                            quantity=D("6"), moved_at=_ago(hours=1))  # fmt: skip
    (row,) = _adjust(item, warehouse, "10", "10", hours=2)
    assert (row.warehouse_id, row.value, row.variance) == (warehouse.pk, D("10.00"), D("0.00"))
    assert _balance(item, warehouse) == (D("4"), D("44.00")) == _fresh(item, warehouse)
    assert _balance(item, other_warehouse) == (D("6"), D("66.00"))
    assert _account_total(PostingKind.COGS) == D("0.00")
    assert_books_reconcile()


def test_a_value_adjustment_with_the_goods_all_elsewhere_books_nothing_at_the_receipt(
    books, make_item, warehouse, other_warehouse
):
    item = make_item("fifo")
    services.stock_receipt(item=item, warehouse=warehouse, quantity=D("3"), unit_cost=D("1"),
                           moved_at=_ago(hours=2))  # fmt: skip
    services.stock_transfer(item=item, from_warehouse=warehouse, to_warehouse=other_warehouse,
                            quantity=D("3"), moved_at=_ago(hours=1))  # fmt: skip
    (row,) = _adjust(item, warehouse, "-1", "3")
    assert (row.warehouse_id, row.value, row.variance) == (other_warehouse.pk, D("-1.00"), D("0"))
    assert _balance(item, other_warehouse) == (D("3"), D("2.00")) == _fresh(item, other_warehouse)
    assert_books_reconcile()


def test_a_backdated_move_whose_correction_comes_back_by_a_transfer_keeps_its_own_quantity(
    books, make_item, warehouse, other_warehouse
):
    # FIFO. Goods go from the main warehouse to the line side (−2 h) and back (−1 h); then a
    # loss of 1 is booked at −18 h in the main warehouse. It re-values the transfer out, which
    # re-values the line side's transfer back, which re-values the main warehouse again: that
    # second replay once ran without the loss, leaving a balance of 14 beside rows of 13.
    item = make_item("fifo")
    for place in (warehouse, other_warehouse):
        services.stock_receipt(item=item, warehouse=place, quantity=D("2"), unit_cost=D("7"),
                               moved_at=_ago(days=1))  # fmt: skip
    services.stock_receipt(item=item, warehouse=warehouse, quantity=D("10"), unit_cost=D("20"),
                           moved_at=_ago(hours=14))  # fmt: skip
    services.stock_transfer(item=item, from_warehouse=warehouse, to_warehouse=other_warehouse,
                            quantity=D("3"), moved_at=_ago(hours=2))  # fmt: skip
    services.stock_transfer(item=item, from_warehouse=other_warehouse, to_warehouse=warehouse,
                            quantity=D("5"), moved_at=_ago(hours=1))  # fmt: skip
    services.stock_adjust(item=item, warehouse=warehouse, quantity=D("-1"),
                          moved_at=_ago(hours=18))  # fmt: skip
    # 14 + 200 − (7 + 40) + (14 + 47) − 7 = 221 for 2 + 10 − 3 + 5 − 1 = 13.
    assert _balance(item, warehouse) == (D("13"), D("221.00"))
    assert _balance(item, other_warehouse) == (D("0"), D("0.00"))
    for place in (warehouse, other_warehouse):
        rows = StockMove.objects.filter(item=item, warehouse=place)
        totals = rows.aggregate(quantity=Sum("quantity"), value=Sum("value"))
        assert _balance(item, place) == (
            D(str(totals["quantity"])).quantize(D("0.000001")),
            D(str(totals["value"])).quantize(D("0.01")),
        )
    assert_books_reconcile()
