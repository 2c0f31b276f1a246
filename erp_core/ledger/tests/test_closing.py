"""Month-end and year-end close: the step registry, the closing document, reversal on reopen,
the year's P&L carried to 4103 and 4104, the refusals, and the reconcile check of a closed year."""

from decimal import Decimal as D

import pytest
from django.db.models import Sum
from django.urls import reverse

from common.errors import Conflict
from erp_core.ledger import closing, selectors
from erp_core.ledger.models import FiscalYear, JournalEntry, JournalLine, PeriodClosing
from erp_core.ledger.services import journal_entry_post_lines
from erp_core.ledger.tests.helpers import draft, ledger_user, line, posted
from erp_core.testing.books import BOOKS_DAY

pytestmark = pytest.mark.django_db


def _balance(code: str, year: FiscalYear) -> D:
    totals = JournalLine.objects.filter(
        entry__status="posted",
        entry__date__gte=year.start,
        entry__date__lte=year.end,
        account__code=code,
    ).aggregate(debit=Sum("debit"), credit=Sum("credit"))
    return (totals["debit"] or D(0)) - (totals["credit"] or D(0))


def _a_year_of_trade() -> FiscalYear:
    """Revenue 1,000.00 and cost of sales 600.00 in the books' year: a profit of 400.00."""
    posted(lines=[line("1002", debit="1000"), line("6001", credit="1000")])
    posted(lines=[line("6401", debit="600"), line("1405", credit="600")])
    return FiscalYear.objects.get(year=BOOKS_DAY.year)


def _close_every_month(year: FiscalYear) -> None:
    for period in year.periods.order_by("number"):
        closing.period_month_end_close(period=period, user=None)


@pytest.fixture
def recorded_step():
    """A month-end step that posts a transfer from 1002 to 1001 and records its calls."""
    calls = []

    def step(*, period, user):
        calls.append(period)
        return journal_entry_post_lines(
            journal_code="GEN",
            date=period.end,
            memo="test step",
            lines=[line("1001", debit="5"), line("1002", credit="5")],
            source_type="test.step",
            source_id=period.pk,
            source_event_id=None,
        )

    closing.register_month_end_step("test_step", "Test step", step, order=999)
    yield calls
    closing._STEPS.pop("test_step", None)


def test_month_end_close_runs_the_steps_then_closes_the_period(books, recorded_step):
    period = selectors.period_for_date(date=BOOKS_DAY)
    document = closing.period_month_end_close(period=period, user=None)
    period.refresh_from_db()
    assert period.status == "closed"
    assert recorded_step == [period]
    (entry,) = document.entries.all()
    assert entry.date == period.end and entry.status == "posted"
    assert {"key": "test_step", "entries": [entry.number]} in document.steps
    assert document.kind == PeriodClosing.Kind.MONTH_END and document.status == "posted"


def test_reopening_a_month_reverses_what_its_close_posted(books, recorded_step):
    period = selectors.period_for_date(date=BOOKS_DAY)
    document = closing.period_month_end_close(period=period, user=None)
    (entry,) = document.entries.all()
    closing.period_month_end_reopen(period=period, user=None)
    period.refresh_from_db()
    document.refresh_from_db()
    assert period.is_open
    assert document.status == "reversed" and document.reversed_at is not None
    reversal = JournalEntry.objects.get(reversal_of=entry)
    assert reversal.date == entry.date
    # Closed again: a new closing document, the old one stays as it was.
    again = closing.period_month_end_close(period=period, user=None)
    assert again.pk != document.pk
    assert PeriodClosing.objects.filter(period=period).count() == 2


def test_a_failing_step_leaves_the_period_open_and_nothing_posted(books):
    def failing(*, period, user):
        raise Conflict("no", code="step_failed")

    closing.register_month_end_step("failing", "Failing", failing, order=1)
    try:
        period = selectors.period_for_date(date=BOOKS_DAY)
        before = JournalEntry.objects.count()
        with pytest.raises(Conflict):
            closing.period_month_end_close(period=period, user=None)
        period.refresh_from_db()
        assert period.is_open
        assert JournalEntry.objects.count() == before
        assert not PeriodClosing.objects.exists()
    finally:
        closing._STEPS.pop("failing", None)


