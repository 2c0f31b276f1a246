"""Financial reports of the general ledger: trial balance, general ledger, account balances.

Every report aggregates in the database (one grouped query, never a query per account) and
counts posted entries only. Balances are debit-positive: a credit balance is negative.
"""

from dataclasses import dataclass, field
from datetime import date as Date
from decimal import Decimal
from io import BytesIO

from django.db.models import Q, Sum
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from erp_core.ledger.models import Account, FiscalPeriod, JournalEntry, JournalLine
from erp_core.ledger.models.accounts import name_in_language
from erp_core.ledger.money import ZERO, money

POSTED = Q(entry__status=JournalEntry.Status.POSTED)


def _split(balance: Decimal) -> tuple[Decimal, Decimal]:
    """A debit-positive balance as (debit side, credit side)."""
    return (balance, ZERO) if balance >= 0 else (ZERO, -balance)


@dataclass
class TrialBalanceRow:
    """One account of the trial balance: opening, the period's debits and credits, closing."""

    account_id: int
    code: str
    name_zh: str
    name_en: str
    level: int
    is_postable: bool
    opening: Decimal = ZERO
    debit: Decimal = ZERO
    credit: Decimal = ZERO

    @property
    def name(self) -> str:
        """The account's name in the reader's language."""
        return name_in_language(self.name_zh, self.name_en)

    @property
    def closing(self) -> Decimal:
        """The debit-positive balance at the end of the range."""
        return self.opening + self.debit - self.credit

    @property
    def opening_debit(self) -> Decimal:
        return _split(self.opening)[0]

    @property
    def opening_credit(self) -> Decimal:
        return _split(self.opening)[1]

    @property
    def closing_debit(self) -> Decimal:
        return _split(self.closing)[0]

    @property
    def closing_credit(self) -> Decimal:
        return _split(self.closing)[1]


@dataclass
class TrialBalance:
    """The trial balance of a date range: a row per account with lines, parents summed up."""

    date_from: Date
    date_to: Date
    rows: list[TrialBalanceRow] = field(default_factory=list)

    def _leaves(self) -> list[TrialBalanceRow]:
        return [row for row in self.rows if row.is_postable]

    @property
    def opening_debit(self) -> Decimal:
        return sum((row.opening_debit for row in self._leaves()), ZERO)

    @property
    def opening_credit(self) -> Decimal:
        return sum((row.opening_credit for row in self._leaves()), ZERO)

    @property
    def debit(self) -> Decimal:
        return sum((row.debit for row in self._leaves()), ZERO)

    @property
    def credit(self) -> Decimal:
        return sum((row.credit for row in self._leaves()), ZERO)

    @property
    def closing_debit(self) -> Decimal:
        return sum((row.closing_debit for row in self._leaves()), ZERO)

    @property
    def closing_credit(self) -> Decimal:
        return sum((row.closing_credit for row in self._leaves()), ZERO)

    @property
    def closing_sum(self) -> Decimal:
        """The sum of the accounts' debit-positive closing balances: zero when books balance."""
        return sum((row.closing for row in self._leaves()), ZERO)

    @property
    def is_balanced(self) -> bool:
        """True when the opening, the movements and the closing each balance."""
        return (
            self.opening_debit == self.opening_credit
            and self.debit == self.credit
            and self.closing_debit == self.closing_credit
        )


def trial_balance(*, date_from: Date, date_to: Date, include_empty: bool = False) -> TrialBalance:
    """The trial balance (科目余额表) from ``date_from`` to ``date_to``, both included.

    One grouped query for the leaf accounts' opening balance and movements, one for the chart;
    parent accounts are summed from their children in memory.
    """
    sums = (
        JournalLine.objects.filter(POSTED, entry__date__lte=date_to)
        .values("account_id")
        .annotate(
            opening_debit=Sum("debit", filter=Q(entry__date__lt=date_from)),
            opening_credit=Sum("credit", filter=Q(entry__date__lt=date_from)),
            debit=Sum("debit", filter=Q(entry__date__gte=date_from)),
            credit=Sum("credit", filter=Q(entry__date__gte=date_from)),
        )
        .order_by()
    )
    by_account = {row["account_id"]: row for row in sums}
    accounts = list(Account.objects.order_by("code"))
    rows = {
        account.code: TrialBalanceRow(
            account_id=account.pk,
            code=account.code,
            name_zh=account.name_zh,
            name_en=account.name_en,
            level=account.level,
            is_postable=account.is_postable,
        )
        for account in accounts
    }
    parent_code = {account.pk: account.code for account in accounts}
    parents = {account.code: account.parent_id for account in accounts}
    for account in accounts:
        found = by_account.get(account.pk)
        if not found:
            continue
        # money(): SQLite sums decimals in floating point; PostgreSQL's sums are exact already.
        opening = money(found["opening_debit"]) - money(found["opening_credit"])
        debit, credit = money(found["debit"]), money(found["credit"])
        code: str | None = account.code
        while code is not None:
            row = rows[code]
            row.opening += opening
            row.debit += debit
            row.credit += credit
            parent_id = parents[code]
            code = parent_code[parent_id] if parent_id else None
    result = [
        row for row in rows.values() if include_empty or row.opening or row.debit or row.credit
    ]
    return TrialBalance(date_from=date_from, date_to=date_to, rows=result)


