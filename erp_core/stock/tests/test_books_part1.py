"""Issue #15, books part 1 on the stock side: the inventory account of an item category,
the opening balance as its own document, and the month-end clearing of count differences."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils import timezone

from erp_core.ledger.models import FiscalPeriod, JournalEntry, JournalLine
from erp_core.ledger.selectors import item_posting_accounts
from erp_core.ledger.services import category_posting_rules_set
from erp_core.models import ItemCategory, TaxCode
from erp_core.stock.clearing import count_differences_clear
from erp_core.stock.models import StockMove
from erp_core.stock.reconcile import STOCK_CHECKS, check_count_differences_cleared
from erp_core.stock.services import (
    OpeningLine,
    stock_adjustment_book,
    stock_issue,
    stock_opening_balance_post,
    stock_receipt,
)
from erp_core.testing.books import BOOKS_DAY

pytestmark = pytest.mark.django_db

AT = timezone.make_aware(dt.datetime.combine(BOOKS_DAY, dt.time(10)))


def _balance(code: str) -> D:
    totals = JournalLine.objects.filter(entry__status="posted", account__code=code).aggregate(
        debit=Sum("debit"), credit=Sum("credit")
    )
    # SQLite sums in floating point: read to the cent.
    return (D(str(totals["debit"] or 0)) - D(str(totals["credit"] or 0))).quantize(D("0.01"))


def _lines(entry: JournalEntry) -> set[tuple]:
    return {
        (line.account.code, line.debit, line.credit)
        for line in entry.lines.select_related("account")
    }


def _steel_category() -> ItemCategory:
    """RM 原材料 › RM-STEEL 钢材, the rule set on RM only."""
    root, _ = ItemCategory.objects.get_or_create(code="RM", defaults={"name": "原材料"})
    return ItemCategory.objects.create(code="RM-STEEL", name="钢材", parent=root)


def test_a_category_rule_sets_the_inventory_account_of_its_items_and_sub_categories(
    books, make_item, warehouse
):
    assert category_posting_rules_set(category_code="RM", inventory_account="1403") == 9
    assert category_posting_rules_set(category_code="RM", inventory_account="1403") == 0
    item = make_item(category=_steel_category())
    accounts = item_posting_accounts(item=item, kinds=["inventory", "cogs", "stock_receipt"])
    assert accounts["inventory"].debit.code == "1403"
    assert accounts["cogs"].credit.code == "1403" and accounts["cogs"].debit.code == "6401"
    assert accounts["stock_receipt"].credit.code == "1401"

    receipt = stock_receipt(item=item, warehouse=warehouse, quantity=D(10), unit_cost=D(2))
    assert _lines(receipt.journal_entry) == {("1403", D("20"), D(0)), ("1401", D(0), D("20"))}
    consumed = stock_issue(
        item=item, warehouse=warehouse, quantity=D(3), reason="production_consumption"
    )
    assert _lines(consumed.journal_entry) == {("500101", D(6), D(0)), ("1403", D(0), D(6))}
    shipped = stock_issue(item=item, warehouse=warehouse, quantity=D(1), reason="shipment")
    assert _lines(shipped.journal_entry) == {("6401", D(2), D(0)), ("1403", D(0), D(2))}
    lost = stock_adjustment_book(item=item, warehouse=warehouse, quantity="-1", reason="count")
    assert _lines(lost.journal_entry) == {("1901", D(2), D(0)), ("1403", D(0), D(2))}
    assert _balance("1403") == D(10) and _balance("1405") == 0
    assert [breach for check in STOCK_CHECKS for breach in check()] == []


def test_the_inventory_account_of_a_category_must_be_an_asset(books):
    with pytest.raises(ValidationError):
        category_posting_rules_set(category_code="PKG", inventory_account="6602")


def test_opening_stock_is_its_own_document_against_the_opening_balance_account(
    books, make_item, warehouse
):
    category_posting_rules_set(category_code="RM", inventory_account="1403")
    ItemCategory.objects.create(code="FG", name="成品")
    category_posting_rules_set(category_code="FG", inventory_account="1405")
    steel = make_item()
    gearbox = make_item(category=ItemCategory.objects.get(code="FG"))
    rows = stock_opening_balance_post(
        warehouse=warehouse,
        reference="OB-2026",
        lines=[
            OpeningLine(item=steel, quantity=D(500), unit_cost=D("5.20")),
            OpeningLine(item=gearbox, quantity=D(20), unit_cost=D("1250")),
        ],
    )
    assert {row.reason for row in rows} == {StockMove.Reason.OPENING}
    (entry,) = {row.journal_entry for row in rows}
    assert _lines(entry) == {
        ("1403", D("2600.00"), D(0)),
        ("1405", D("25000.00"), D(0)),
        ("4190", D(0), D("27600.00")),
    }
    assert _balance("1401") == 0
    with pytest.raises(ValidationError):
        stock_opening_balance_post(
            warehouse=warehouse,
            reference="OB-2026",
            lines=[OpeningLine(item=steel, quantity=D(1), unit_cost=D(1))],
        )


def _period() -> FiscalPeriod:
    return FiscalPeriod.objects.get(start__lte=BOOKS_DAY, end__gte=BOOKS_DAY)


def test_count_differences_are_cleared_to_6602_and_abnormal_losses_to_6711_with_vat_out(
    books, make_item, warehouse
):
    vat = TaxCode.objects.create(code="VAT13", name="13 %", rate=D("0.13"))
    item = make_item(vat=vat)
    stock_receipt(item=item, warehouse=warehouse, quantity=D(100), unit_cost=D(10), moved_at=AT)
    stock_adjust_kw = {"item": item, "warehouse": warehouse}
    stock_adjustment_book(**stock_adjust_kw, quantity="-3", reason="count: within norms")
    stock_adjustment_book(**stock_adjust_kw, quantity="-5", reason="stolen", abnormal=True)
    stock_adjustment_book(**stock_adjust_kw, quantity="1", reason="found", unit_cost="10")
    # Moves booked now lie in today's period: clear that one.
    period = FiscalPeriod.objects.get(
        start__lte=timezone.localdate(), end__gte=timezone.localdate()
    )
    assert _balance("1901") == D(70)
    entry = count_differences_clear(period=period, user=None)
    assert entry.date == period.end
    assert _lines(entry) == {
        ("1901", D(0), D("70.00")),
        ("6711", D("50.00"), D(0)),  # the abnormal loss
        ("6711", D("6.50"), D(0)),  # its input VAT transferred out
        ("22210103", D(0), D("6.50")),
        ("6602", D("20.00"), D(0)),  # losses within norms (30) less the gain (10)
    }
    assert _balance("1901") == 0
    assert count_differences_clear(period=period, user=None) is None
    stock_adjustment_book(**stock_adjust_kw, quantity="-2", reason="stolen", abnormal=True)
    again = count_differences_clear(period=period, user=None)
    assert _lines(again) == {
        ("1901", D(0), D("20.00")),
        ("6711", D("20.00"), D(0)),
        ("6711", D("2.60"), D(0)),
        ("22210103", D(0), D("2.60")),
    }
    assert _balance("1901") == 0


def test_reconcile_reports_1901_left_after_a_closed_period(books, make_item, warehouse):
    item = make_item()
    stock_receipt(item=item, warehouse=warehouse, quantity=D(10), unit_cost=D(1), moved_at=AT)
    stock_adjustment_book(item=item, warehouse=warehouse, quantity="-1", reason="count")
    assert check_count_differences_cleared() == []  # no period is closed
    period = FiscalPeriod.objects.get(
        start__lte=timezone.localdate(), end__gte=timezone.localdate()
    )
    FiscalPeriod.objects.filter(pk=period.pk).update(status=FiscalPeriod.Status.CLOSED)
    (breach,) = check_count_differences_cleared()
    assert breach.accounts == ("1901",)
    FiscalPeriod.objects.filter(pk=period.pk).update(status=FiscalPeriod.Status.OPEN)
    count_differences_clear(period=period, user=None)
    FiscalPeriod.objects.filter(pk=period.pk).update(status=FiscalPeriod.Status.CLOSED)
    assert check_count_differences_cleared() == []
