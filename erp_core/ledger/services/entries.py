"""Journal entries: drafts, posting with a gapless number, reversal, and the one-call post
(``journal_entry_post_lines``) that other modules' services book through.
"""

from collections.abc import Iterable
from datetime import date as Date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.errors import Conflict
from erp_core.ledger import selectors
from erp_core.ledger.models import FiscalYear, Journal, JournalEntry, JournalSequence
from erp_core.ledger.money import CENT, ZERO
from erp_core.ledger.services.lines import (
    LineInput,
    LineLike,
    _clean_lines,
    _require_balanced,
    _totals,
    _write_lines,
)
from erp_core.ledger.services.periods import _lock_period, open_period_for
from erp_core.models import User


def _journal(journal: Journal) -> Journal:
    if not isinstance(journal, Journal):
        raise ValidationError({"journal": _("Unknown journal.")})
    if not journal.is_active:
        raise ValidationError(
            {"journal": _("The journal %(code)s is inactive.") % {"code": journal.code}}
        )
    return journal


@transaction.atomic
def journal_entry_create_draft(
    *,
    journal: Journal,
    date: Date,
    memo: str = "",
    lines: Iterable[LineLike],
    actor: User | None,
) -> JournalEntry:
    """Create a draft entry: balanced lines on postable accounts, in an open period.

    The draft has no number yet; ``journal_entry_post`` gives it one.
    """
    journal = _journal(journal)
    period = open_period_for(date=date)
    cleaned = _clean_lines(lines)
    _require_balanced(cleaned)
    memo = (memo or "").strip()
    if len(memo) > 255:
        raise ValidationError({"memo": _("At most 255 characters.")})
    entry = JournalEntry.objects.create(
        journal=journal,
        fiscal_year=period.fiscal_year,
        period=period,
        date=date,
        memo=memo,
        created_by=actor,
    )
    _write_lines(entry, cleaned)
    return entry


def _lock_draft(entry: JournalEntry) -> JournalEntry:
    entry = JournalEntry.objects.select_for_update().get(pk=entry.pk)
    if not entry.is_draft:
        raise Conflict(
            _("Entry %(entry)s is posted: it cannot change; reverse it instead.")
            % {"entry": entry},
            code="entry_posted",
        )
    return entry


@transaction.atomic
def journal_entry_update_draft(
    *,
    entry: JournalEntry,
    actor: User | None,
    journal: Journal | None = None,
    date: Date | None = None,
    memo: str | None = None,
    lines: Iterable[LineLike] | None = None,
) -> JournalEntry:
    """Change a draft's journal, date, memo or lines (lines are replaced as a whole).

    A posted entry is a Conflict: it is corrected by a reversal.
    """
    entry = _lock_draft(entry)
    if journal is not None:
        entry.journal = _journal(journal)
    if date is not None:
        period = open_period_for(date=date)
        entry.date, entry.period, entry.fiscal_year = date, period, period.fiscal_year
    if memo is not None:
        memo = memo.strip()
        if len(memo) > 255:
            raise ValidationError({"memo": _("At most 255 characters.")})
        entry.memo = memo
    entry.save()
    if lines is not None:
        cleaned = _clean_lines(lines)
        _require_balanced(cleaned)
        entry.lines.all().delete()
        _write_lines(entry, cleaned)
    return entry


@transaction.atomic
def journal_entry_delete_draft(*, entry: JournalEntry) -> None:
    """Delete a draft and its lines; a posted entry is a Conflict (it is reversed instead)."""
    entry = _lock_draft(entry)
    entry.delete()


def _next_number(*, journal: Journal, fiscal_year: FiscalYear) -> str:
    """Take the next number of the journal in the fiscal year, e.g. ``STK-2026-000123``.

    The sequence row stays locked until the posting transaction ends, so numbers are gapless
    and never shared: a rollback gives the number back.
    """
    sequence = (
        JournalSequence.objects.select_for_update()
        .filter(journal=journal, fiscal_year=fiscal_year)
        .first()
    )
    if sequence is None:
        try:
            with transaction.atomic():
                JournalSequence.objects.create(journal=journal, fiscal_year=fiscal_year)
        except IntegrityError:
            pass  # another transaction created it first; lock theirs
        sequence = JournalSequence.objects.select_for_update().get(
            journal=journal, fiscal_year=fiscal_year
        )
    number = sequence.next_number
    sequence.next_number = number + 1
    sequence.save(update_fields=["next_number"])
    return f"{journal.code}-{fiscal_year.year}-{number:06d}"


