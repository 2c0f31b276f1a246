"""General ledger services: the only code that changes the books.

Each service is keyword-only and typed and runs in one transaction: a refusal
(``ValidationError`` for bad input, ``common.errors.Conflict`` for a state that forbids it)
writes nothing.
"""

import calendar
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date as Date
from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.errors import Conflict
from erp_core.ledger import selectors
from erp_core.ledger.models import (
    Account,
    CompanySettings,
    FiscalPeriod,
    FiscalYear,
    Journal,
    JournalEntry,
    JournalLine,
    JournalSequence,
    NormalBalance,
    PostingKind,
    PostingRule,
)
from erp_core.ledger.money import CENT, ZERO, money
from erp_core.models import Partner, User

# --- Fiscal calendar ---------------------------------------------------------------------------


def _add_months(day: Date, months: int) -> Date:
    """The first of the month ``months`` after ``day``'s month."""
    index = day.month - 1 + months
    return Date(day.year + index // 12, index % 12 + 1, 1)


COMPANY_FIELDS = (
    "name",
    "time_zone",
    "tax_id",
    "address",
    "phone",
    "bank_name",
    "bank_account",
    "invoice_on_shipment",
)


@transaction.atomic
def company_settings_update(**fields) -> CompanySettings:
    """Change the company's name, time zone, VAT invoice fields (tax id, address, phone, bank)
    or whether shipments are invoiced at once (``invoice_on_shipment``).

    The base currency and the fiscal year's start month are set once, before any posting, in
    the admin. Unknown fields and invalid values are refused (400) and nothing is saved.
    """
    unknown = sorted(set(fields) - set(COMPANY_FIELDS))
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in unknown})
    company = CompanySettings.objects.select_for_update().get(pk=selectors.company_settings().pk)
    for name, value in fields.items():
        if name == "invoice_on_shipment":
            if not isinstance(value, bool):
                raise ValidationError({name: _("Give true or false.")})
        else:
            value = (value or "").strip()
        setattr(company, name, value)
    company.full_clean()
    company.save(update_fields=list(fields))
    return company


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


# --- Chart of accounts -------------------------------------------------------------------------

ACCOUNT_TYPE_NORMAL_BALANCE = {
    Account.Type.ASSET: NormalBalance.DEBIT,
    Account.Type.LIABILITY: NormalBalance.CREDIT,
    Account.Type.COMMON: NormalBalance.DEBIT,
    Account.Type.EQUITY: NormalBalance.CREDIT,
    Account.Type.COST: NormalBalance.DEBIT,
    Account.Type.INCOME: NormalBalance.CREDIT,
    Account.Type.EXPENSE: NormalBalance.DEBIT,
}


def _parent_for(code: str) -> Account | None:
    """The existing account whose code is the longest proper prefix of ``code``."""
    prefixes = [code[:length] for length in range(4, len(code), 2)]
    candidates = sorted(
        Account.objects.select_for_update().filter(code__in=prefixes),
        key=lambda account: len(account.code),
    )
    return candidates[-1] if candidates else None


@transaction.atomic
def account_create(
    *,
    code: str,
    name_zh: str,
    name_en: str,
    type: str | None = None,
    normal_balance: str | None = None,
    is_rounding: bool = False,
    is_active: bool = True,
) -> Account:
    """Add an account to the chart, under the account whose code is its longest prefix.

    A sub-account takes its parent's type by default and must keep it; its parent stops being
    postable, which is refused while the parent has lines or is named in a posting rule.
    The normal balance defaults from the type (debit for assets, costs, expenses).
    """
    code = (code or "").strip()
    parent = _parent_for(code) if len(code) > 4 else None
    if len(code) > 4 and parent is None:
        raise ValidationError({"code": _("Create the parent account of this code first.")})
    if parent is not None:
        type = type or parent.type
        if type != parent.type:
            raise ValidationError({"type": _("A sub-account has its parent's type.")})
    if not type:
        raise ValidationError({"type": _("This field is required.")})
    if normal_balance is None and type in ACCOUNT_TYPE_NORMAL_BALANCE:
        normal_balance = ACCOUNT_TYPE_NORMAL_BALANCE[type]
    account = Account(
        code=code,
        name_zh=(name_zh or "").strip(),
        name_en=(name_en or "").strip(),
        type=type,
        normal_balance=normal_balance or "",
        parent=parent,
        is_rounding=is_rounding,
        is_active=is_active,
    )
    account.full_clean()
    if parent is not None and parent.is_postable:
        if JournalLine.objects.filter(account=parent).exists():
            raise Conflict(
                _("Account %(code)s has lines: it cannot get sub-accounts.")
                % {"code": parent.code},
                code="account_has_lines",
            )
        if (
            PostingRule.objects.filter(debit_account=parent).exists()
            or PostingRule.objects.filter(credit_account=parent).exists()
        ):
            raise Conflict(
                _("Account %(code)s is used by posting rules: point them elsewhere first.")
                % {"code": parent.code},
                code="account_in_posting_rule",
            )
        parent.is_postable = False
        parent.save(update_fields=["is_postable"])
    account.save()
    return account


