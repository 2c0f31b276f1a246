"""Payments received and made: posting, allocation (partial, later, taken back), unapplied cash."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from common.errors import Conflict
from erp_core.billing import services
from erp_core.billing.models import Invoice, Payment, PaymentAllocation
from erp_core.billing.tests.factories import (
    TODAY,
    customer,
    customer_invoice,
    payment,
    supplier,
    supplier_bill,
)
from erp_core.ledger.models import JournalEntry
from integration.models import Event

pytestmark = pytest.mark.django_db
RECEIVED, MADE = Payment.Direction.RECEIVED, Payment.Direction.MADE


def _lines(entry: JournalEntry) -> set[tuple]:
    return {
        (line.account.code, line.debit, line.credit, line.partner_id)
        for line in entry.lines.select_related("account")
    }


def _state(*objects) -> tuple:
    for obj in objects:
        obj.refresh_from_db()
    return (
        tuple((obj.status, obj.revision, obj.amount_allocated) for obj in objects),
        JournalEntry.objects.count(),
        PaymentAllocation.objects.count(),
        Event.objects.count(),
    )


def test_a_received_payment_posts_bank_against_the_receivable_and_publishes(books):
    partner = customer()
    received = payment(partner, "500.00")
    assert received.number == "RC-2026-000001" and received.bank_account.code == "1002"
    received = services.payment_approve(payment=received, actor=None)
    assert received.journal_entry.journal.code == "BNK"
    assert _lines(received.journal_entry) == {
        ("1002", D("500.00"), D("0.00"), None),
        ("1122", D("0.00"), D("500.00"), partner.pk),
    }
    event = Event.objects.get(topic="erp.payment_received")
    assert event.payload == {
        "payment_id": received.pk,
        "partner_id": partner.pk,
        "amount": "500.00",
    }


def test_a_payment_made_posts_the_payable_against_the_bank(books):
    bill = supplier_bill(billed_price="5.20", post=True)
    made = payment(bill.partner, "58.76", direction=MADE, allocations=[(bill, "58.76")], post=True)
    assert made.number.startswith("PY-")
    assert _lines(made.journal_entry) == {
        ("2202", D("58.76"), D("0.00"), bill.partner_id),
        ("1002", D("0.00"), D("58.76"), None),
    }
    bill.refresh_from_db()
    assert bill.open_amount == 0
    assert not Event.objects.filter(topic="erp.payment_received").exists()


def test_partial_allocation_leaves_the_rest_open_and_the_cash_unapplied(books):
    partner = customer()
    first = customer_invoice(partner, quantity="10", price="100", post=True)  # 1,130.00
    second = customer_invoice(partner, quantity="1", price="100", post=True)  # 113.00
    received = payment(partner, "1500.00", allocations=[(first, "1000.00"), (second, "113.00")])
    first.refresh_from_db()
    assert first.open_amount == D("1130.00"), "planned allocations settle only when posted"
    received = services.payment_approve(payment=received, actor=None)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.open_amount, second.open_amount) == (D("130.00"), D("0.00"))
    assert received.amount_allocated == D("1113.00")
    assert received.unapplied_amount == D("387.00")


def test_an_invoice_object_held_from_before_its_posting_is_read_afresh(books):
    partner = customer()
    held = customer_invoice(partner, quantity="1", price="100")  # saved, then posted elsewhere
    services.invoice_approve(invoice=Invoice.objects.get(pk=held.pk), actor=None)
    received = payment(partner, "113.00", allocations=[(held, "113.00")])
    assert received.allocations.get().invoice_id == held.pk


def test_allocating_above_the_open_amount_or_the_unapplied_cash_is_refused(books):
    partner = customer()
    invoice = customer_invoice(partner, quantity="1", price="100", post=True)  # 113.00
    with pytest.raises(ValidationError) as raised:
        payment(partner, "500", allocations=[(invoice, "113.01")])
    assert "open" in str(raised.value)
    with pytest.raises(ValidationError):
        payment(partner, "50", allocations=[(invoice, "60")])
    received = payment(partner, "100", post=True)
    state = _state(received, invoice)
    for allocations in (
        [{"invoice": invoice, "amount": "100.01"}],
        [{"invoice": invoice, "amount": "0"}],
        [{"invoice": invoice, "amount": "-5"}],
        [{"invoice": 999999, "amount": "5"}],
    ):
        with pytest.raises(ValidationError):
            services.payment_allocate(payment=received, allocations=allocations, actor=None)
        assert _state(received, invoice) == state


def test_allocations_only_to_posted_documents_of_the_same_partner_and_side(books):
    partner = customer()
    draft = customer_invoice(partner)
    theirs = customer_invoice(post=True)
    bill = supplier_bill(post=True)
    for invoice in (draft, theirs, bill):
        with pytest.raises(ValidationError):
            payment(partner, "10", allocations=[(invoice, "5")])
    assert not Payment.objects.exists()


def test_unapplied_cash_is_allocated_later_and_taken_back(books):
    partner = customer()
    invoice = customer_invoice(partner, quantity="1", price="100", post=True)
    received = payment(partner, "200", post=True)
    received = services.payment_allocate(
        payment=received, allocations=[{"invoice": invoice, "amount": "50"}], actor=None
    )
    received = services.payment_allocate(
        payment=received, allocations=[{"invoice": invoice, "amount": "13"}], actor=None
    )
    allocation = received.allocations.get()
    assert allocation.amount == D("63.00") and received.unapplied_amount == D("137.00")
    invoice.refresh_from_db()
    assert invoice.open_amount == D("50.00")
    received = services.allocation_remove(allocation=allocation, actor=None)
    invoice.refresh_from_db()
    assert (invoice.open_amount, received.amount_allocated) == (D("113.00"), D("0.00"))


def test_unposting_a_payment_needs_it_unallocated(books):
    partner = customer()
    invoice = customer_invoice(partner, post=True)
    received = payment(partner, "100", allocations=[(invoice, "100")], post=True)
    state = _state(received, invoice)
    with pytest.raises(Conflict) as raised:
        services.payment_unapprove(payment=received, actor=None)
    assert raised.value.code == "has_downstream"
    assert _state(received, invoice) == state
    services.allocation_remove(allocation=received.allocations.get(), actor=None)
    entry = received.journal_entry
    received = services.payment_unapprove(payment=received, actor=None)
    assert received.status == Payment.Status.DRAFT
    assert JournalEntry.objects.filter(reversal_of=entry).exists()


def test_refused_payment_transitions_change_nothing(books):
    partner = customer()
    draft = payment(partner, "10")
    state = _state(draft)
    with pytest.raises(Conflict):
        services.payment_unapprove(payment=draft, actor=None)
    with pytest.raises(Conflict):
        services.payment_approve(payment=draft, actor=None, expected_revision=9)
    assert _state(draft) == state
    posted = services.payment_approve(payment=draft, actor=None)
    state = _state(posted)
    for call in (
        lambda: services.payment_approve(payment=posted, actor=None),
        lambda: services.payment_void(payment=posted, actor=None, reason="x"),
        lambda: services.payment_update(payment=posted, actor=None, memo="x"),
    ):
        with pytest.raises(Conflict):
            call()
        assert _state(posted) == state
    voided = services.payment_void(payment=payment(partner, "5"), actor=None, reason="typo")
    state = _state(voided)
    for call in (
        lambda: services.payment_approve(payment=voided, actor=None),
        lambda: services.payment_allocate(
            payment=voided, allocations=[{"invoice": 1, "amount": "1"}], actor=None
        ),
    ):
        with pytest.raises(Conflict):
            call()
        assert _state(voided) == state


def test_bad_payments_are_refused(books):
    partner = customer()
    for kwargs in (
        {"direction": RECEIVED, "partner": partner, "amount": D("0")},
        {"direction": RECEIVED, "partner": partner, "amount": D("-1")},
        {"direction": RECEIVED, "partner": partner, "amount": 1.5},
        {"direction": "sideways", "partner": partner, "amount": D("1")},
        {"direction": MADE, "partner": partner, "amount": D("1")},
        {"direction": RECEIVED, "partner": supplier(), "amount": D("1")},
        {"direction": RECEIVED, "partner": partner, "amount": D("1"), "bank_account": "4001x"},
        {"direction": RECEIVED, "partner": partner, "amount": D("1"), "bank_account": "2221"},
    ):
        with pytest.raises(ValidationError):
            services.payment_create(date=TODAY, actor=None, **kwargs)
    assert not Payment.objects.exists()


def test_a_voided_draft_drops_its_planned_allocations(books):
    partner = customer()
    invoice = customer_invoice(partner, post=True)
    draft = payment(partner, "100", allocations=[(invoice, "100")])
    services.payment_void(payment=draft, actor=None, reason="duplicate")
    assert not PaymentAllocation.objects.exists()
    invoice.refresh_from_db()
    assert invoice.open_amount == invoice.gross_amount
    # The invoice is free again: it can be unposted.
    services.invoice_unapprove(invoice=invoice, actor=None)
    assert Invoice.objects.get(pk=invoice.pk).status == Invoice.Status.DRAFT


def test_an_edited_draft_replaces_its_planned_allocations(books):
    partner = customer()
    invoice = customer_invoice(partner, quantity="1", price="100", post=True)
    draft = payment(partner, "100", allocations=[(invoice, "100")])
    draft = services.payment_update(
        payment=draft,
        actor=None,
        expected_revision=1,
        amount=D("50"),
        allocations=[{"invoice": invoice, "amount": D("40")}],
    )
    assert (draft.amount, draft.amount_allocated, draft.revision) == (D("50"), D("40"), 2)
    with pytest.raises(ValidationError):
        services.payment_update(payment=draft, actor=None, amount=D("30"))