@transaction.atomic
def journal_entry_post(*, entry: JournalEntry, actor: User | None) -> JournalEntry:
    """Post a draft: check it again, give it the journal's next number and make it immutable.

    Refused: an entry posted already (Conflict), unbalanced lines, fewer than two lines, lines on
    accounts no longer postable or active, a closed period or a date without one.
    """
    entry = JournalEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.is_posted:
        raise Conflict(
            _("Entry %(entry)s is posted already.") % {"entry": entry}, code="entry_posted"
        )
    period = _lock_period(entry.period_id)
    if not period.is_open:
        raise ValidationError({"date": _("The period of this entry is closed.")})
    lines = list(entry.lines.select_related("account", "partner").order_by("id"))
    cleaned = _clean_lines(
        [
            {
                "account": line.account,
                "debit": line.debit,
                "credit": line.credit,
                "partner": line.partner,
                "memo": line.memo,
            }
            for line in lines
        ]
    )
    _require_balanced(cleaned)
    journal = _journal(Journal.objects.get(pk=entry.journal_id))
    entry.number = _next_number(
        journal=journal, fiscal_year=FiscalYear.objects.get(pk=entry.fiscal_year_id)
    )
    entry.status = JournalEntry.Status.POSTED
    entry.posted_at = timezone.now()
    entry.posted_by = actor
    entry.save(update_fields=["number", "status", "posted_at", "posted_by"])
    return entry


@transaction.atomic
def journal_entry_reverse(
    *, entry: JournalEntry, date: Date, actor: User | None, memo: str = ""
) -> JournalEntry:
    """Post the mirror of a posted entry on ``date``: every debit becomes a credit and back.

    The reversal points at the original (``reversal_of``); an entry is reversed at most once,
    and a reversal is not itself reversed (post a new entry instead).
    """
    original = JournalEntry.objects.select_for_update().get(pk=entry.pk)
    if not original.is_posted:
        raise Conflict(
            _("Only a posted entry can be reversed; delete or edit the draft instead."),
            code="entry_not_posted",
        )
    if original.reversal_of_id is not None:
        raise Conflict(_("A reversal cannot be reversed: post a new entry."), code="is_reversal")
    if JournalEntry.objects.filter(reversal_of=original).exists():
        raise Conflict(
            _("Entry %(entry)s has been reversed already.") % {"entry": original},
            code="entry_reversed",
        )
    if date < original.date:
        raise ValidationError({"date": _("A reversal cannot be dated before the original.")})
    mirrored = [
        {
            "account": line.account,
            "debit": line.credit,
            "credit": line.debit,
            "partner": line.partner,
            "memo": line.memo,
        }
        for line in original.lines.select_related("account", "partner").order_by("id")
    ]
    memo = memo.strip() or _("Reversal of %(number)s") % {"number": original.number}
    period = open_period_for(date=date)
    cleaned = _clean_lines(mirrored)
    reversal = JournalEntry.objects.create(
        journal_id=original.journal_id,
        fiscal_year=period.fiscal_year,
        period=period,
        date=date,
        memo=memo[:255],
        reversal_of=original,
        created_by=actor,
    )
    _write_lines(reversal, cleaned)
    return journal_entry_post(entry=reversal, actor=actor)


@transaction.atomic
def journal_entry_post_lines(
    *,
    journal_code: str,
    date: Date,
    memo: str,
    lines: Iterable[LineLike],
    source_type: str,
    source_id: int | None,
    source_event_id: str | None,
    actor: User | None = None,
) -> JournalEntry:
    """Create and post a balanced entry in one go: the call other services post through.

    Amounts are rounded half-up to the cent; lines that round to zero are dropped. A residue of
    at most one cent per line is put on the rounding account (``is_rounding``); a larger
    imbalance is refused. An entry for the same (source_type, source_event_id) is returned as
    it is, so a redelivered event posts once.
    """
    source_event_id = str(source_event_id) if source_event_id not in (None, "") else None
    source_type = (source_type or "").strip()
    if source_event_id is not None:
        existing = JournalEntry.objects.filter(
            source_type=source_type, source_event_id=source_event_id
        ).first()
        if existing is not None:
            return existing
    journal = _journal(selectors.journal_get(code=journal_code))
    period = open_period_for(date=date)
    cleaned = _clean_lines(lines, drop_zero=True)
    debit, credit = _totals(cleaned)
    difference = debit - credit
    if difference:
        if abs(difference) > CENT * len(cleaned):
            raise ValidationError(
                {
                    "lines": _("Debits (%(debit)s) and credits (%(credit)s) differ.")
                    % {"debit": debit, "credit": credit}
                }
            )
        rounding = selectors.rounding_account()
        if rounding is None:
            raise ValidationError({"lines": _("No rounding account takes the residue.")})
        cleaned.append(
            LineInput(
                account=rounding,
                debit=-difference if difference < 0 else ZERO,
                credit=difference if difference > 0 else ZERO,
                memo=_("Rounding"),
            )
        )
    entry = JournalEntry.objects.create(
        journal=journal,
        fiscal_year=period.fiscal_year,
        period=period,
        date=date,
        memo=(memo or "").strip()[:255],
        source_type=source_type,
        source_id=source_id,
        source_event_id=source_event_id,
        created_by=actor,
    )
    _write_lines(entry, cleaned)
    return journal_entry_post(entry=entry, actor=actor)
