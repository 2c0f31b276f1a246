"""Journal entries: drafts, posting with a gapless number, reversal, and the one-call posts
(``journal_entry_post_lines``, ``journal_entries_post_lines`` for many) that other modules'
services book through.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date as Date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, connections, transaction
from django.db.models import Case, CharField, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from common.db import rows as db_rows
from common.errors import Conflict
from erp_core.ledger import selectors
from erp_core.ledger.memos import Memo, memo_parts
from erp_core.ledger.models import (
    FiscalPeriod,
    FiscalYear,
    Journal,
    JournalEntry,
    JournalLine,
    JournalSequence,
)
from erp_core.ledger.money import CENT, ZERO
from erp_core.ledger.services.company import document_date_check
from erp_core.ledger.services.lines import (
    LineInput,
    LineLike,
    _clean_lines,
    _require_balanced,
    _totals,
    _write_lines,
    journal_line,
    line_memo,
)
from erp_core.ledger.services.periods import _lock_period, open_period_for
from erp_core.models import User

# What an entry and a line are written with (every column but the key), in plain SQL.
_ENTRY_FIELDS = [f.attname for f in JournalEntry._meta.concrete_fields if not f.primary_key]
_LINE_FIELDS = [f.attname for f in JournalLine._meta.concrete_fields if not f.primary_key]
_PERIOD_COLUMNS = tuple(f.attname for f in FiscalPeriod._meta.concrete_fields)


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
    document_date_check(date)
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
        document_date_check(date)
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
                # A reversal (written by ``journal_entry_reverse`` only) mirrors red lines.
                "red": entry.reversal_of_id is not None,
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
    document_date_check(date)
    mirrored = [
        {
            "account": line.account,
            "debit": line.credit,
            "credit": line.debit,
            "partner": line.partner,
            "memo": line_memo(line),
            "red": line.debit < 0 or line.credit < 0,
        }
        for line in original.lines.select_related("account", "partner").order_by("id")
    ]
    typed, memo_kind, memo_args = memo_parts(
        memo.strip() or Memo("reversal", {"number": original.number})
    )
    period = open_period_for(date=date)
    cleaned = _clean_lines(mirrored)
    reversal = JournalEntry.objects.create(
        journal_id=original.journal_id,
        fiscal_year=period.fiscal_year,
        period=period,
        date=date,
        memo=typed[:255],
        memo_kind=memo_kind,
        memo_args=memo_args,
        reversal_of=original,
        created_by=actor,
    )
    _write_lines(reversal, cleaned)
    return journal_entry_post(entry=reversal, actor=actor)


@dataclass(frozen=True)
class EntryInput:
    """One entry given to ``journal_entries_post_lines``: its date, memo, lines and source."""

    date: Date
    memo: str | Memo
    lines: Iterable[LineLike]
    source_type: str = ""
    source_id: int | None = None
    source_event_id: str | None = None


def _periods_and_journal(
    *, journal_code: str, dates: Iterable[Date]
) -> tuple[dict[Date, FiscalPeriod], Journal]:
    """The open period of each date, locked against a close, and the journal — in one query,
    which also brings the posting rules' version token.

    PostgreSQL takes a shared lock on the periods (posts into one period do not wait on each
    other, a close waits for them); SQLite locks the whole database anyway. Refused: an unknown
    or inactive journal, a date without a period or in a closed one.
    """
    dates = sorted(set(dates))
    for day in dates:
        if not isinstance(day, Date):
            raise ValidationError({"date": _("Give a date.")})
    quote = connection.ops.quote_name
    lock = " FOR SHARE OF p" if connection.vendor == "postgresql" else ""
    columns = ", ".join(f"p.{quote(name)}" for name in _PERIOD_COLUMNS)
    with connection.cursor() as cursor:
        # Plain SQL: every posting runs it (``common.db.rows``).
        db_rows.execute(
            cursor,
            f"SELECT {columns}, y.year, j.id, j.is_active, "
            f"(SELECT v.token FROM ledger_postingrulesversion v WHERE v.id = 1) "
            f"FROM ledger_fiscalperiod p "
            f"JOIN ledger_fiscalyear y ON y.id = p.fiscal_year_id "
            f"LEFT JOIN ledger_journal j ON j.code = %s "
            f"WHERE p.{quote('start')} <= %s AND p.{quote('end')} >= %s "
            f"ORDER BY p.{quote('start')}{lock}",
            [journal_code, dates[-1], dates[0]],
        )
        fetched = cursor.fetchall()
    rows = []
    for *values, year, _journal_pk, _journal_active, _version in fetched:
        period = db_rows.from_row(FiscalPeriod, _PERIOD_COLUMNS, values, connection.alias)
        # The year comes with the period: its label is all an entry's number needs.
        period.fiscal_year = FiscalYear.from_db(
            connection.alias, ["id", "year"], [period.fiscal_year_id, year]
        )
        rows.append(period)
    first = fetched[0] if fetched else None
    if first is not None:
        # The posting rules' version comes with the periods: the rules read under the same
        # token by an earlier posting are served from memory (``selectors.posting_rules_seen``).
        selectors.posting_rules_seen(version=first[-1])
    if first is None or first[-3] is None:
        journal = _journal(selectors.journal_get(code=journal_code))  # NotFound when unknown
    else:
        journal = _journal(Journal(id=first[-3], code=journal_code, is_active=bool(first[-2])))
    found: dict[Date, FiscalPeriod] = {}
    for day in dates:
        period = next((row for row in rows if row.start <= day <= row.end), None)
        if period is None:
            raise ValidationError({"date": _("No fiscal period covers this date.")})
        if not period.is_open:
            raise ValidationError(
                {"date": _("The period %(period)s is closed.") % {"period": period}}
            )
        found[day] = period
    return found, journal


@dataclass(frozen=True)
class PostingPeriods:
    """The journal of a batch of entries and the open periods of their dates, locked against a
    close: read by ``posting_periods_lock`` before the batch's lines are made, and given to
    ``journal_entries_post_lines``."""

    journal_code: str
    journal: Journal
    periods: dict[Date, FiscalPeriod]


@transaction.atomic(savepoint=False)
def posting_periods_lock(*, journal_code: str, dates: Iterable[Date]) -> PostingPeriods:
    """Lock the open periods of ``dates`` against a close, with the journal, for entries this
    transaction is about to post — before their lines are made, because the same query brings
    the posting rules' version: the rules a batch looks up next are then served from memory
    when no rule, account or category changed since this process last read them.

    Refused as ``journal_entries_post_lines`` refuses: an unknown or inactive journal, a date
    without a period or in a closed one.
    """
    periods, journal = _periods_and_journal(journal_code=journal_code, dates=dates)
    return PostingPeriods(journal_code=journal_code, journal=journal, periods=periods)


def _ensure_sequence(*, journal: Journal, fiscal_year: FiscalYear) -> None:
    """Make the journal's sequence in the fiscal year when it has none yet."""
    try:
        with transaction.atomic():
            JournalSequence.objects.create(journal=journal, fiscal_year=fiscal_year)
    except IntegrityError:
        pass  # another transaction created it first; the caller advances theirs


