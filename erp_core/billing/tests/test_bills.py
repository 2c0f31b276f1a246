"""Supplier bills: three-way match against the order's price and the received quantity."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from common.errors import Conflict
from erp_core.billing import services
from erp_core.billing.models import Invoice
from erp_core.billing.tests.factories import (
    TODAY,
    customer,
    item,
    received_receipt,
    supplier,
    supplier_bill,
)
from erp_core.ledger.models import JournalEntry
from erp_core.purchasing.models import PurchaseReceipt, PurchaseReceiptLine
from integration.models import Event

pytestmark = pytest.mark.django_db


def _lines(entry: JournalEntry) -> set[tuple]:
    return {
        (line.account.code, line.debit, line.credit, line.partner_id)
        for line in entry.lines.select_related("account")
    }


def test_a_bill_above_the_order_price_posts_the_variance_to_1404(books):
    # A standard-cost item. PO 10 × 5.00, received 10, billed 10 × 5.20: order value 50.00,
    # billed 52.00, variance 2.00; VAT 13 % of 52.00 = 6.76; payable 58.76.
    bill = supplier_bill(
        quantity="10", order_price="5.00", billed_price="5.20", costing_method="standard"
    )
    line = bill.lines.get()
    assert (line.order_unit_price, line.order_amount, line.net_amount, line.variance_amount) == (
        D("5"),
        D("50.00"),
        D("52.00"),
        D("2.00"),
    )
    assert line.match_status == bill.match_status == Invoice.MatchStatus.PRICE_VARIANCE
    bill = services.invoice_approve(invoice=bill, actor=None)
    assert bill.journal_entry.journal.code == "PUR"
    assert _lines(bill.journal_entry) == {
        ("1401", D("50.00"), D("0.00"), None),
        ("1404", D("2.00"), D("0.00"), None),
        ("22210101", D("6.76"), D("0.00"), None),
        ("2202", D("0.00"), D("58.76"), bill.partner_id),
    }
    assert line.receipt_line.billed_quantity == D("10")
    assert not Event.objects.filter(topic="erp.invoice_posted").exists()


def test_a_bill_below_the_order_price_credits_the_variance(books):
    bill = supplier_bill(
        quantity="10", order_price="5.00", billed_price="4.90", post=True, costing_method="standard"
    )
    assert _lines(bill.journal_entry) == {
        ("1401", D("50.00"), D("0.00"), None),
        ("1404", D("0.00"), D("1.00"), None),
        ("22210101", D("6.37"), D("0.00"), None),
        ("2202", D("0.00"), D("55.37"), bill.partner_id),
    }


def test_a_bill_at_the_order_price_is_matched_without_variance(books):
    bill = supplier_bill(quantity="10", order_price="5.00", post=True)
    assert bill.match_status == Invoice.MatchStatus.MATCHED
    codes = {code for code, *_rest in _lines(bill.journal_entry)}
    assert "1404" not in codes


def test_a_whole_receipt_is_billed_at_the_order_prices(books):
    partner = supplier()
    receipt = received_receipt(partner, [(item(), "10", "5.00", "6"), (item(), "3", "2.50")])
    bill = services.supplier_bill_create_from_receipts(
        partner=partner,
        date=TODAY,
        supplier_invoice_number="04400001",
        receipts=[receipt],
        actor=None,
    )
    assert [line.quantity for line in bill.lines.order_by("line_no")] == [D("6"), D("3")]
    assert bill.net_amount == D("37.50") and bill.match_status == Invoice.MatchStatus.MATCHED


def test_a_free_bill_line_has_no_receipt(books):
    partner = supplier()
    receipt = received_receipt(partner, [(item(), "10", "5.00")])
    bill = services.invoice_create(
        kind=Invoice.Kind.SUPPLIER_BILL,
        partner=partner,
        date=TODAY,
        supplier_invoice_number="FREIGHT-1",
        lines=[
            {"receipt_line": receipt.lines.get()},
            {"item": item(), "quantity": "1", "unit_price": "20", "account": "6602"},
        ],
        actor=None,
    )
    assert bill.match_status == Invoice.MatchStatus.NO_RECEIPT
    bill = services.invoice_approve(invoice=bill, actor=None)
    assert _lines(bill.journal_entry) == {
        ("1401", D("50.00"), D("0.00"), None),
        ("6602", D("20.00"), D("0.00"), None),
        ("22210101", D("9.10"), D("0.00"), None),
        ("2202", D("0.00"), D("79.10"), partner.pk),
    }


def test_billing_more_than_received_is_refused(books):
    partner = supplier()
    receipt = received_receipt(partner, [(item(), "10", "5.00", "4")])
    with pytest.raises(ValidationError) as raised:
        services.supplier_bill_create_from_receipts(
            partner=partner,
            date=TODAY,
            supplier_invoice_number="X1",
            lines=[{"receipt_line": receipt.lines.get(), "quantity": "5"}],
            actor=None,
        )
    assert "not yet billed" in str(raised.value)
    first = supplier_bill(partner)
    line = first.lines.get().receipt_line
    second = services.supplier_bill_create_from_receipts(
        partner=partner,
        date=TODAY,
        supplier_invoice_number="X2",
        lines=[{"receipt_line": line}],
        actor=None,
    )
    services.invoice_approve(invoice=first, actor=None)
    entries = JournalEntry.objects.count()
    with pytest.raises(Conflict) as raised:
        services.invoice_approve(invoice=second, actor=None)
    assert raised.value.code == "over_billed"
    assert JournalEntry.objects.count() == entries
    assert PurchaseReceiptLine.objects.get(pk=line.pk).billed_quantity == D("10")


def test_the_suppliers_number_is_required_and_unique_per_supplier(books):
    partner = supplier()
    receipt = received_receipt(partner, [(item(), "10", "5.00")])
    spec = [{"receipt_line": receipt.lines.get(), "quantity": "1"}]
    with pytest.raises(ValidationError):
        services.supplier_bill_create_from_receipts(
            partner=partner, date=TODAY, supplier_invoice_number="", lines=spec, actor=None
        )
    services.supplier_bill_create_from_receipts(
        partner=partner, date=TODAY, supplier_invoice_number="A-1", lines=spec, actor=None
    )
    with pytest.raises(Conflict) as raised:
        services.supplier_bill_create_from_receipts(
            partner=partner, date=TODAY, supplier_invoice_number="A-1", lines=spec, actor=None
        )
    assert raised.value.code == "duplicate"
    other = supplier()
    other_receipt = received_receipt(other, [(item(), "1", "1")])
    services.supplier_bill_create_from_receipts(
        partner=other,
        date=TODAY,
        supplier_invoice_number="A-1",
        lines=[{"receipt_line": other_receipt.lines.get()}],
        actor=None,
    )


def test_an_unreceived_receipt_or_a_customer_cannot_be_billed(books):
    partner = supplier()
    receipt = received_receipt(partner, [(item(), "1", "1")], status=PurchaseReceipt.Status.DRAFT)
    with pytest.raises(ValidationError):
        services.supplier_bill_create_from_receipts(
            partner=partner,
            date=TODAY,
            supplier_invoice_number="N1",
            receipts=[receipt],
            actor=None,
        )
    with pytest.raises(ValidationError):
        services.invoice_create(
            kind=Invoice.Kind.SUPPLIER_BILL,
            partner=customer(),
            date=TODAY,
            supplier_invoice_number="N2",
            lines=[{"item": item(), "quantity": "1", "unit_price": "1"}],
            actor=None,
        )
    assert not Invoice.objects.exists()


def test_unposting_a_bill_gives_the_billed_quantity_back(books):
    bill = supplier_bill(billed_price="5.20", post=True)
    entry = bill.journal_entry
    bill = services.invoice_unapprove(invoice=bill, actor=None)
    assert bill.lines.get().receipt_line.billed_quantity == 0
    reversal = JournalEntry.objects.get(reversal_of=entry)
    assert _lines(reversal) == {
        (code, credit, debit, partner) for code, debit, credit, partner in _lines(entry)
    }


def test_a_supplier_credit_note_posts_the_bill_red_with_its_variance(books):
    bill = supplier_bill(quantity="10", order_price="5.00", billed_price="5.20", post=True)
    note = services.credit_note_create(
        invoice=bill,
        date=TODAY,
        lines=[{"credited_line": bill.lines.get(), "quantity": "5"}],
        supplier_invoice_number="RED-1",
        actor=None,
    )
    assert note.kind == Invoice.Kind.SUPPLIER_CREDIT_NOTE and note.number.startswith("BC-")
    note = services.invoice_approve(invoice=note, actor=None)
    # 红字, and the goods' cost is lowered instead of reopening the receipt: the price
    # difference of a standard-cost item; for one at an actual cost the credit goes through
    # 1401 to the goods' value adjustment (the stock ledger's entry takes it off 1401 again).
    difference = "1404" if bill.lines.get().item.costing_method == "standard" else "1401"
    assert _lines(note.journal_entry) == {
        ("2202", D("0.00"), D("-29.38"), bill.partner_id),
        (difference, D("-26.00"), D("0.00"), None),
        ("22210101", D("-3.38"), D("0.00"), None),
    }
    bill.refresh_from_db()
    assert bill.open_amount == D("29.38")