ACCOUNT_UPDATE_FIELDS = ("name_zh", "name_en", "is_active", "is_rounding")


@transaction.atomic
def account_update(*, account: Account, **fields) -> Account:
    """Change an account's names, active flag or rounding flag; code, type and tree stay."""
    unknown = set(fields) - set(ACCOUNT_UPDATE_FIELDS)
    if unknown:
        raise ValidationError(
            {field: _("This field cannot be changed.") for field in sorted(unknown)}
        )
    account = Account.objects.select_for_update().get(pk=account.pk)
    for field, value in fields.items():
        setattr(account, field, value.strip() if isinstance(value, str) else value)
    account.full_clean()
    account.save()
    return account


# (code, Chinese name, English name, type, normal balance or None for the type's, is_rounding)
CHART_OF_ACCOUNTS: tuple[tuple[str, str, str, str, str | None, bool], ...] = (
    ("1001", "库存现金", "Cash on hand", "asset", None, False),
    ("1002", "银行存款", "Bank deposits", "asset", None, False),
    ("1122", "应收账款", "Accounts receivable", "asset", None, False),
    ("1123", "预付账款", "Prepayments", "asset", None, False),
    ("1221", "其他应收款", "Other receivables", "asset", None, False),
    ("1401", "材料采购", "Materials in transit (purchases)", "asset", None, False),
    ("1403", "原材料", "Raw materials", "asset", None, False),
    ("1404", "材料成本差异", "Material cost variance", "asset", None, False),
    ("1405", "库存商品", "Finished goods", "asset", None, False),
    ("1408", "委托加工物资", "Materials sent for processing", "asset", None, False),
    ("1411", "周转材料", "Reusable materials", "asset", None, False),
    ("1601", "固定资产", "Fixed assets", "asset", None, False),
    ("1602", "累计折旧", "Accumulated depreciation", "asset", "credit", False),
    ("1901", "待处理财产损溢", "Unsettled asset gains and losses", "asset", None, False),
    ("2202", "应付账款", "Accounts payable", "liability", None, False),
    ("2203", "预收账款", "Advances from customers", "liability", None, False),
    ("2211", "应付职工薪酬", "Payroll payable", "liability", None, False),
    ("2221", "应交税费", "Taxes payable", "liability", None, False),
    ("222101", "应交增值税", "VAT payable", "liability", None, False),
    ("22210101", "进项税额", "Input VAT", "liability", "debit", False),
    ("22210102", "销项税额", "Output VAT", "liability", None, False),
    ("2241", "其他应付款", "Other payables", "liability", None, False),
    ("4001", "实收资本", "Paid-in capital", "equity", None, False),
    ("4103", "本年利润", "Profit for the year", "equity", None, False),
    ("4104", "利润分配", "Profit distribution", "equity", None, False),
    ("5001", "生产成本", "Production cost (WIP)", "cost", None, False),
    ("500101", "直接材料", "Direct materials", "cost", None, False),
    ("500102", "直接人工", "Direct labour", "cost", None, False),
    ("500103", "制造费用", "Manufacturing overhead applied", "cost", None, False),
    ("5101", "制造费用", "Manufacturing overhead", "cost", None, False),
    ("6001", "主营业务收入", "Revenue from main operations", "income", None, False),
    ("6051", "其他业务收入", "Other operating revenue", "income", None, False),
    ("6301", "营业外收入", "Non-operating income", "income", None, False),
    ("6401", "主营业务成本", "Cost of main operations (COGS)", "expense", None, False),
    ("6402", "其他业务成本", "Other operating costs", "expense", None, False),
    ("6602", "管理费用", "Administrative expenses", "expense", None, False),
    ("6603", "财务费用", "Financial expenses", "expense", None, False),
    ("660301", "汇兑及尾差", "Exchange and rounding differences", "expense", None, True),
    ("660302", "利息支出", "Interest expense", "expense", None, False),
    ("660303", "手续费", "Bank charges", "expense", None, False),
    ("6711", "营业外支出", "Non-operating expenses", "expense", None, False),
    ("6901", "以前年度损益调整", "Prior-year profit and loss adjustments", "income", None, False),
)