def _take_numbers(*, journal: Journal, fiscal_year: FiscalYear, count: int) -> list[str]:
    """Take the journal's next ``count`` numbers in the fiscal year, e.g. ``STK-2026-000123``.

    One UPDATE advances the sequence and locks its row until the transaction ends, so numbers
    are gapless and never shared: a rollback gives them back.
    """
    sql = (
        "UPDATE ledger_journalsequence SET next_number = next_number + %s "
        "WHERE journal_id = %s AND fiscal_year_id = %s RETURNING next_number"
    )
    with connection.cursor() as cursor:
        db_rows.execute(cursor, sql, [count, journal.pk, fiscal_year.pk])
        row = cursor.fetchone()
        if row is None:
            _ensure_sequence(journal=journal, fiscal_year=fiscal_year)
            db_rows.execute(cursor, sql, [count, journal.pk, fiscal_year.pk])
            row = cursor.fetchone()
    first, prefix = row[0] - count, _number_prefix(journal, fiscal_year)
    return [f"{prefix}{number:06d}" for number in range(first, row[0])]


def _with_rounding(cleaned: list[LineInput]) -> list[LineInput]:
    """Put a residue of at most a cent a line on the rounding account; refuse a larger one."""
    debit, credit = _totals(cleaned)
    difference = debit - credit
    if not difference:
        return cleaned
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
    return [
        *cleaned,
        LineInput(
            account=rounding,
            debit=-difference if difference < 0 else ZERO,
            credit=difference if difference > 0 else ZERO,
            memo=Memo("rounding"),
        ),
    ]


