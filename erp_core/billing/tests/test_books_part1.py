"""Issue #15, books part 1 on the purchasing side: goods received not billed (GR/IR) at month
end, the rounding residue of a receipt billed in parts, and bill lines with no receipt."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.db.models import Sum
from django.utils import timezone

from common.testing import api_client
from erp_core.billing import services
from erp_core.billing.reconcile import check_goods_received_not_billed
from erp_core.billing.selectors import receipts_not_billed
from erp_core.billing.services import grir_accrual_post
from erp_core.billing.tests.factories import (
    TODAY,
    customer_invoice,
    item,
    received_receipt,
    supplier,
)
from erp_core.ledger.models import FiscalPeriod, JournalEntry, JournalLine
from erp_core.ledger.services import journal_entry_post_lines
from erp_core.stock.models import StockBalance, StockMove
from erp_core.stock.services import stock_issue, stock_receipt
from erp_core.testing.books import assert_books_reconcile
from erp_core.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _balance(code: str, *, as_of: dt.date | None = None) -> D:
    lines = JournalLine.objects.filter(entry__status="posted", account__code=code)
    if as_of is not None:
        lines = lines.filter(entry__date__lte=as_of)
    totals = lines.aggregate(debit=Sum("debit"), credit=Sum("credit"))
    # SQLite sums in floating point: read to the cent.
    return (D(str(totals["debit"] or 0)) - D(str(totals["credit"] or 0))).quantize(D("0.01"))


def _lines(entry: JournalEntry) -> set[tuple]:
    return {
        (line.account.code, line.debit, line.credit)
        for line in entry.lines.select_related("account")
    }


def _bill(partner, receipt_line, quantity: str, *, day=TODAY):
    bill = services.supplier_bill_create_from_receipts(
        partner=partner,
        date=day,
        supplier_invoice_number=f"FP-{receipt_line.pk}-{quantity}-{JournalEntry.objects.count()}",
        lines=[{"receipt_line": receipt_line, "quantity": quantity}],
        actor=None,
    )
    return services.invoice_approve(invoice=bill, actor=None)


def test_a_receipt_billed_in_parts_leaves_nothing_on_1401(books):
    # 10 × 1.005 received = 10.05; billed 3 + 3 + 4 at 3.02 + 3.02 + 4.02 = 10.06.
    partner = supplier()
    receipt = received_receipt(partner, [(item(), "10", "1.005")])
    line = receipt.lines.get()
    assert _balance("1401") == D("-10.05")
    _bill(partner, line, "3")
    _bill(partner, line, "3")
    last = _bill(partner, line, "4")
    assert _balance("1401") == 0
    assert last.lines.get().order_amount == D("4.01")
    assert receipts_not_billed() == []
    assert check_goods_received_not_billed() == []


def test_a_bill_line_without_a_receipt_is_an_expense_not_1401(books):
    partner = supplier()
    bill = services.invoice_create(
        kind="supplier_bill",
        partner=partner,
        date=TODAY,
        supplier_invoice_number="FP-FREIGHT",
        lines=[{"item": item(), "quantity": "1", "unit_price": "200"}],
        actor=None,
    )
    bill = services.invoice_approve(invoice=bill, actor=None)
    codes = {code for code, *_amounts in _lines(bill.journal_entry)}
    assert "1401" not in codes and "6602" in codes
    assert _balance("1401") == 0


def test_goods_received_not_billed_are_accrued_at_month_end_and_reversed_next_month(books):
    partner = supplier()
    receipt = received_receipt(partner, [(item(), "10", "5.00"), (item(), "4", "2.50")])
    first, second = receipt.lines.order_by("line_no")
    _bill(partner, first, "10")
    period = FiscalPeriod.objects.get(start__lte=TODAY, end__gte=TODAY)
    (open_line,) = receipts_not_billed(as_of=period.end)
    assert (open_line.receipt_number, open_line.line_no, open_line.unbilled_value) == (
        receipt.number,
        2,
        D("10.00"),
    )
    entry = grir_accrual_post(period=period, user=None)
    assert entry.date == period.end
    assert _lines(entry) == {("1401", D("10.00"), D(0)), ("2202", D(0), D("10.00"))}
    reversal = JournalEntry.objects.get(reversal_of=entry)
    assert reversal.date == period.end + dt.timedelta(days=1)
    # At the month end the goods received not billed are a liability, not hidden in 1401.
    assert _balance("1401", as_of=period.end) == 0
    assert _balance("2202", as_of=period.end) == D("-10.00") - D("56.50")
    # Nothing more to accrue; a bill dated in the period later accrues the difference only.
    assert grir_accrual_post(period=period, user=None) is None
    _bill(partner, second, "4", day=period.end)
    top_up = grir_accrual_post(period=period, user=None)
    assert _lines(top_up) == {("1401", D(0), D("10.00")), ("2202", D("10.00"), D(0))}
    assert _balance("1401", as_of=period.end) == 0
    assert check_goods_received_not_billed() == []


def test_reconcile_lists_what_1401_holds_beyond_the_receipts(books):
    partner = supplier()
    received_receipt(partner, [(item(), "2", "3.00")])
    assert check_goods_received_not_billed() == []
    # Goods received straight into stock, no purchase receipt: still goods received not billed.
    warehouse = received_receipt(partner, [(item(), "1", "1")]).warehouse
    stock_receipt(item=item(), warehouse=warehouse, quantity=D(1), unit_cost=D(7))
    assert len(receipts_not_billed()) == 3
    assert check_goods_received_not_billed() == []
    # A hand-made entry on 1401 is explained by no receipt.
    journal_entry_post_lines(
        journal_code="GEN",
        date=TODAY,
        memo="typed by hand",
        lines=[{"account": "1002", "debit": "5"}, {"account": "1401", "credit": "5"}],
        source_type="",
        source_id=None,
        source_event_id=None,
    )
    (breach,) = check_goods_received_not_billed()
    assert breach.check == "goods_received_not_billed"
    assert "5.00" in breach.message
    assert len(breach.documents) == 3  # every receipt still open, to trace the difference


def test_the_month_end_page_lists_receipts_not_billed_and_runs_the_steps(books, client):
    partner = supplier()
    receipt = received_receipt(partner, [(item(), "3", "4.00")])
    period = FiscalPeriod.objects.get(start__lte=TODAY, end__gte=TODAY)
    user = UserFactory(roles=["Finance"])
    client.force_login(user)
    page = client.get("/billing/month-end/", {"period": period.pk})
    assert page.status_code == 200
    assert receipt.number in page.content.decode()
    response = client.post("/billing/month-end/grir-accrual/", {"period": period.pk})
    assert response.status_code == 302
    assert JournalEntry.objects.filter(
        source_type="billing.grir_accrual", source_id=period.pk
    ).exists()
    response = client.post("/billing/month-end/count-clear/", {"period": period.pk})
    assert response.status_code == 302


def test_three_partial_credit_notes_leave_no_vat_or_receivable(books):
    # 3 × 0.33 + 13 %: net 0.99, VAT 0.13, gross 1.12; a note of one unit alone is 0.33 +
    # 0.04 = 0.37, three of them 1.11: the last one credits what is left (0.33 + 0.05).
    invoice = customer_invoice(quantity="3", price="0.33", post=True)
    line = invoice.lines.get()
    notes = []
    for n in range(3):
        note = services.credit_note_create(
            invoice=invoice,
            date=TODAY,
            lines=[{"credited_line": line, "quantity": "1"}],
            memo=f"return {n}",
            actor=None,
        )
        notes.append(services.invoice_approve(invoice=note, actor=None))
    assert [note.gross_amount for note in notes] == [D("0.37"), D("0.37"), D("0.38")]
    assert _balance("6001") == 0 and _balance("22210102") == 0 and _balance("1122") == 0
    invoice.refresh_from_db()
    assert invoice.open_amount == 0
    # Red-letter: the revenue account was never debited.
    assert not JournalLine.objects.filter(account__code="6001", debit__gt=0).exists()


def _at_ten() -> dt.datetime:
    """The bill's day, after the receipt (09:00): the bill's value adjustment comes after."""
    return timezone.make_aware(dt.datetime.combine(TODAY, dt.time(10)))


def _stock(goods) -> tuple[D, D]:
    balance = StockBalance.objects.get(item=goods)
    return balance.quantity, balance.value


def test_a_supplier_credit_note_lowers_the_cost_of_the_stock_on_hand_and_input_vat(books):
    # 10 received @ 5.00 and billed; 7 shipped (35.00); 3 on hand (15.00). A credit of the
    # price of 2 (10.00 + 1.30 VAT): all of it is on hand, so the stock is worth 5.00.
    partner, goods = supplier(), item()
    receipt = received_receipt(partner, [(goods, "10", "5.00")])
    bill = _bill(partner, receipt.lines.get(), "10")
    stock_issue(item=goods, warehouse=receipt.warehouse, quantity=D("7"), reason="shipment",
                moved_at=_at_ten())  # fmt: skip
    note = services.credit_note_create(
        invoice=bill,
        date=TODAY,
        lines=[{"credited_line": bill.lines.get(), "quantity": "2"}],
        supplier_invoice_number="RED-2",
        actor=None,
    )
    note = services.invoice_approve(invoice=note, actor=None)
    assert _lines(note.journal_entry) == {
        ("1401", D("-10.00"), D("0")),
        ("22210101", D("-1.30"), D("0")),
        ("2202", D("0"), D("-11.30")),
    }
    adjustment = StockMove.objects.get(reason="value_adjustment")
    assert (adjustment.receipt_value, adjustment.basis_quantity) == (D("-10.00"), D("2"))
    assert _lines(adjustment.journal_entry) == {
        ("1401", D("10.00"), D("0")),
        ("1405", D("0"), D("10.00")),
    }
    assert _stock(goods) == (D("3"), D("5.00"))
    assert _balance("1405") == D("5.00") and _balance("6401") == D("35.00")
    assert _balance("1401") == 0 and _balance("1404") == 0
    assert receipts_not_billed() == []
    assert check_goods_received_not_billed() == []
    assert_books_reconcile()
    assert _balance("22210101") == D("6.50") - D("1.30")


def test_a_price_variance_at_moving_average_revalues_the_stock_and_the_share_sold(books):
    # 10 received @ 10.00 (100.00), 4 shipped (40.00), billed @ 11.00: the 10.00 difference is
    # 6/10 on hand (the 6 left are worth 66.00) and 4/10 sold (6401 44.00 = 4 × 11.00).
    partner, goods = supplier(), item()
    receipt = received_receipt(partner, [(goods, "10", "10.00")])
    stock_issue(item=goods, warehouse=receipt.warehouse, quantity=D("4"), reason="shipment",
                moved_at=_at_ten())  # fmt: skip
    bill = services.supplier_bill_create_from_receipts(
        partner=partner,
        date=TODAY,
        supplier_invoice_number="FP-PPV",
        lines=[{"receipt_line": receipt.lines.get(), "unit_price": "11.00"}],
        actor=None,
    )
    bill = services.invoice_approve(invoice=bill, actor=None)
    assert ("1401", D("110.00"), D("0")) in _lines(bill.journal_entry)
    adjustment = StockMove.objects.get(reason="value_adjustment")
    assert (adjustment.quantity, adjustment.value, adjustment.variance) == (0, D("6.00"), D("4.00"))
    assert _lines(adjustment.journal_entry) == {
        ("1401", D("0"), D("10.00")),
        ("1405", D("6.00"), D("0")),
        ("6401", D("4.00"), D("0")),
    }
    assert _stock(goods) == (D("6"), D("66.00"))
    assert (_balance("1401"), _balance("1404"), _balance("6401")) == (0, 0, D("44.00"))
    assert_books_reconcile()
    assert check_goods_received_not_billed() == []
    # Unposted, the bill takes its difference back at today's stock (6 still on hand).
    services.invoice_unapprove(invoice=bill, actor=None)
    assert _stock(goods) == (D("6"), D("60.00"))
    assert (_balance("1401"), _balance("6401")) == (D("-100.00"), D("40.00"))
    assert check_goods_received_not_billed() == []
    assert_books_reconcile()


def test_a_price_variance_of_a_standard_cost_item_stays_on_1404(books):
    partner, goods = supplier(), item(costing_method="standard", standard_cost=D("10.00"))
    receipt = received_receipt(partner, [(goods, "10", "10.00")])
    bill = services.supplier_bill_create_from_receipts(
        partner=partner,
        date=TODAY,
        supplier_invoice_number="FP-STD",
        lines=[{"receipt_line": receipt.lines.get(), "unit_price": "11.00"}],
        actor=None,
    )
    services.invoice_approve(invoice=bill, actor=None)
    assert not StockMove.objects.filter(reason="value_adjustment").exists()
    assert (_balance("1401"), _balance("1404")) == (0, D("10.00"))
    assert _stock(goods) == (D("10"), D("100.00"))


def test_the_api_lists_receipts_not_billed_and_runs_the_month_end_steps(books):
    partner = supplier()
    receipt = received_receipt(partner, [(item(), "3", "4.00")])
    period = FiscalPeriod.objects.get(start__lte=TODAY, end__gte=TODAY)
    client = api_client(UserFactory(roles=["Finance"]))
    response = client.get("/api/v1/erp/receipts-not-billed/", {"as_of": period.end.isoformat()})
    assert response.status_code == 200
    (row,) = response.json()
    assert (row["receipt_number"], row["unbilled_value"]) == (receipt.number, "12.00")
    response = client.post(
        "/api/v1/erp/month-end-steps/grir-accrual/", {"period": period.pk}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["entry_number"].startswith("PUR-")
    response = client.post(
        "/api/v1/erp/month-end-steps/count-clear/", {"period": period.pk}, format="json"
    )
    assert response.status_code == 200 and response.json()["entry_id"] is None
    response = client.post("/api/v1/erp/month-end-steps/count-clear/", {}, format="json")
    assert response.status_code == 400
    sales = api_client(UserFactory(roles=["Sales"]))
    response = sales.post(
        "/api/v1/erp/month-end-steps/grir-accrual/", {"period": period.pk}, format="json"
    )
    assert response.status_code == 403


def test_a_red_credit_note_is_unposted_by_its_reversal(books):
    invoice = customer_invoice(quantity="2", price="10", post=True)
    note = services.credit_note_create(
        invoice=invoice,
        date=TODAY,
        lines=[{"credited_line": invoice.lines.get(), "quantity": "1"}],
        actor=None,
    )
    note = services.invoice_approve(invoice=note, actor=None)
    entry = note.journal_entry
    services.invoice_unapprove(invoice=note, actor=None)
    reversal = JournalEntry.objects.get(reversal_of=entry)
    assert _lines(reversal) == {(code, credit, debit) for code, debit, credit in _lines(entry)}
    assert _balance("6001") == D("-20.00")
