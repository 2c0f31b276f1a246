"""Stock ledger services: valuation, journal entries, refusals, backdated moves."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Q, Sum
from django.utils import timezone

from erp_core.ledger.models import JournalEntry, JournalLine, PostingKind
from erp_core.ledger.selectors import posting_accounts
from erp_core.stock import services
from erp_core.stock.models import StockBalance, StockMove
from erp_core.stock.selectors import stock_valuation_total
from erp_core.testing.books import assert_books_reconcile

pytestmark = pytest.mark.django_db


def _ago(**delta) -> dt.datetime:
    return timezone.now() - dt.timedelta(**delta)


def inventory_gl_balance() -> D:
    """Debits minus credits on every inventory account of the posting rules."""
    accounts = {
        posting_accounts(kind=PostingKind.INVENTORY, category_code=code).debit.pk
        for code in (None, "RM")
    }
    totals = JournalLine.objects.filter(
        account_id__in=accounts, entry__status=JournalEntry.Status.POSTED
    ).aggregate(debit=Sum("debit"), credit=Sum("credit"))
    return (totals["debit"] or D(0)) - (totals["credit"] or D(0))


def test_receipt_and_issue_at_moving_average_post_their_entries(books, make_item, warehouse):
    item = make_item("moving_average")
    services.stock_receipt(item=item, warehouse=warehouse, quantity=D("10"), unit_cost=D("2"))
    services.stock_receipt(item=item, warehouse=warehouse, quantity=D("10"), unit_cost=D("4"))
    issue = services.stock_issue(
        item=item, warehouse=warehouse, quantity=D("5"), reason=StockMove.Reason.SHIPMENT
    )
    assert issue.value == D("-15.00")
    balance = StockBalance.objects.get(item=item, warehouse=warehouse)
    assert (balance.quantity, balance.value) == (D("15"), D("45.00"))
    cogs = posting_accounts(kind=PostingKind.COGS, category_code="RM").debit
    line = issue.journal_entry.lines.get(account=cogs)
    assert line.debit == D("15.00")
    assert issue.journal_entry.status == JournalEntry.Status.POSTED
    assert_books_reconcile()


def test_standard_cost_receipt_posts_the_price_difference(books, make_item, warehouse):
    item = make_item("standard", standard_cost="2.50")
    move = services.stock_receipt(
        item=item, warehouse=warehouse, quantity=D("10"), unit_cost=D("2.30")
    )
    assert (move.value, move.variance, move.receipt_value) == (D("25.00"), D("-2.00"), D("23.00"))
    variance = posting_accounts(kind=PostingKind.PURCHASE_PRICE_VARIANCE, category_code="RM").debit
    assert move.journal_entry.lines.get(account=variance).credit == D("2.00")
    assert_books_reconcile()


def test_fifo_issue_takes_the_oldest_layers(books, make_item, warehouse):
    item = make_item("fifo")
    services.stock_receipt(item=item, warehouse=warehouse, quantity=D("10"), unit_cost=D("2"))
    services.stock_receipt(item=item, warehouse=warehouse, quantity=D("10"), unit_cost=D("4"))
    issue = services.stock_issue(item=item, warehouse=warehouse, quantity=D("15"))
    assert issue.value == D("-40.00")
    assert StockBalance.objects.get(item=item, warehouse=warehouse).layers == [["5", "20.00"]]
    assert_books_reconcile()


def test_transfer_moves_value_between_warehouses_to_the_cent(
    books, make_item, warehouse, other_warehouse
):
    item = make_item("moving_average")
    services.stock_receipt(item=item, warehouse=warehouse, quantity=D("3"), unit_cost=D("0.333333"))
    out, into = services.stock_transfer(
        item=item, from_warehouse=warehouse, to_warehouse=other_warehouse, quantity=D("2")
    )
    assert into.value == -out.value
    assert out.journal_entry is None and into.journal_entry is None
    assert stock_valuation_total() == D("1.00")
    assert_books_reconcile()


def test_adjustments_gain_at_current_cost_and_lose_at_valuation(books, make_item, warehouse):
    item = make_item("moving_average")
    services.stock_receipt(item=item, warehouse=warehouse, quantity=D("4"), unit_cost=D("5"))
    gain = services.stock_adjust(item=item, warehouse=warehouse, quantity=D("1"))
    loss = services.stock_adjust(item=item, warehouse=warehouse, quantity=D("-2"))
    assert (gain.value, loss.value) == (D("5.00"), D("-10.00"))
    assert_books_reconcile()


@pytest.mark.parametrize(
    ("call", "kwargs", "field"),
    [
        ("stock_receipt", {"quantity": D("0"), "unit_cost": D("1")}, "quantity"),
        ("stock_receipt", {"quantity": D("-1"), "unit_cost": D("1")}, "quantity"),
        ("stock_receipt", {"quantity": D("1"), "unit_cost": D("-1")}, "unit_cost"),
        ("stock_receipt", {"quantity": D("NaN"), "unit_cost": D("1")}, "quantity"),
        ("stock_issue", {"quantity": D("1")}, "quantity"),  # nothing on hand
        ("stock_adjust", {"quantity": D("0")}, "quantity"),
        (
            "stock_receipt",
            {"quantity": D("1"), "unit_cost": D("1"), "reason": "shipment"},
            "reason",
        ),
    ],
)
def test_bad_input_is_refused_and_writes_nothing(books, make_item, warehouse, call, kwargs, field):
    item = make_item()
    with pytest.raises(ValidationError) as error:
        getattr(services, call)(item=item, warehouse=warehouse, **kwargs)
    assert field in error.value.message_dict
    assert not StockMove.objects.exists()
    assert not JournalEntry.objects.filter(journal__code="STK").exists()


def test_a_service_item_inactive_warehouse_or_future_move_is_refused(books, make_item, warehouse):
    service_item = make_item(item_type="service")
    with pytest.raises(ValidationError, match="service"):
        services.stock_receipt(
            item=service_item, warehouse=warehouse, quantity=D("1"), unit_cost=D("1")
        )
    item = make_item()
    with pytest.raises(ValidationError, match="future"):
        services.stock_receipt(
            item=item, warehouse=warehouse, quantity=D("1"), unit_cost=D("1"),
            moved_at=timezone.now() + dt.timedelta(days=1),
        )  # fmt: skip
    warehouse.is_active = False
    warehouse.save()
    with pytest.raises(ValidationError, match="inactive"):
        services.stock_receipt(item=item, warehouse=warehouse, quantity=D("1"), unit_cost=D("1"))
    assert not StockMove.objects.exists()


def test_a_move_into_a_closed_period_is_refused_with_nothing_written(books, make_item, warehouse):
    from erp_core.ledger.selectors import period_for_date
    from erp_core.ledger.services import fiscal_period_close

    period = period_for_date(date=timezone.localdate())
    fiscal_period_close(period=period, actor=None)
    with pytest.raises(ValidationError):
        services.stock_receipt(
            item=make_item(), warehouse=warehouse, quantity=D("1"), unit_cost=D("1")
        )
    assert not StockMove.objects.exists()
    assert not StockBalance.objects.exclude(quantity=0).exists()


def test_negative_stock_where_the_warehouse_allows_it(books, make_item, warehouse):
    warehouse.allow_negative_stock = True
    warehouse.save()
    item = make_item("moving_average")
    services.stock_receipt(item=item, warehouse=warehouse, quantity=D("5"), unit_cost=D("2"))
    services.stock_issue(item=item, warehouse=warehouse, quantity=D("8"))
    receipt = services.stock_receipt(
        item=item, warehouse=warehouse, quantity=D("10"), unit_cost=D("3")
    )
    assert receipt.value == D("27.00")  # 30 paid, 3 of it settles the shortfall booked at 2
    assert StockBalance.objects.get(item=item).value == D("21.00")
    assert_books_reconcile()


def test_a_backdated_receipt_revalues_later_issues_with_corrections(books, make_item, warehouse):
    item = make_item("moving_average")
    services.stock_receipt(
        item=item, warehouse=warehouse, quantity=D("10"), unit_cost=D("2"), moved_at=_ago(hours=5)
    )
    issue = services.stock_issue(
        item=item, warehouse=warehouse, quantity=D("10"), moved_at=_ago(hours=1),
        reason=StockMove.Reason.SHIPMENT,
    )  # fmt: skip
    assert issue.value == D("-20.00")
    # A receipt at 5 is found to have arrived before the shipment.
    services.stock_receipt(
        item=item, warehouse=warehouse, quantity=D("10"), unit_cost=D("5"), moved_at=_ago(hours=3)
    )
    issue.refresh_from_db()
    assert issue.value == D("-20.00")  # booked rows are never edited
    correction = StockMove.objects.get(corrects=issue)
    assert correction.value == D("-15.00")  # the shipment took 10 at 3.50, not at 2
    balance = StockBalance.objects.get(item=item, warehouse=warehouse)
    assert (balance.quantity, balance.value) == (D("10"), D("35.00"))
    assert StockMove.objects.filter(item=item).aggregate(v=Sum("value"))["v"] == D("35.00")
    assert_books_reconcile()


def test_two_backdated_moves_keep_the_ledger_equal_to_a_replay(books, make_item, warehouse):
    item = make_item("fifo")
    for hours, quantity, cost in ((10, "5", "1"), (6, "-3", None), (2, "-2", None)):
        if cost:
            services.stock_receipt(item=item, warehouse=warehouse, quantity=D(quantity),
                                   unit_cost=D(cost), moved_at=_ago(hours=hours))  # fmt: skip
        else:
            services.stock_issue(item=item, warehouse=warehouse, quantity=-D(quantity),
                                 moved_at=_ago(hours=hours))  # fmt: skip
    services.stock_receipt(item=item, warehouse=warehouse, quantity=D("4"), unit_cost=D("9"),
                           moved_at=_ago(hours=8))  # fmt: skip
    services.stock_issue(item=item, warehouse=warehouse, quantity=D("1"), moved_at=_ago(hours=7))
    total = StockMove.objects.filter(item=item).aggregate(v=Sum("value"))["v"]
    balance = StockBalance.objects.get(item=item, warehouse=warehouse)
    assert balance.value == total
    assert balance.quantity == D("3")
    assert_books_reconcile()
    assert not StockMove.objects.filter(~Q(reason="revaluation"), quantity=0).exists()