def _post_many(
    drafts: list[JournalEntry],
    lines: list[list[JournalLine]],
    todo: list[int],
    entries: Sequence[EntryInput],
    periods: dict[Date, FiscalPeriod],
    journal: Journal,
    posted_at,
    actor: User | None,
) -> dict[int, str]:
    """Number, write and post checked entries with a few statements whatever their number: the
    sequence advanced once per fiscal year, the entries, all their lines, and the post (draft
    → posted, the one UPDATE the immutability triggers allow). Their numbers by index."""
    # Numbers are taken per fiscal year, the years in a fixed order (no deadlock between posts).
    by_year: dict[int, list[int]] = {}
    for n in todo:
        by_year.setdefault(periods[entries[n].date].fiscal_year_id, []).append(n)
    numbers: dict[int, str] = {}
    for year_id in sorted(by_year):
        indexes = by_year[year_id]
        fiscal_year = periods[entries[indexes[0]].date].fiscal_year
        taken = _take_numbers(journal=journal, fiscal_year=fiscal_year, count=len(indexes))
        numbers.update(zip(indexes, taken, strict=True))
    # Plain SQL: these statements run for every posting, and the ORM's compiler would cost
    # more than the database does (``common.db.rows``).
    db_rows.insert(JournalEntry, drafts, _ENTRY_FIELDS)
    for entry, group in zip(drafts, lines, strict=True):
        for line in group:
            line.entry_id = entry.pk  # made before the entry had its key
    db_rows.insert(JournalLine, [line for group in lines for line in group], _LINE_FIELDS)
    posted_by = actor.pk if actor is not None else None
    if len(drafts) == 1:
        db_rows.update(
            JournalEntry,
            drafts[0].pk,
            {
                "status": JournalEntry.Status.POSTED,
                "posted_at": posted_at,
                "posted_by_id": posted_by,
                "number": numbers[todo[0]],
            },
        )
    else:
        JournalEntry.objects.filter(pk__in=[entry.pk for entry in drafts]).update(
            status=JournalEntry.Status.POSTED,
            posted_at=posted_at,
            posted_by=actor,
            number=Case(
                *[
                    When(pk=entry.pk, then=Value(numbers[n]))
                    for entry, n in zip(drafts, todo, strict=True)
                ],
                output_field=CharField(),
            ),
        )
    return numbers


def _number_prefix(journal: Journal, fiscal_year: FiscalYear) -> str:
    """What a number of the journal in the fiscal year starts with: ``STK-2026-``."""
    return f"{journal.code}-{fiscal_year.year}-"


_LINE_VALUE_FIELDS = tuple(name for name in _LINE_FIELDS if name != "entry_id")

