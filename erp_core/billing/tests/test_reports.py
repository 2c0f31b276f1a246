"""AR/AP aging, partner statements and invariant 7 in ``manage.py reconcile``."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F, Sum

from erp_core.billing import selectors, services
from erp_core.billing.reconcile import BILLING_CHECKS
from erp_core.billing.tests.factories import (
    TODAY,
    customer,
    customer_invoice,
    payment,
    supplier,
    supplier_bill,
)
from erp_core.ledger.models import JournalLine
from erp_core.ledger.reconcile import run_checks
from erp_core.ledger.services import journal_entry_post_lines
from erp_core.registry import reconcile_checks

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2026, 6, 30)


def _invoice_due(partner, *, due: dt.date, price: str = "100", day: dt.date = TODAY):
    invoice = customer_invoice(partner, quantity="1", price=price, day=day)
    invoice = services.invoice_update(invoice=invoice, actor=None, due_date=due)
    return services.invoice_approve(invoice=invoice, actor=None)


def test_aging_puts_open_amounts_in_buckets_by_days_past_due(books, django_assert_max_num_queries):
    partner = customer()
    _invoice_due(partner, due=dt.date(2026, 7, 15))  # not yet due → 0-30
    _invoice_due(partner, due=dt.date(2026, 5, 31))  # 30 days → 0-30
    _invoice_due(partner, due=dt.date(2026, 5, 30), price="200")  # 31 days → 31-60
    _invoice_due(partner, due=dt.date(2026, 5, 1), price="300")  # 60 days → 31-60
    _invoice_due(partner, due=dt.date(2026, 4, 1), price="400")  # 90 days → 61-90
    old = _invoice_due(partner, due=dt.date(2026, 3, 31), price="500")  # 91 days → 90+
    payment(partner, "165.00", allocations=[(old, "65.00")], post=True)  # 100 unapplied
    customer_invoice(partner, day=dt.date(2026, 7, 1), post=True)  # after as_of: left out
    other = customer()
    _invoice_due(other, due=dt.date(2026, 6, 1))
    with django_assert_max_num_queries(2):
        report = selectors.aging(kind=selectors.RECEIVABLE, as_of=AS_OF)
    rows = {row.partner_id: row for row in report.rows}
    row = rows[partner.pk]
    assert (row.current, row.days_31_60, row.days_61_90, row.over_90) == (
        D("226.00"),
        D("565.00"),
        D("452.00"),
        D("500.00"),
    )
    assert row.unapplied == D("100.00")
    assert row.total == D("1643.00")
    assert rows[other.pk].current == D("113.00")
    assert report.totals.total == D("1756.00")


def test_credit_notes_count_negative_in_the_aging(books):
    partner = customer()
    invoice = customer_invoice(partner, quantity="2", price="100", post=True)
    payment(partner, "226", allocations=[(invoice, "226")], post=True)
    note = services.credit_note_create(
        invoice=invoice,
        date=TODAY,
        lines=[{"credited_line": invoice.lines.get(), "quantity": "1"}],
        actor=None,
    )
    services.invoice_approve(invoice=note, actor=None)
    row = selectors.aging(kind=selectors.RECEIVABLE, as_of=TODAY).rows[0]
    assert row.current == D("-113.00") and row.total == D("-113.00")


def test_payables_aging_lists_suppliers(books):
    bill = supplier_bill(quantity="10", order_price="5.00", post=True)
    report = selectors.aging(kind=selectors.PAYABLE, as_of=TODAY)
    assert [(row.partner_id, row.total) for row in report.rows] == [(bill.partner_id, D("56.50"))]
    assert selectors.aging(kind=selectors.RECEIVABLE, as_of=TODAY).rows == []


def test_statement_runs_a_balance_from_the_opening(books):
    partner = customer()
    customer_invoice(partner, quantity="1", price="100", day=dt.date(2026, 2, 10), post=True)
    march = customer_invoice(partner, quantity="2", price="100", day=dt.date(2026, 3, 5), post=True)
    payment(partner, "100", day=dt.date(2026, 3, 10), allocations=[(march, "100")], post=True)
    note = services.credit_note_create(
        invoice=march,
        date=dt.date(2026, 3, 20),
        lines=[{"credited_line": march.lines.get(), "quantity": "1"}],
        actor=None,
    )
    services.invoice_approve(invoice=note, actor=None)
    customer_invoice(partner, day=dt.date(2026, 4, 2), post=True)  # after the range
    report = selectors.statement(
        partner=partner, date_from=dt.date(2026, 3, 1), date_to=dt.date(2026, 3, 31)
    )
    assert report.opening == D("113.00")
    assert [
        (line.number[:2], line.increase, line.decrease, line.balance) for line in report.lines
    ] == [
        ("IV", D("226.00"), D("0.00"), D("339.00")),
        ("RC", D("0.00"), D("100.00"), D("239.00")),
        ("CN", D("0.00"), D("113.00"), D("126.00")),
    ]
    assert report.closing == D("126.00")


def test_supplier_statement_is_on_the_payable_side(books):
    partner = supplier()
    bill = supplier_bill(partner, post=True)
    payment(partner, "50", direction="made", allocations=[(bill, "50")], post=True)
    report = selectors.statement(partner=partner, date_from=TODAY, date_to=TODAY)
    assert report.side == selectors.PAYABLE
    assert report.closing == D("6.50")


def test_invariant_7_is_registered_and_passes_after_a_normal_flow(books, capsys):
    assert all(check in reconcile_checks() for check in BILLING_CHECKS)
    partner = customer()
    invoice = customer_invoice(partner, post=True)
    payment(partner, "2000", allocations=[(invoice, "1000")], post=True)
    note = services.credit_note_create(
        invoice=invoice,
        date=TODAY,
        lines=[{"credited_line": invoice.lines.get(), "quantity": "2"}],
        actor=None,
    )
    services.invoice_approve(invoice=note, actor=None)
    bill = supplier_bill(billed_price="5.20", post=True)
    payment(bill.partner, "20", direction="made", allocations=[(bill, "20")], post=True)
    unposted = customer_invoice(partner, post=True)
    services.invoice_unapprove(invoice=unposted, actor=None)
    assert run_checks() == []
    call_command("reconcile")
    assert "checks passed" in capsys.readouterr().out


def test_invariant_7_catches_an_entry_posted_by_hand_to_a_customer(books):
    partner = customer()
    customer_invoice(partner, post=True)
    journal_entry_post_lines(
        journal_code="GEN",
        date=TODAY,
        memo="by hand",
        lines=[
            {"account": "1122", "debit": "99.00", "partner": partner},
            {"account": "6301", "credit": "99.00"},
        ],
        source_type="",
        source_id=None,
        source_event_id=None,
    )
    breaches = [breach for breach in run_checks() if breach.check == "receivables"]
    assert len(breaches) == 1
    breach = breaches[0]
    assert breach.accounts == ("1122",)
    assert breach.documents == (f"Partner {partner.code}",)
    assert "1229.00" in breach.message and "1130.00" in breach.message
    with pytest.raises(CommandError):
        call_command("reconcile")


def test_invariant_7_catches_a_payable_without_a_bill(books):
    partner = supplier()
    journal_entry_post_lines(
        journal_code="GEN",
        date=TODAY,
        memo="by hand",
        lines=[
            {"account": "6602", "debit": "10.00"},
            {"account": "2202", "credit": "10.00", "partner": partner},
        ],
        source_type="",
        source_id=None,
        source_event_id=None,
    )
    breaches = [breach for breach in run_checks() if breach.check == "payables"]
    assert len(breaches) == 1 and "10.00" in breaches[0].message


def test_aging_on_a_past_date_shows_what_was_open_then(books):
    partner = customer()
    march = customer_invoice(partner, quantity="1", price="100", day=dt.date(2026, 3, 1), post=True)
    april = customer_invoice(partner, quantity="2", price="100", day=dt.date(2026, 4, 5), post=True)
    # Paid on 10 April (all of March's invoice); cash of 15 March later allocated to April's.
    payment(partner, "113", day=dt.date(2026, 4, 10), allocations=[(march, "113")], post=True)
    payment(partner, "226", day=dt.date(2026, 3, 15), allocations=[(april, "226")], post=True)

    def totals(as_of: dt.date) -> tuple:
        rows = selectors.aging(kind=selectors.RECEIVABLE, as_of=as_of).rows
        # Each day's total is the customer's receivable in the ledger on that day.
        ledger = JournalLine.objects.filter(
            account__code="1122", partner=partner, entry__status="posted", entry__date__lte=as_of
        ).aggregate(balance=Sum(F("debit") - F("credit")))["balance"] or D("0.00")
        assert sum((row.total for row in rows), D("0.00")) == ledger
        return tuple((row.current + row.days_31_60, row.unapplied, row.total) for row in rows)

    assert totals(dt.date(2026, 3, 10)) == ((D("113.00"), D("0.00"), D("113.00")),)
    # 31 March: March's invoice still open; the cash of 15 March not yet allocated to anything.
    assert totals(dt.date(2026, 3, 31)) == ((D("113.00"), D("226.00"), D("-113.00")),)
    assert totals(dt.date(2026, 4, 30)) == ()  # everything settled


def test_aging_on_the_first_days_there_are_is_empty_not_an_error(books):
    customer_invoice(post=True)
    for day in (dt.date(1, 1, 4), dt.date.min):
        assert selectors.aging(kind=selectors.PAYABLE, as_of=day).rows == []
