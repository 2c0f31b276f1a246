"""Month-end and year-end close: guided steps that post, a closing document that owns their
entries, and reopening as the reversal of all of them.

The month-end close of a period runs the registered steps in their order (each app registers
its own from its ``AppConfig.ready``: production clears manufacturing overhead and settles the
late costs of closed orders; purchasing accrues goods received not billed…), each posting its
entries dated the period's last day, then closes the period. The year-end close carries the
income and expense accounts of the year into 4103 本年利润 and 4103 into 4104 利润分配. Both are a
``PeriodClosing`` document; reopening reverses every entry it owns (dated as the original) and
reopens the period, so that nothing is ever edited or deleted.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date as Date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from common.errors import Conflict
from erp_core.ledger.memos import Memo
from erp_core.ledger.models import (
    Account,
    FiscalPeriod,
    FiscalYear,
    JournalEntry,
    JournalLine,
    PeriodClosing,
)
from erp_core.ledger.money import money
from erp_core.ledger.reconcile import Breach
from erp_core.ledger.services import (
    LineInput,
    fiscal_period_close,
    fiscal_period_reopen,
    journal_entry_post_lines,
    journal_entry_reverse,
)
from erp_core.models import User

ZERO = Decimal("0")
#: The journal of the closing entries (记: general).
JOURNAL = "GEN"
#: Source type of the entries the year-end close posts (id: the closing's).
YEAR_END_SOURCE = "ledger.year_end"
PROFIT_FOR_THE_YEAR = "4103"
PROFIT_DISTRIBUTION = "4104"
#: Account types that are closed into 4103 at year end.
PROFIT_AND_LOSS_TYPES = ("income", "expense")

#: A month-end step: ``step(*, period, user)`` posts what it must, dated ``period.end``, and
#: returns the entries it posted (none when there was nothing to do).
StepFunction = Callable[..., Iterable[JournalEntry] | JournalEntry | None]


@dataclass(frozen=True)
class MonthEndStep:
    """A registered month-end step: a key, a label shown on the periods page, its function and
    its place (lower runs first)."""

    key: str
    label: Any
    function: StepFunction
    order: int = 100


_STEPS: dict[str, MonthEndStep] = {}


def register_month_end_step(
    key: str, label: Any, function: StepFunction, *, order: int = 100
) -> None:
    """Add a step to every month-end close (registering a key again replaces its step)."""
    _STEPS[key] = MonthEndStep(key=key, label=label, function=function, order=order)


def month_end_steps() -> list[MonthEndStep]:
    """The registered steps in the order they run."""
    return sorted(_STEPS.values(), key=lambda step: (step.order, step.key))


def _entries_of(result) -> list[JournalEntry]:
    if result is None:
        return []
    if isinstance(result, JournalEntry):
        return [result]
    return [entry for entry in result if entry is not None]


def _lock(period: FiscalPeriod) -> FiscalPeriod:
    return FiscalPeriod.objects.select_for_update().select_related("fiscal_year").get(pk=period.pk)


def _standing(period: FiscalPeriod, kind: str) -> PeriodClosing | None:
    return (
        PeriodClosing.objects.filter(period=period, kind=kind, status=PeriodClosing.Status.POSTED)
        .prefetch_related("entries")
        .first()
    )


def _year_closing(fiscal_year_id: int) -> PeriodClosing | None:
    return PeriodClosing.objects.filter(
        period__fiscal_year_id=fiscal_year_id,
        kind=PeriodClosing.Kind.YEAR_END,
        status=PeriodClosing.Status.POSTED,
    ).first()


@transaction.atomic
def period_month_end_close(*, period: FiscalPeriod, user: User | None) -> PeriodClosing:
    """Run the month-end steps of an open period, then close it; one posted closing document.

    Each step posts dated the period's last day; a refusal of any step rolls the whole close
    back. The document lists each step with the numbers of the entries it posted.
    """
    period = _lock(period)
    if not period.is_open:
        raise Conflict(
            _("The period %(period)s is closed already.") % {"period": period}, code="period_closed"
        )
    closing = PeriodClosing.objects.create(
        kind=PeriodClosing.Kind.MONTH_END, period=period, closed_by=user
    )
    entries: list[JournalEntry] = []
    steps = []
    for step in month_end_steps():
        posted = _entries_of(step.function(period=period, user=user))
        entries += posted
        steps.append({"key": step.key, "entries": [entry.number for entry in posted]})
    closing.steps = steps
    closing.save(update_fields=["steps"])
    closing.entries.set(entries)
    closing.period = fiscal_period_close(period=period, actor=user)
    return closing


def _reverse_all(closing: PeriodClosing, *, user: User | None) -> None:
    """Reverse every entry of a closing, each dated as its original, and mark it reversed.

    An entry its step reversed itself already (the GR/IR accrual, reversed on the next period's
    first day) keeps that reversal: the step accrues only what changed when the period is
    closed again."""
    reversed_already = set(
        JournalEntry.objects.filter(reversal_of__in=closing.entries.all()).values_list(
            "reversal_of_id", flat=True
        )
    )
    for entry in closing.entries.order_by("-pk"):
        if entry.pk in reversed_already:
            continue
        journal_entry_reverse(entry=entry, date=entry.date, actor=user)
    closing.status = PeriodClosing.Status.REVERSED
    closing.reversed_at = timezone.now()
    closing.reversed_by = user
    closing.save(update_fields=["status", "reversed_at", "reversed_by"])


@transaction.atomic
def period_month_end_reopen(*, period: FiscalPeriod, user: User | None) -> FiscalPeriod:
    """Reopen a closed period: its month-end closing's entries are reversed, not deleted.

    Refused while the year's year-end close stands (reopen the year first).
    """
    period = _lock(period)
    if period.is_open:
        raise Conflict(
            _("The period %(period)s is open already.") % {"period": period}, code="period_open"
        )
    if _year_closing(period.fiscal_year_id) is not None:
        raise Conflict(
            _("The year %(year)s is closed: reopen the year first.")
            % {"year": period.fiscal_year.year},
            code="year_closed",
        )
    period = fiscal_period_reopen(period=period, actor=user)
    closing = _standing(period, PeriodClosing.Kind.MONTH_END)
    if closing is not None:
        _reverse_all(closing, user=user)
    return period


def profit_and_loss_balances(*, date_from: Date, date_to: Date) -> dict[int, Decimal]:
    """Debit-positive balance of each income and expense account over the dates (one query)."""
    rows = (
        JournalLine.objects.filter(
            entry__status=JournalEntry.Status.POSTED,
            entry__date__gte=date_from,
            entry__date__lte=date_to,
            account__type__in=PROFIT_AND_LOSS_TYPES,
        )
        .values("account_id")
        .annotate(debit=Sum("debit"), credit=Sum("credit"))
    )
    # SQLite sums decimals in floating point: round each balance to the cent.
    return {
        row["account_id"]: money(Decimal(str(row["debit"])) - Decimal(str(row["credit"])))
        for row in rows
    }


def _account_balance(code: str, *, date_from: Date, date_to: Date) -> Decimal:
    totals = JournalLine.objects.filter(
        entry__status=JournalEntry.Status.POSTED,
        entry__date__gte=date_from,
        entry__date__lte=date_to,
        account__code=code,
    ).aggregate(debit=Sum("debit"), credit=Sum("credit"))
    return money(Decimal(str(totals["debit"] or 0)) - Decimal(str(totals["credit"] or 0)))


def _signed_line(account, amount: Decimal, memo: Memo) -> LineInput:
    """A line taking ``amount`` (debit positive) on ``account``."""
    if amount > 0:
        return LineInput(account=account, debit=amount, memo=memo)
    return LineInput(account=account, credit=-amount, memo=memo)


def _year_end_refusals(fiscal_year: FiscalYear) -> None:
    open_periods = [
        str(period) for period in fiscal_year.periods.filter(status=FiscalPeriod.Status.OPEN)
    ]
    if open_periods:
        raise Conflict(
            _("The year %(year)s still has open periods: %(periods)s. Close each month first.")
            % {"year": fiscal_year.year, "periods": ", ".join(open_periods)},
            code="open_periods",
        )
    drafts = list(
        JournalEntry.objects.filter(
            status=JournalEntry.Status.DRAFT,
            date__gte=fiscal_year.start,
            date__lte=fiscal_year.end,
        ).values_list("pk", flat=True)[:20]
    )
    if drafts:
        raise Conflict(
            _("The year %(year)s has unposted entries (%(entries)s): post or delete them first.")
            % {"year": fiscal_year.year, "entries": ", ".join(f"#{pk}" for pk in drafts)},
            code="unposted_documents",
        )


@transaction.atomic
def fiscal_year_close(*, fiscal_year: FiscalYear, user: User | None) -> PeriodClosing:
    """Close a year: carry every income and expense account into 4103 本年利润, then 4103 into
    4104 利润分配, both entries dated the year's last day, on a year-end closing document.

    Refused while any period of the year is open (close each month first: the month-end steps
    must have run) or any entry of the year is still a draft. The last period, closed by its
    month-end close, takes the two entries and stays closed.
    """
    fiscal_year = FiscalYear.objects.select_for_update().get(pk=fiscal_year.pk)
    if _year_closing(fiscal_year.pk) is not None:
        raise Conflict(
            _("The year %(year)s is closed already.") % {"year": fiscal_year.year},
            code="year_closed",
        )
    _year_end_refusals(fiscal_year)
    last = _lock(fiscal_year.periods.order_by("-number").first())
    closing = PeriodClosing.objects.create(
        kind=PeriodClosing.Kind.YEAR_END, period=last, closed_by=user
    )
    # The closing entries post into the year's last period, which is closed: open it for the
    # length of this transaction only (it holds the period's lock).
    FiscalPeriod.objects.filter(pk=last.pk).update(status=FiscalPeriod.Status.OPEN)
    entries = []
    balances = profit_and_loss_balances(date_from=fiscal_year.start, date_to=fiscal_year.end)
    accounts = Account.objects.in_bulk([pk for pk, amount in balances.items() if amount])
    profit = Account.objects.get(code=PROFIT_FOR_THE_YEAR)
    memo = Memo("year_end_profit_and_loss", {"year": str(fiscal_year.year)})
    lines = [
        _signed_line(accounts[pk], -amount, memo)
        for pk, amount in sorted(balances.items(), key=lambda pair: accounts.get(pair[0]).code)
        if amount
    ]
    net = sum((amount for amount in balances.values()), ZERO)
    if lines:
        lines.append(_signed_line(profit, net, memo))
        entries.append(_post_year_end(closing, fiscal_year, lines, memo, user))
    carried = _account_balance(
        PROFIT_FOR_THE_YEAR, date_from=fiscal_year.start, date_to=fiscal_year.end
    )
    if carried:
        memo = Memo("year_end_profit_distribution", {"year": str(fiscal_year.year)})
        distribution = Account.objects.get(code=PROFIT_DISTRIBUTION)
        lines = [
            _signed_line(profit, -carried, memo),
            _signed_line(distribution, carried, memo),
        ]
        entries.append(_post_year_end(closing, fiscal_year, lines, memo, user))
    FiscalPeriod.objects.filter(pk=last.pk).update(status=FiscalPeriod.Status.CLOSED)
    closing.entries.set(entries)
    closing.steps = [
        {"key": "profit_and_loss", "entries": [entry.number for entry in entries[:1]]},
        {"key": "profit_distribution", "entries": [entry.number for entry in entries[1:]]},
    ]
    closing.save(update_fields=["steps"])
    return closing


def _post_year_end(closing, fiscal_year, lines, memo, user) -> JournalEntry:
    return journal_entry_post_lines(
        journal_code=JOURNAL,
        date=fiscal_year.end,
        memo=memo,
        lines=lines,
        source_type=YEAR_END_SOURCE,
        source_id=closing.pk,
        source_event_id=None,
        actor=user,
    )


@transaction.atomic
def fiscal_year_reopen(*, fiscal_year: FiscalYear, user: User | None) -> PeriodClosing:
    """Reopen a closed year: the year-end entries are reversed (dated as they were); the
    periods stay closed (reopen a month on its own)."""
    fiscal_year = FiscalYear.objects.select_for_update().get(pk=fiscal_year.pk)
    closing = _year_closing(fiscal_year.pk)
    if closing is None:
        raise Conflict(
            _("The year %(year)s is not closed.") % {"year": fiscal_year.year}, code="year_open"
        )
    last = _lock(closing.period)
    FiscalPeriod.objects.filter(pk=last.pk).update(status=FiscalPeriod.Status.OPEN)
    _reverse_all(closing, user=user)
    FiscalPeriod.objects.filter(pk=last.pk).update(status=FiscalPeriod.Status.CLOSED)
    return closing


def closings_by_period(periods: Iterable[FiscalPeriod]) -> dict[int, list[PeriodClosing]]:
    """The standing closings of the periods, by period id (one query), for the periods page."""
    found: dict[int, list[PeriodClosing]] = {}
    rows = PeriodClosing.objects.filter(
        Q(period__in=list(periods)) & Q(status=PeriodClosing.Status.POSTED)
    ).prefetch_related("entries")
    for closing in rows:
        found.setdefault(closing.period_id, []).append(closing)
    return found


# --- Reconcile ---------------------------------------------------------------------------------


def check_profit_and_loss_closed() -> list[Breach]:
    """After a year's close, its income and expense accounts are zero within the year.

    A breach names the accounts left over and the entries posted on them after the close.
    """
    breaches = []
    closings = PeriodClosing.objects.filter(
        kind=PeriodClosing.Kind.YEAR_END, status=PeriodClosing.Status.POSTED
    ).select_related("period__fiscal_year")
    for closing in closings:
        year = closing.period.fiscal_year
        left = {
            pk: amount
            for pk, amount in profit_and_loss_balances(
                date_from=year.start, date_to=year.end
            ).items()
            if amount
        }
        if not left:
            continue
        accounts = Account.objects.in_bulk(list(left))
        late = (
            JournalEntry.objects.filter(
                status=JournalEntry.Status.POSTED,
                date__gte=year.start,
                date__lte=year.end,
                lines__account_id__in=list(left),
                created_at__gt=closing.closed_at,
            )
            .distinct()
            .values_list("number", flat=True)
        )
        breaches.append(
            Breach(
                check="profit_and_loss_closed",
                message=_(
                    "The year %(year)s is closed but its profit and loss accounts are not zero: "
                    "%(balances)s."
                )
                % {
                    "year": year.year,
                    "balances": ", ".join(
                        f"{accounts[pk].code} {amount}"
                        for pk, amount in sorted(left.items(), key=lambda p: accounts[p[0]].code)
                    ),
                },
                accounts=tuple(sorted(accounts[pk].code for pk in left)),
                documents=tuple(f"JournalEntry {number}" for number in late),
            )
        )
    return breaches