# The entry number formatted as ``_take_numbers`` formats it: six digits at least.
_POST_ONE_SQL = (
    "WITH number AS (UPDATE ledger_journalsequence SET next_number = next_number + 1 "
    "WHERE journal_id = %s AND fiscal_year_id = %s RETURNING next_number - 1 AS taken) "
    "UPDATE ledger_journalentry SET status = %s, posted_at = %s, posted_by_id = %s, "
    "number = %s || lpad(taken::text, greatest(6, length(taken::text)), '0') "
    "FROM number WHERE ledger_journalentry.id = %s RETURNING ledger_journalentry.number"
)


def _post_one(
    entry: JournalEntry,
    lines: list[JournalLine],
    *,
    journal: Journal,
    fiscal_year: FiscalYear,
    posted_at,
    actor: User | None,
) -> str:
    """Write and post one checked entry in two round trips (PostgreSQL); its number.

    The entry and its lines go in one INSERT (the entry's as a ``WITH``), as a draft; then one
    UPDATE advances the journal's sequence (a ``WITH``, which locks its row until the
    transaction ends, as ``_take_numbers`` does) and posts the entry with that number — the
    draft → posted change the immutability triggers allow, after the lines are in. The sequence
    is taken last, so concurrent posts wait on it for the shortest time.
    """
    using = db_rows.alias_of(JournalEntry)
    connection = connections[using]
    vendor = connection.vendor
    entry_fields = [JournalEntry._meta.get_field(name) for name in _ENTRY_FIELDS]
    line_fields = [JournalLine._meta.get_field(name) for name in _LINE_VALUE_FIELDS]
    one = "((SELECT id FROM entry), " + ", ".join(["%s"] * len(line_fields)) + ")"
    sql = (
        f"WITH entry AS ({db_rows.insert_sql(JournalEntry, tuple(_ENTRY_FIELDS), 1, vendor)}) "
        f"INSERT INTO ledger_journalline "
        f"(entry_id, {db_rows.columns_sql(JournalLine, _LINE_VALUE_FIELDS, vendor)}) "
        f"VALUES {', '.join([one] * len(lines))} RETURNING entry_id, id"
    )
    params = db_rows.prepared(entry, entry_fields, using)
    for line in lines:
        params.extend(db_rows.prepared(line, line_fields, using))
    post = [
        journal.pk,
        fiscal_year.pk,
        JournalEntry.Status.POSTED,
        posted_at,
        actor.pk if actor is not None else None,
        _number_prefix(journal, fiscal_year),
    ]
    with connection.cursor() as cursor:
        db_rows.execute(cursor, sql, params, prepare=len(lines) <= db_rows.FEW)
        written = cursor.fetchall()
        db_rows.saved(entry, written[0][0], using)
        for line, (_entry_id, pk) in zip(lines, written, strict=True):
            line.entry_id = entry.pk
            db_rows.saved(line, pk, using)
        db_rows.execute(cursor, _POST_ONE_SQL, [*post, entry.pk])
        row = cursor.fetchone()
        if row is None:  # the journal's first entry in the fiscal year: no sequence yet
            _ensure_sequence(journal=journal, fiscal_year=fiscal_year)
            db_rows.execute(cursor, _POST_ONE_SQL, [*post, entry.pk])
            row = cursor.fetchone()
    return row[0]