@transaction.atomic
def chart_of_accounts_seed() -> int:
    """Add the missing accounts of the enterprise accounting standard chart (企业会计准则).

    Idempotent: accounts that exist (by code) are left as they are. Returns how many were added.
    """
    existing = set(Account.objects.values_list("code", flat=True))
    created = 0
    # Parents before children: shorter codes first.
    for code, name_zh, name_en, type_, normal, is_rounding in sorted(
        CHART_OF_ACCOUNTS, key=lambda row: (len(row[0]), row[0])
    ):
        if code in existing:
            continue
        if is_rounding and Account.objects.filter(is_rounding=True).exists():
            is_rounding = False
        account_create(
            code=code,
            name_zh=name_zh,
            name_en=name_en,
            type=type_,
            normal_balance=normal,
            is_rounding=is_rounding,
        )
        created += 1
    return created


# (code, English name, Chinese name)
JOURNALS: tuple[tuple[str, str, str], ...] = (
    ("GEN", "General", "记"),
    ("STK", "Inventory", "存货"),
    ("SAL", "Sales", "销售"),
    ("PUR", "Purchases", "采购"),
    ("BNK", "Cash and bank", "收付款"),
    ("PRD", "Production", "生产"),
)


@transaction.atomic
def journal_create(*, code: str, name: str, name_zh: str = "") -> Journal:
    """Add a journal, with its number sequence in every fiscal year."""
    journal = Journal(code=(code or "").strip().upper(), name=(name or "").strip(), name_zh=name_zh)
    journal.full_clean()
    journal.save()
    JournalSequence.objects.bulk_create(
        [JournalSequence(journal=journal, fiscal_year=year) for year in FiscalYear.objects.all()]
    )
    return journal


@transaction.atomic
def journals_seed() -> int:
    """Add the missing standard journals (GEN 记, STK 存货, SAL 销售, PUR 采购); idempotent."""
    existing = set(Journal.objects.values_list("code", flat=True))
    created = 0
    for code, name, name_zh in JOURNALS:
        if code not in existing:
            journal_create(code=code, name=name, name_zh=name_zh)
            created += 1
    return created


# kind → (debit account code, credit account code, description)
DEFAULT_POSTING_RULES: dict[str, tuple[str, str, str]] = {
    PostingKind.INVENTORY: ("1405", "1405", "Inventory is carried in 库存商品"),
    PostingKind.STOCK_RECEIPT: ("1405", "1401", "Receipt at standard cost against 材料采购"),
    PostingKind.STOCK_ISSUE: ("5101", "1405", "Issue to manufacturing overhead"),
    PostingKind.ADJUSTMENT_GAIN: ("1405", "1901", "Count gain pending approval (待处理财产损溢)"),
    PostingKind.ADJUSTMENT_LOSS: ("1901", "1405", "Count loss pending approval (待处理财产损溢)"),
    PostingKind.COGS: ("6401", "1405", "Cost of goods sold on shipment"),
    PostingKind.PRODUCTION_CONSUMPTION: ("500101", "1403", "Materials consumed into WIP"),
    PostingKind.PRODUCTION_OUTPUT: ("1405", "500101", "Finished goods out of WIP"),
    PostingKind.PURCHASE_PRICE_VARIANCE: ("1404", "1401", "Actual above standard purchase price"),
    PostingKind.STANDARD_COST_VARIANCE: ("1404", "500101", "Actual above standard production cost"),
    PostingKind.SALES_REVENUE: ("1122", "6001", "Revenue on a customer invoice"),
    PostingKind.OUTPUT_VAT: ("1122", "22210102", "Output VAT (销项税额) on a customer invoice"),
    PostingKind.PURCHASE_BILL: ("1401", "2202", "A supplier bill clears 材料采购 into payables"),
    PostingKind.INPUT_VAT: ("22210101", "2202", "Input VAT (进项税额) on a supplier bill"),
    PostingKind.CUSTOMER_PAYMENT: ("1002", "1122", "A customer's payment into the bank"),
    PostingKind.SUPPLIER_PAYMENT: ("2202", "1002", "A payment to a supplier from the bank"),
    PostingKind.PRODUCTION_LABOUR: ("500102", "2211", "Labour time applied to production"),
    PostingKind.PRODUCTION_MACHINE: ("500103", "5101", "Machine time applied to production"),
}