def test_year_end_close_carries_profit_and_loss_to_4103_then_4104(books):
    year = _a_year_of_trade()
    _close_every_month(year)
    document = closing.fiscal_year_close(fiscal_year=year, user=None)
    assert document.kind == PeriodClosing.Kind.YEAR_END
    first, second = document.entries.order_by("pk")
    assert {(ln.account.code, ln.debit, ln.credit) for ln in first.lines.all()} == {
        ("6001", D("1000.00"), D("0.00")),
        ("6401", D("0.00"), D("600.00")),
        ("4103", D("0.00"), D("400.00")),
    }
    assert {(ln.account.code, ln.debit, ln.credit) for ln in second.lines.all()} == {
        ("4103", D("400.00"), D("0.00")),
        ("4104", D("0.00"), D("400.00")),
    }
    assert first.date == second.date == year.end
    for code in ("6001", "6401", "4103"):
        assert _balance(code, year) == 0
    assert _balance("4104", year) == D("-400.00")
    # The last period was opened for the close only.
    assert not year.periods.filter(status="open").exists()
    assert closing.check_profit_and_loss_closed() == []


def test_year_end_close_refuses_a_year_with_an_open_period(books):
    year = _a_year_of_trade()
    with pytest.raises(Conflict) as refused:
        closing.fiscal_year_close(fiscal_year=year, user=None)
    assert refused.value.code == "open_periods"
    assert not PeriodClosing.objects.filter(kind="year_end").exists()


def test_year_end_close_refuses_a_year_with_unposted_entries(books):
    year = _a_year_of_trade()
    draft()
    _close_every_month(year)
    with pytest.raises(Conflict) as refused:
        closing.fiscal_year_close(fiscal_year=year, user=None)
    assert refused.value.code == "unposted_documents"
    assert _balance("6001", year) == D("-1000.00")


def test_reopening_the_year_reverses_its_close_and_a_month_waits_for_it(books):
    year = _a_year_of_trade()
    _close_every_month(year)
    document = closing.fiscal_year_close(fiscal_year=year, user=None)
    december = year.periods.get(number=12)
    with pytest.raises(Conflict) as refused:
        closing.period_month_end_reopen(period=december, user=None)
    assert refused.value.code == "year_closed"
    closing.fiscal_year_reopen(fiscal_year=year, user=None)
    document.refresh_from_db()
    assert document.status == "reversed"
    assert _balance("6001", year) == D("-1000.00")
    assert _balance("4104", year) == 0
    with pytest.raises(Conflict):
        closing.fiscal_year_reopen(fiscal_year=year, user=None)


def test_reconcile_reports_profit_and_loss_left_after_the_year_close(books):
    year = _a_year_of_trade()
    _close_every_month(year)
    closing.fiscal_year_close(fiscal_year=year, user=None)
    # A month reopened under the closed year's nose (bypassing the guard) and posted into.
    march = selectors.period_for_date(date=BOOKS_DAY)
    march.status = "open"
    march.save(update_fields=["status"])
    late = posted(lines=[line("6602", debit="7"), line("1002", credit="7")])
    (breach,) = closing.check_profit_and_loss_closed()
    assert breach.check == "profit_and_loss_closed"
    assert breach.accounts == ("6602",)
    assert f"JournalEntry {late.number}" in breach.documents


def test_periods_page_closes_a_month_and_a_year(client, books):
    user = ledger_user()
    client.force_login(user)
    year = _a_year_of_trade()
    period = selectors.period_for_date(date=BOOKS_DAY)
    response = client.get(reverse("ledger:period-list"))
    assert response.status_code == 200
    assert reverse("ledger:year-close", args=[year.pk]).encode() in response.content
    client.post(reverse("ledger:period-close", args=[period.pk]))
    assert PeriodClosing.objects.filter(period=period, status="posted").exists()
    response = client.post(reverse("ledger:year-close", args=[year.pk]), follow=True)
    assert not PeriodClosing.objects.filter(kind="year_end").exists()
    assert b"open periods" in response.content
    for other in year.periods.filter(status="open"):
        client.post(reverse("ledger:period-close", args=[other.pk]))
    client.post(reverse("ledger:year-close", args=[year.pk]))
    assert PeriodClosing.objects.filter(kind="year_end", status="posted").exists()
    client.post(reverse("ledger:year-reopen", args=[year.pk]))
    assert PeriodClosing.objects.get(kind="year_end").status == "reversed"
