"""Fiscal years and their periods: created, closed, reopened, and the period an entry
posts into.
"""

import calendar
from datetime import date as Date
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.errors import Conflict
from erp_core.ledger import selectors
from erp_core.ledger.models import FiscalPeriod, FiscalYear, Journal, JournalSequence
from erp_core.models import User


def _add_months(day: Date, months: int) -> Date:
    """The first of the month ``months`` after ``day``'s month."""
    index = day.month - 1 + months
    return Date(day.year + index // 12, index % 12 + 1, 1)


@transaction.atomic
def fiscal_year_create(*, year: int) -> FiscalYear:
    """Create fiscal year ``year`` with its twelve monthly periods, all open.

    The year starts on the first of the company's ``fiscal_year_start_month`` of ``year``.
    A year that exists already is a Conflict; one overlapping another is refused.
    """
    if not isinstance(year, int) or isinstance(year, bool) or not 1900 <= year <= 9998:
        raise ValidationError({"year": _("Give a year between 1900 and 9998.")})
    if FiscalYear.objects.filter(year=year).exists():
        raise Conflict(
            _("Fiscal year %(year)s exists already.") % {"year": year}, code="fiscal_year_exists"
        )
    start = Date(year, selectors.company_settings().fiscal_year_start_month, 1)
    end = _add_months(start, 12) - timedelta(days=1)
    if FiscalYear.objects.filter(start__lte=end, end__gte=start).exists():
        raise ValidationError({"year": _("This fiscal year would overlap another.")})
    fiscal_year = FiscalYear.objects.create(year=year, start=start, end=end)
    periods = []
    for number in range(1, 13):
        period_start = _add_months(start, number - 1)
        last_day = calendar.monthrange(period_start.year, period_start.month)[1]
        periods.append(
            FiscalPeriod(
                fiscal_year=fiscal_year,
                number=number,
                start=period_start,
                end=period_start.replace(day=last_day),
            )
        )
    FiscalPeriod.objects.bulk_create(periods)
    JournalSequence.objects.bulk_create(
        [
            JournalSequence(journal=journal, fiscal_year=fiscal_year)
            for journal in Journal.objects.all()
        ]
    )
    return fiscal_year


@transaction.atomic
def fiscal_period_close(*, period: FiscalPeriod, actor: User | None) -> FiscalPeriod:
    """Close an open period: nothing more is posted into it until it is reopened.

    Drafts dated in the period stay drafts; they can be posted once it is reopened, or re-dated.
    """
    period = (
        FiscalPeriod.objects.select_for_update().select_related("fiscal_year").get(pk=period.pk)
    )
    if not period.is_open:
        raise Conflict(
            _("The period %(period)s is closed already.") % {"period": period}, code="period_closed"
        )
    period.status = FiscalPeriod.Status.CLOSED
    period.closed_at = timezone.now()
    period.closed_by = actor
    period.save(update_fields=["status", "closed_at", "closed_by"])
    return period


@transaction.atomic
def fiscal_period_reopen(*, period: FiscalPeriod, actor: User | None) -> FiscalPeriod:
    """Reopen a closed period so that entries may be posted into it again."""
    period = (
        FiscalPeriod.objects.select_for_update().select_related("fiscal_year").get(pk=period.pk)
    )
    if period.is_open:
        raise Conflict(
            _("The period %(period)s is open already.") % {"period": period}, code="period_open"
        )
    period.status = FiscalPeriod.Status.OPEN
    period.closed_at = None
    period.closed_by = None
    period.save(update_fields=["status", "closed_at", "closed_by"])
    return period


def open_period_for(*, date: Date) -> FiscalPeriod:
    """The open period of ``date``; a date without a period or in a closed one is refused."""
    if not isinstance(date, Date):
        raise ValidationError({"date": _("Give a date.")})
    period = selectors.period_for_date(date=date)
    if period is None:
        raise ValidationError({"date": _("No fiscal period covers this date.")})
    if not period.is_open:
        raise ValidationError({"date": _("The period %(period)s is closed.") % {"period": period}})
    return period


def _lock_period(period_id: int) -> FiscalPeriod:
    """Lock a period against closing while an entry posts into it.

    PostgreSQL takes a shared lock, so that posts into one period do not wait on each other but
    a close waits for them (and they for it). SQLite locks the whole database anyway.
    """
    if connection.vendor == "postgresql":
        return FiscalPeriod.objects.raw(
            "SELECT * FROM ledger_fiscalperiod WHERE id = %s FOR SHARE", [period_id]
        )[0]
    return FiscalPeriod.objects.select_for_update().get(pk=period_id)