@transaction.atomic
def posting_rules_seed() -> int:
    """Add the missing default posting rule of every event kind (no category); idempotent.

    Needs the chart of accounts (``chart_of_accounts_seed``). Returns how many were added.
    """
    existing = set(PostingRule.objects.filter(category_code="").values_list("kind", flat=True))
    accounts = {account.code: account for account in Account.objects.all()}
    created = 0
    for kind, (debit, credit, description) in DEFAULT_POSTING_RULES.items():
        if kind in existing:
            continue
        if debit not in accounts or credit not in accounts:
            raise ValidationError(_("Seed the chart of accounts before the posting rules."))
        rule = PostingRule(
            kind=kind,
            debit_account=accounts[debit],
            credit_account=accounts[credit],
            description=description,
        )
        rule.full_clean()
        rule.save()
        created += 1
    return created


# --- Journal entries ---------------------------------------------------------------------------


@dataclass(frozen=True)
class LineInput:
    """One line given to the entry services: a positive debit or a positive credit."""

    account: Account
    debit: Decimal = ZERO
    credit: Decimal = ZERO
    partner: Partner | None = None
    memo: str = ""


LineLike = LineInput | Mapping


def _resolve_account(value: object) -> Account | None:
    """An Account from an instance, a primary key or a code."""
    if isinstance(value, Account):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return Account.objects.filter(pk=value).first()
    if isinstance(value, str) and value.strip():
        return Account.objects.filter(code=value.strip()).first()
    return None


def _resolve_partner(value: object) -> Partner | None:
    """A Partner from an instance or a primary key; ``None`` for nothing."""
    if value is None or isinstance(value, Partner):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        partner = Partner.objects.filter(pk=value).first()
        if partner is not None:
            return partner
    raise ValueError("unknown partner")


def _clean_lines(lines: Iterable[LineLike], *, drop_zero: bool = False) -> list[LineInput]:
    """Validate and normalise lines: amounts to the cent, accounts postable and active.

    Raises a ``ValidationError`` on ``lines`` naming every bad line (numbered from 1).
    """
    if lines is None or isinstance(lines, str | bytes | Mapping):
        raise ValidationError({"lines": _("Give a list of lines.")})
    cleaned: list[LineInput] = []
    errors: list[str] = []
    for index, raw in enumerate(lines, start=1):
        if isinstance(raw, LineInput):
            raw = {
                "account": raw.account,
                "debit": raw.debit,
                "credit": raw.credit,
                "partner": raw.partner,
                "memo": raw.memo,
            }
        if not isinstance(raw, Mapping):
            errors.append(_("Line %(n)d: not a line.") % {"n": index})
            continue
        account = _resolve_account(raw.get("account"))
        if account is None:
            errors.append(_("Line %(n)d: unknown account.") % {"n": index})
            continue
        try:
            debit, credit = money(raw.get("debit")), money(raw.get("credit"))
        except ValueError:
            errors.append(_("Line %(n)d: the amounts must be numbers.") % {"n": index})
            continue
        try:
            partner = _resolve_partner(raw.get("partner"))
        except ValueError:
            errors.append(_("Line %(n)d: unknown partner.") % {"n": index})
            continue
        memo = str(raw.get("memo") or "").strip()
        if len(memo) > 255:
            errors.append(_("Line %(n)d: the memo is longer than 255 characters.") % {"n": index})
            continue
        if debit < 0 or credit < 0:
            errors.append(_("Line %(n)d: amounts cannot be negative.") % {"n": index})
            continue
        if debit == 0 and credit == 0 and drop_zero:
            continue
        if (debit > 0) == (credit > 0):
            errors.append(
                _("Line %(n)d: give either a debit or a credit above zero.") % {"n": index}
            )
            continue
        if abs(debit + credit) >= Decimal("1e16"):
            errors.append(_("Line %(n)d: the amount is too large.") % {"n": index})
            continue
        if not account.is_postable:
            errors.append(
                _("Line %(n)d: account %(code)s has sub-accounts; post to one of them.")
                % {"n": index, "code": account.code}
            )
            continue
        if not account.is_active:
            errors.append(
                _("Line %(n)d: account %(code)s is inactive.") % {"n": index, "code": account.code}
            )
            continue
        cleaned.append(
            LineInput(account=account, debit=debit, credit=credit, partner=partner, memo=memo)
        )
    if errors:
        raise ValidationError({"lines": errors})
    if len(cleaned) < 2:
        raise ValidationError({"lines": _("An entry has at least two lines.")})
    return cleaned


