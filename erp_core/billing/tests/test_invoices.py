"""Customer invoices and credit notes: made from deliveries, posted, unposted, voided."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from common.errors import Conflict
from erp_core.billing import services
from erp_core.billing.models import Invoice
from erp_core.billing.services.lines import due_date_for
from erp_core.billing.tests.factories import (
    TODAY,
    customer,
    customer_invoice,
    item,
    payment,
    shipped_delivery,
    supplier,
)
from erp_core.ledger.models import JournalEntry
from erp_core.ledger.selectors import company_settings
from erp_core.models import Currency
from erp_core.sales.models import Delivery, DeliveryLine
from integration.models import Event

pytestmark = pytest.mark.django_db


def _lines(entry: JournalEntry) -> set[tuple]:
    return {
        (line.account.code, line.debit, line.credit, line.partner_id)
        for line in entry.lines.select_related("account")
    }


def _state(invoice: Invoice) -> tuple:
    """What a refused call must leave as it was."""
    invoice.refresh_from_db()
    return (
        invoice.status,
        invoice.revision,
        invoice.journal_entry_id,
        invoice.amount_allocated,
        JournalEntry.objects.count(),
        Event.objects.count(),
        tuple(DeliveryLine.objects.order_by("pk").values_list("invoiced_quantity", flat=True)),
        Invoice.objects.count(),
    )


def test_an_invoice_from_a_delivery_bills_what_shipped_at_the_order_price(books):
    partner = customer(payment_terms_days=45)
    delivery = shipped_delivery(partner, [(item(), "4", "250.00", "10"), (item(), "2", "10.50")])
    invoice = services.customer_invoice_create_from_deliveries(
        partner=partner, date=TODAY, deliveries=[delivery], actor=None
    )
    assert invoice.number == "IV-2026-000001"
    assert invoice.status == Invoice.Status.DRAFT
    assert invoice.due_date == TODAY + dt.timedelta(days=45)
    lines = list(invoice.lines.order_by("line_no"))
    assert [(line.quantity, line.discount_percent, line.net_amount) for line in lines] == [
        (D("4"), D("10"), D("900.00")),
        (D("2"), D("0"), D("21.00")),
    ]
    assert (invoice.net_amount, invoice.tax_amount, invoice.gross_amount) == (
        D("921.00"),
        D("119.73"),
        D("1040.73"),
    )
    assert DeliveryLine.objects.filter(invoiced_quantity__gt=0).count() == 0


def test_posting_an_invoice_books_receivable_revenue_and_output_vat(
    books, django_capture_on_commit_callbacks
):
    invoice = customer_invoice()
    with django_capture_on_commit_callbacks():
        invoice = services.invoice_approve(invoice=invoice, actor=None)
    assert invoice.status == Invoice.Status.APPROVED
    entry = invoice.journal_entry
    assert entry.journal.code == "SAL" and entry.is_posted
    assert _lines(entry) == {
        ("1122", D("1130.00"), D("0.00"), invoice.partner_id),
        ("6001", D("0.00"), D("1000.00"), None),
        ("22210102", D("0.00"), D("130.00"), None),
    }
    assert invoice.lines.get().delivery_line.invoiced_quantity == D("10")
    event = Event.objects.get(topic="erp.invoice_posted")
    assert event.payload == {
        "invoice_id": invoice.pk,
        "partner_id": invoice.partner_id,
        "amount": "1130.00",
        "due_date": invoice.due_date.isoformat(),
    }


def test_posting_copies_the_buyers_vat_invoice_fields(books):
    company = company_settings()
    company.name, company.tax_id = "众泰机械有限公司", "91310000MA1K000001"
    company.address, company.phone = "上海市嘉定区工业路 88 号", "021-5999 0000"
    company.bank_name, company.bank_account = "招商银行上海分行", "1219 0000 0000"
    company.full_clean()
    company.save()
    partner = customer()
    invoice = customer_invoice(partner, post=True)
    partner.invoice_title = "改名后的公司"
    partner.save()
    invoice.refresh_from_db()
    assert invoice.buyer_name == "上海客户有限公司"
    assert invoice.buyer_tax_id == partner.tax_id
    assert invoice.buyer_bank == "工商银行 6222 0000 1111"
    # Ours, from the company settings.
    assert invoice.seller_name == "众泰机械有限公司"
    assert invoice.seller_tax_id == "91310000MA1K000001"
    assert invoice.seller_address_phone == "上海市嘉定区工业路 88 号 021-5999 0000"
    assert invoice.seller_bank == "招商银行上海分行 1219 0000 0000"


def test_invoicing_more_than_shipped_is_refused_and_writes_nothing(books):
    partner = customer()
    delivery = shipped_delivery(partner, [(item(), "5", "10")])
    line = delivery.lines.get()
    before = Invoice.objects.count()
    with pytest.raises(ValidationError) as raised:
        services.customer_invoice_create_from_deliveries(
            partner=partner,
            date=TODAY,
            lines=[{"delivery_line": line, "quantity": "6"}],
            actor=None,
        )
    assert "not yet invoiced" in str(raised.value)
    assert Invoice.objects.count() == before


def test_two_drafts_of_the_same_shipment_cannot_both_post(books):
    partner = customer()
    delivery = shipped_delivery(partner, [(item(), "5", "10")])
    first = services.customer_invoice_create_from_deliveries(
        partner=partner, date=TODAY, deliveries=[delivery], actor=None
    )
    second = services.customer_invoice_create_from_deliveries(
        partner=partner, date=TODAY, deliveries=[delivery], actor=None
    )
    services.invoice_approve(invoice=first, actor=None)
    before = _state(second)
    with pytest.raises(Conflict) as raised:
        services.invoice_approve(invoice=second, actor=None)
    assert raised.value.code == "over_invoiced"
    assert _state(second) == before


def test_an_unshipped_or_another_customers_delivery_is_refused(books):
    partner = customer()
    draft_delivery = shipped_delivery(partner, [(item(), "5", "10")], status=Delivery.Status.DRAFT)
    theirs = shipped_delivery(customer(), [(item(), "5", "10")])
    for delivery in (draft_delivery, theirs):
        with pytest.raises(ValidationError):
            services.customer_invoice_create_from_deliveries(
                partner=partner,
                date=TODAY,
                lines=[{"delivery_line": delivery.lines.get()}],
                actor=None,
            )
    with pytest.raises(ValidationError):
        services.customer_invoice_create_from_deliveries(
            partner=partner, date=TODAY, deliveries=[theirs], actor=None
        )
    assert not Invoice.objects.exists()


def test_a_supplier_or_a_foreign_currency_cannot_be_invoiced(books):
    with pytest.raises(ValidationError):
        services.invoice_create(
            kind=Invoice.Kind.CUSTOMER_INVOICE,
            partner=supplier(),
            date=TODAY,
            lines=[{"item": item(), "quantity": "1", "unit_price": "5"}],
            actor=None,
        )
    with pytest.raises(ValidationError) as raised:
        services.invoice_create(
            kind=Invoice.Kind.CUSTOMER_INVOICE,
            partner=customer(currency=Currency.objects.create(code="USD", name="US dollar")),
            date=TODAY,
            lines=[{"item": item(), "quantity": "1", "unit_price": "5"}],
            actor=None,
        )
    assert "currency" in raised.value.message_dict
    assert not Invoice.objects.exists()


def test_a_free_line_takes_the_revenue_account_of_the_rule_or_its_own(books):
    partner = customer()
    invoice = services.invoice_create(
        kind=Invoice.Kind.CUSTOMER_INVOICE,
        partner=partner,
        date=TODAY,
        lines=[
            {"item": item(), "quantity": "1", "unit_price": "100", "description": "运费"},
            {"item": item(), "quantity": "2", "unit_price": "50", "account": "6051"},
        ],
        actor=None,
    )
    invoice = services.invoice_approve(invoice=invoice, actor=None)
    assert _lines(invoice.journal_entry) == {
        ("1122", D("226.00"), D("0.00"), partner.pk),
        ("6001", D("0.00"), D("100.00"), None),
        ("6051", D("0.00"), D("100.00"), None),
        ("22210102", D("0.00"), D("26.00"), None),
    }


@pytest.mark.parametrize(
    "bad_line",
    [
        {"item": None, "quantity": "1", "unit_price": "1"},
        {"quantity": "1", "unit_price": "1"},
        {"item": "ITEM", "quantity": "0", "unit_price": "1"},
        {"item": "ITEM", "quantity": "-1", "unit_price": "1"},
        {"item": "ITEM", "quantity": "1", "unit_price": "-1"},
        {"item": "ITEM", "quantity": "1"},
        {"item": "ITEM", "quantity": 1.5, "unit_price": "1"},
        {"item": "ITEM", "quantity": "1", "unit_price": "1", "discount_percent": "101"},
        {"item": 999999, "quantity": "1", "unit_price": "1"},
    ],
)
def test_bad_lines_are_refused_and_nothing_is_written(books, bad_line):
    bad_line = {key: (item() if value == "ITEM" else value) for key, value in bad_line.items()}
    with pytest.raises(ValidationError) as raised:
        services.invoice_create(
            kind=Invoice.Kind.CUSTOMER_INVOICE,
            partner=customer(),
            date=TODAY,
            lines=[bad_line],
            actor=None,
        )
    assert "lines" in raised.value.message_dict
    assert not Invoice.objects.exists()


def test_a_saved_invoice_is_edited_with_its_revision(books):
    invoice = customer_invoice(quantity="10")
    line = invoice.lines.get()
    changed = services.invoice_update(
        invoice=invoice,
        actor=None,
        expected_revision=1,
        memo="partial",
        lines=[{"delivery_line": line.delivery_line_id, "quantity": "4"}],
    )
    assert changed.revision == 2
    assert changed.gross_amount == D("452.00")
    before = _state(changed)
    with pytest.raises(Conflict) as raised:
        services.invoice_update(invoice=changed, actor=None, expected_revision=1, memo="stale")
    assert raised.value.code == "stale_update"
    assert _state(changed) == before


def test_refused_transitions_change_nothing(books):
    draft = customer_invoice()
    state = _state(draft)
    for call in (
        lambda: services.invoice_unapprove(invoice=draft, actor=None),
        lambda: services.invoice_approve(invoice=draft, actor=None, expected_revision=7),
    ):
        with pytest.raises(Conflict):
            call()
        assert _state(draft) == state

    posted = services.invoice_approve(invoice=draft, actor=None)
    state = _state(posted)
    for call in (
        lambda: services.invoice_approve(invoice=posted, actor=None),
        lambda: services.invoice_void(invoice=posted, actor=None, reason="no"),
        lambda: services.invoice_update(invoice=posted, actor=None, memo="x"),
    ):
        with pytest.raises(Conflict) as raised:
            call()
        assert raised.value.code == "invalid_status"
        assert _state(posted) == state

    voided = customer_invoice()
    voided = services.invoice_void(invoice=voided, actor=None, reason="typed twice")
    state = _state(voided)
    for call in (
        lambda: services.invoice_approve(invoice=voided, actor=None),
        lambda: services.invoice_void(invoice=voided, actor=None, reason="again"),
        lambda: services.invoice_unapprove(invoice=voided, actor=None),
    ):
        with pytest.raises(Conflict):
            call()
        assert _state(voided) == state


def test_void_needs_a_reason_and_keeps_the_number(books):
    invoice = customer_invoice()
    with pytest.raises(ValidationError):
        services.invoice_void(invoice=invoice, actor=None, reason="  ")
    voided = services.invoice_void(invoice=invoice, actor=None, reason="wrong customer")
    assert (voided.status, voided.void_reason, voided.number) == (
        Invoice.Status.VOIDED,
        "wrong customer",
        invoice.number,
    )


def test_unposting_reverses_the_entry_and_gives_the_quantities_back(books):
    invoice = customer_invoice(post=True)
    entry = invoice.journal_entry
    delivery_line = invoice.lines.get().delivery_line
    invoice = services.invoice_unapprove(invoice=invoice, actor=None)
    assert invoice.status == Invoice.Status.DRAFT and invoice.journal_entry is None
    assert JournalEntry.objects.filter(reversal_of=entry, status="posted").exists()
    delivery_line.refresh_from_db()
    assert delivery_line.invoiced_quantity == 0
    again = services.invoice_approve(invoice=invoice, actor=None)
    assert again.journal_entry != entry
    delivery_line.refresh_from_db()
    assert delivery_line.invoiced_quantity == D("10")


def test_unposting_is_refused_while_a_payment_is_allocated(books):
    invoice = customer_invoice(post=True)
    payment(invoice.partner, "100", allocations=[(invoice, "100")])
    state = _state(invoice)
    with pytest.raises(Conflict) as raised:
        services.invoice_unapprove(invoice=invoice, actor=None)
    assert raised.value.code == "has_downstream"
    assert _state(invoice) == state


def test_a_credit_note_posts_red_on_the_invoice_sides_and_settles_it(books):
    invoice = customer_invoice(quantity="10", price="100", post=True)
    line = invoice.lines.get()
    note = services.credit_note_create(
        invoice=invoice,
        date=TODAY,
        lines=[{"credited_line": line, "quantity": "3"}],
        memo="3 returned",
        actor=None,
    )
    assert note.kind == Invoice.Kind.CUSTOMER_CREDIT_NOTE and note.number.startswith("CN-")
    assert note.gross_amount == D("339.00") and note.due_date == TODAY
    note = services.invoice_approve(invoice=note, actor=None)
    # 红字: negative amounts on the sides the invoice took, so revenue and output VAT are not
    # overstated by a debit and a credit of the same sale.
    assert _lines(note.journal_entry) == {
        ("6001", D("0.00"), D("-300.00"), None),
        ("22210102", D("0.00"), D("-39.00"), None),
        ("1122", D("-339.00"), D("0.00"), invoice.partner_id),
    }
    invoice.refresh_from_db()
    assert invoice.open_amount == D("791.00")
    assert note.amount_allocated == D("339.00")
    # A credit note does not give the shipped quantity back.
    assert line.delivery_line.invoiced_quantity == D("10")
    # The original cannot be unposted while its credit note stands.
    with pytest.raises(Conflict):
        services.invoice_unapprove(invoice=invoice, actor=None)


def test_credit_notes_never_credit_more_than_was_invoiced(books):
    invoice = customer_invoice(quantity="10", post=True)
    line = invoice.lines.get()
    first = services.credit_note_create(
        invoice=invoice, date=TODAY, lines=[{"credited_line": line, "quantity": "8"}], actor=None
    )
    services.invoice_approve(invoice=first, actor=None)
    with pytest.raises(ValidationError):
        services.credit_note_create(
            invoice=invoice,
            date=TODAY,
            lines=[{"credited_line": line, "quantity": "3"}],
            actor=None,
        )
    rest = services.credit_note_create(invoice=invoice, date=TODAY, actor=None)
    assert rest.lines.get().quantity == D("2")
    services.invoice_approve(invoice=rest, actor=None)
    with pytest.raises(Conflict):
        services.credit_note_create(invoice=invoice, date=TODAY, actor=None)


def test_a_credit_note_of_a_draft_or_of_a_credit_note_is_refused(books):
    draft = customer_invoice()
    with pytest.raises(Conflict):
        services.credit_note_create(invoice=draft, date=TODAY, actor=None)
    posted = customer_invoice(post=True)
    note = services.invoice_approve(
        invoice=services.credit_note_create(invoice=posted, date=TODAY, actor=None), actor=None
    )
    with pytest.raises(ValidationError):
        services.credit_note_create(invoice=note, date=TODAY, actor=None)


def test_unposting_a_credit_note_reopens_the_invoice(books):
    invoice = customer_invoice(post=True)
    note = services.invoice_approve(
        invoice=services.credit_note_create(invoice=invoice, date=TODAY, actor=None), actor=None
    )
    invoice.refresh_from_db()
    assert invoice.open_amount == 0
    # Collections learn the credit note, and that it was taken back.
    assert Event.objects.get(topic="erp.credit_note_posted").payload == {
        "credit_note_id": note.pk,
        "invoice_id": invoice.pk,
        "partner_id": invoice.partner_id,
        "amount": str(note.gross_amount),
    }
    services.invoice_unapprove(invoice=note, actor=None)
    assert Event.objects.get(topic="erp.invoice_unposted").payload == {
        "invoice_id": note.pk,
        "partner_id": invoice.partner_id,
    }
    invoice.refresh_from_db()
    assert invoice.open_amount == invoice.gross_amount
    note.refresh_from_db()
    assert note.amount_allocated == 0 and note.status == Invoice.Status.DRAFT


def test_payment_terms_past_the_calendars_end_are_a_field_error():
    partner = customer()
    with pytest.raises(ValidationError) as excinfo:
        due_date_for(dt.date(9999, 12, 31), None, partner)
    assert "due_date" in excinfo.value.message_dict