def trial_balance_for_periods(
    *, period_from: FiscalPeriod, period_to: FiscalPeriod, include_empty: bool = False
) -> TrialBalance:
    """The trial balance from the start of ``period_from`` to the end of ``period_to``."""
    return trial_balance(
        date_from=period_from.start, date_to=period_to.end, include_empty=include_empty
    )


def account_balance(*, account: Account, as_of: Date) -> Decimal:
    """The debit-positive balance of an account (with its sub-accounts) at the end of ``as_of``."""
    totals = JournalLine.objects.filter(
        POSTED, entry__date__lte=as_of, account__code__startswith=account.code
    ).aggregate(debit=Sum("debit"), credit=Sum("credit"))
    return money(totals["debit"]) - money(totals["credit"])


def account_balances(*, as_of: Date) -> dict[str, Decimal]:
    """The debit-positive balance of every account with lines, by code, at the end of ``as_of``.

    Leaf accounts only (one grouped query); parents are the sums of their leaves.
    """
    rows = (
        JournalLine.objects.filter(POSTED, entry__date__lte=as_of)
        .values("account__code")
        .annotate(debit=Sum("debit"), credit=Sum("credit"))
        .order_by()
    )
    return {row["account__code"]: money(row["debit"]) - money(row["credit"]) for row in rows}


@dataclass(frozen=True)
class LedgerLine:
    """A line of the general ledger with the balance after it."""

    line: JournalLine
    balance: Decimal


@dataclass
class GeneralLedger:
    """An account's lines (with its sub-accounts') in a date range, with running balances."""

    account: Account
    date_from: Date
    date_to: Date
    opening: Decimal
    lines: list[LedgerLine]

    @property
    def debit(self) -> Decimal:
        return sum((row.line.debit for row in self.lines), ZERO)

    @property
    def credit(self) -> Decimal:
        return sum((row.line.credit for row in self.lines), ZERO)

    @property
    def closing(self) -> Decimal:
        return self.opening + self.debit - self.credit


def general_ledger(*, account: Account, date_from: Date, date_to: Date) -> GeneralLedger:
    """The general ledger (明细账) of an account: opening balance, lines in date order, running
    balance. Two queries whatever the number of lines.
    """
    opening = account_balance(
        account=account, as_of=date_from.fromordinal(date_from.toordinal() - 1)
    )
    lines = (
        JournalLine.objects.filter(
            POSTED,
            entry__date__gte=date_from,
            entry__date__lte=date_to,
            account__code__startswith=account.code,
        )
        .select_related("entry__journal", "account", "partner")
        .order_by("entry__date", "entry__posted_at", "entry_id", "id")
    )
    balance = opening
    rows = []
    for line in lines:
        balance += line.debit - line.credit
        rows.append(LedgerLine(line=line, balance=balance))
    return GeneralLedger(
        account=account, date_from=date_from, date_to=date_to, opening=opening, lines=rows
    )


def trial_balance_workbook(report: TrialBalance) -> bytes:
    """The trial balance as an Excel workbook (.xlsx), amounts as numbers with two decimals."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Trial balance")[:31]
    sheet.append([_("Trial balance"), f"{report.date_from} – {report.date_to}"])
    headers = [
        _("Code"),
        _("Chinese name"),
        _("English name"),
        _("Opening debit"),
        _("Opening credit"),
        _("Debit"),
        _("Credit"),
        _("Closing debit"),
        _("Closing credit"),
    ]
    sheet.append(headers)
    for cell in sheet[1] + sheet[2]:
        cell.font = Font(bold=True)
    for row in report.rows:
        sheet.append(
            [
                row.code,
                row.name_zh,
                row.name_en,
                row.opening_debit,
                row.opening_credit,
                row.debit,
                row.credit,
                row.closing_debit,
                row.closing_credit,
            ]
        )
        if not row.is_postable:
            for cell in sheet[sheet.max_row]:
                cell.font = Font(bold=True)
    sheet.append(
        [
            _("Total"),
            "",
            "",
            report.opening_debit,
            report.opening_credit,
            report.debit,
            report.credit,
            report.closing_debit,
            report.closing_credit,
        ]
    )
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for column in "DEFGHI":
        for cell in sheet[column][2:]:
            cell.number_format = "#,##0.00"
        sheet.column_dimensions[column].width = 16
    sheet.column_dimensions["A"].width = 12
    sheet.column_dimensions["B"].width = 20
    sheet.column_dimensions["C"].width = 32
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