def _totals(lines: Sequence[LineInput]) -> tuple[Decimal, Decimal]:
    return sum((line.debit for line in lines), ZERO), sum((line.credit for line in lines), ZERO)


def _require_balanced(lines: Sequence[LineInput]) -> None:
    debit, credit = _totals(lines)
    if debit != credit:
        raise ValidationError(
            {
                "lines": _("Debits (%(debit)s) and credits (%(credit)s) differ.")
                % {"debit": debit, "credit": credit}
            }
        )


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


def _write_lines(entry: JournalEntry, lines: Sequence[LineInput]) -> None:
    JournalLine.objects.bulk_create(
        [
            JournalLine(
                entry=entry,
                account=line.account,
                debit=line.debit,
                credit=line.credit,
                partner=line.partner,
                memo=line.memo,
            )
            for line in lines
        ]
    )


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


# --- Seeding -----------------------------------------------------------------------------------


@transaction.atomic
def ledger_seed(*, today: Date | None = None) -> dict[str, int]:
    """The reference data of the books, each part idempotent: company settings, the chart of
    accounts, the journals, the default posting rules and the fiscal years of this year and next.
    """
    selectors.company_settings()
    today = today or timezone.localdate()
    created = {
        "accounts": chart_of_accounts_seed(),
        "journals": journals_seed(),
        "posting_rules": posting_rules_seed(),
        "fiscal_years": 0,
    }
    start_month = selectors.company_settings().fiscal_year_start_month
    current = today.year if today.month >= start_month else today.year - 1
    for year in (current, current + 1):
        if not FiscalYear.objects.filter(year=year).exists():
            fiscal_year_create(year=year)
            created["fiscal_years"] += 1
    return created


@transaction.atomic
def ledger_demo_load(*, actor: User | None = None, today: Date | None = None) -> dict[str, int]:
    """Seed the books and post the demo's opening entry (paid-in capital); idempotent.

    The entry carries ``source_type="demo"`` and a fixed event id, so a second run posts
    nothing. Purchases, sales and their receivables and payables are not hand-made entries:
    the demo books them through real documents (``erp_core.demo``), so that the receivables,
    payables and stock checks of ``manage.py reconcile`` find documents behind every balance.
    """
    today = today or timezone.localdate()
    created = ledger_seed(today=today)
    day = today.replace(day=1)
    demo = (
        (
            "demo-capital",
            "GEN",
            _("Paid-in capital received"),
            [("1002", "1000000.00", "0", None), ("4001", "0", "1000000.00", None)],
        ),
    )
    created["entries"] = 0
    for event_id, journal_code, memo, rows in demo:
        if JournalEntry.objects.filter(source_type="demo", source_event_id=event_id).exists():
            continue
        journal_entry_post_lines(
            journal_code=journal_code,
            date=day,
            memo=memo,
            lines=[
                {"account": code, "debit": debit, "credit": credit, "partner": partner}
                for code, debit, credit, partner in rows
            ],
            source_type="demo",
            source_id=None,
            source_event_id=event_id,
            actor=actor,
        )
        created["entries"] += 1
    return created