def _post_entries(
    *,
    journal_code: str,
    entries: Sequence[EntryInput],
    actor: User | None,
    locked: PostingPeriods | None = None,
) -> list[JournalEntry]:
    """Check every entry, then write and post them all: the body of both one-call posts.

    Every check runs before the first write. The writes are a fixed handful of statements
    whatever the number of entries: the sequence advanced once per fiscal year, the entries,
    all their lines, and the post (draft → posted, the one UPDATE the immutability triggers
    allow) — nothing written is read back.
    """
    entries = list(entries)
    results: list[JournalEntry | None] = [None] * len(entries)
    sources = [
        (
            (entry.source_type or "").strip(),
            str(entry.source_event_id) if entry.source_event_id not in (None, "") else None,
        )
        for entry in entries
    ]
    # A redelivered event posts once: its entry, found by (source type, event id), is returned.
    with_events = {source for source in sources if source[1] is not None}
    if with_events:
        for existing in JournalEntry.objects.filter(
            source_type__in={kind for kind, _event in with_events},
            source_event_id__in={event for _kind, event in with_events},
        ):
            for n, source in enumerate(sources):
                if source == (existing.source_type, existing.source_event_id):
                    results[n] = existing
    todo = [n for n, result in enumerate(results) if result is None]
    if not todo:
        return results  # type: ignore[return-value]
    dates = [entries[n].date for n in todo]
    if (
        locked is not None
        and locked.journal_code == journal_code
        and all(day in locked.periods for day in dates)
    ):
        periods, journal = locked.periods, locked.journal
    else:
        periods, journal = _periods_and_journal(journal_code=journal_code, dates=dates)
    cleaned = {n: _with_rounding(_clean_lines(entries[n].lines, drop_zero=True)) for n in todo}
    memos = {n: memo_parts(entries[n].memo) for n in todo}
    drafts = [
        JournalEntry(
            journal_id=journal.pk,
            fiscal_year_id=periods[entries[n].date].fiscal_year_id,
            period=periods[entries[n].date],
            date=entries[n].date,
            memo=memos[n][0][:255],
            memo_kind=memos[n][1],
            memo_args=memos[n][2],
            source_type=sources[n][0],
            source_id=entries[n].source_id,
            source_event_id=sources[n][1],
            created_by=actor,
        )
        for n in todo
    ]
    lines = [
        [journal_line(entry, line) for line in cleaned[n]]
        for entry, n in zip(drafts, todo, strict=True)
    ]
    posted_at = timezone.now()
    if len(drafts) == 1 and db_rows.shares_round_trips(db_rows.alias_of(JournalEntry)):
        fiscal_year = periods[entries[todo[0]].date].fiscal_year
        numbers = {
            todo[0]: _post_one(
                drafts[0],
                lines[0],
                journal=journal,
                fiscal_year=fiscal_year,
                posted_at=posted_at,
                actor=actor,
            )
        }
    else:
        numbers = _post_many(drafts, lines, todo, entries, periods, journal, posted_at, actor)
    for entry, n in zip(drafts, todo, strict=True):
        entry.journal = journal
        entry.number = numbers[n]
        entry.status = JournalEntry.Status.POSTED
        entry.posted_at = posted_at
        entry.posted_by = actor
        results[n] = entry
    return results  # type: ignore[return-value]


@transaction.atomic
def journal_entry_post_lines(
    *,
    journal_code: str,
    date: Date,
    memo: str | Memo,
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
    (entry,) = _post_entries(
        journal_code=journal_code,
        entries=[
            EntryInput(
                date=date,
                memo=memo,
                lines=lines,
                source_type=source_type,
                source_id=source_id,
                source_event_id=source_event_id,
            )
        ],
        actor=actor,
    )
    return entry


@transaction.atomic(savepoint=False)
def journal_entries_post_lines(
    *,
    journal_code: str,
    entries: Sequence[EntryInput],
    actor: User | None = None,
    periods: PostingPeriods | None = None,
) -> list[JournalEntry]:
    """Create and post many balanced entries of one journal at once, in the caller's transaction.

    Each entry is checked and rounded as by ``journal_entry_post_lines``; all are checked
    before anything is written, then written with a few bulk statements whatever their number,
    numbered in the order given. Meant for a service that books a batch (the stock ledger): it
    takes no savepoint of its own, so a refusal rolls back the caller's transaction with it.
    Returns the entries in the order given (an entry already posted for its event, as it is).
    ``periods``, from ``posting_periods_lock`` earlier in the transaction, saves reading the
    periods again when it covers every entry's date.
    """
    return _post_entries(journal_code=journal_code, entries=entries, actor=actor, locked=periods)
