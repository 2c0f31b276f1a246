"""Reads of the general ledger, used by views, the API, services and other modules alike.

The reports (trial balance, general ledger, balances) live in ``erp_core.ledger.reports``.
"""

from dataclasses import dataclass
from datetime import date as Date

from django.db.models import Prefetch, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from common.errors import NotFound
from erp_core.ledger.models import (
    Account,
    CompanySettings,
    FiscalPeriod,
    FiscalYear,
    Journal,
    JournalEntry,
    JournalLine,
    PostingKind,
    PostingRule,
)
from erp_core.ledger.models.periods import SINGLETON_PK


def company_settings() -> CompanySettings:
    """The company's accounting settings; the default row (CNY, Asia/Shanghai) on first use."""
    settings, _created = CompanySettings.objects.get_or_create(pk=SINGLETON_PK)
    return settings


# --- Fiscal calendar ---------------------------------------------------------------------------


def fiscal_year_list() -> QuerySet[FiscalYear]:
    """Fiscal years, oldest first."""
    return FiscalYear.objects.order_by("year")


def fiscal_period_list(*, year: int | None = None, status: str | None = None) -> QuerySet:
    """Fiscal periods in date order, with their year; optionally of one year or one status."""
    qs = FiscalPeriod.objects.select_related("fiscal_year", "closed_by").order_by("start")
    if year is not None:
        qs = qs.filter(fiscal_year__year=year)
    if status:
        qs = qs.filter(status=status)
    return qs


def period_for_date(*, date: Date) -> FiscalPeriod | None:
    """The fiscal period containing ``date``, or ``None`` when no fiscal year covers it."""
    return (
        FiscalPeriod.objects.select_related("fiscal_year")
        .filter(start__lte=date, end__gte=date)
        .first()
    )


# --- Chart of accounts and journals ------------------------------------------------------------


def account_list(
    *, search: str = "", postable: bool | None = None, active: bool | None = None
) -> QuerySet[Account]:
    """Accounts in code order, searched by code or name, optionally only postable or active."""
    qs = Account.objects.select_related("parent").order_by("code")
    if search:
        qs = qs.filter(
            Q(code__startswith=search) | Q(name_zh__icontains=search) | Q(name_en__icontains=search)
        )
    if postable is not None:
        qs = qs.filter(is_postable=postable)
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs


def account_get(*, code: str) -> Account:
    """The account with this code; ``NotFound`` when there is none."""
    account = Account.objects.filter(code=code).first()
    if account is None:
        raise NotFound(_("No account %(code)s.") % {"code": code}, code="account_not_found")
    return account


def rounding_account() -> Account | None:
    """The account flagged ``is_rounding`` (汇兑及尾差), which takes rounding residue."""
    return Account.objects.filter(is_rounding=True, is_active=True, is_postable=True).first()


def journal_list(*, active: bool | None = None) -> QuerySet[Journal]:
    """Journals in code order."""
    qs = Journal.objects.order_by("code")
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs


def journal_get(*, code: str) -> Journal:
    """The journal with this code; ``NotFound`` when there is none."""
    journal = Journal.objects.filter(code=code).first()
    if journal is None:
        raise NotFound(_("No journal %(code)s.") % {"code": code}, code="journal_not_found")
    return journal


# --- Posting rules -----------------------------------------------------------------------------


@dataclass(frozen=True)
class PostingAccounts:
    """The accounts an event posts to (a positive amount: debit ``debit``, credit ``credit``)."""

    debit: Account
    credit: Account
    rule: PostingRule


def posting_accounts(*, kind: str, category_code: str | None = None) -> PostingAccounts:
    """The debit and credit accounts of an event kind for an item category.

    The category's own rule wins; without one, the default rule of the kind (no category).
    Raises ``NotFound`` when neither exists (seed the rules with ``posting_rules_seed``).
    """
    if kind not in PostingKind.values:
        raise NotFound(_("Unknown posting kind %(kind)s.") % {"kind": kind}, code="unknown_kind")
    categories = [category_code, ""] if category_code else [""]
    rules = {
        rule.category_code: rule
        for rule in PostingRule.objects.select_related("debit_account", "credit_account").filter(
            kind=kind, category_code__in=categories
        )
    }
    rule = rules.get(category_code or "") or rules.get("")
    if rule is None:
        raise NotFound(
            _("No posting rule for %(kind)s.") % {"kind": kind}, code="posting_rule_missing"
        )
    return PostingAccounts(debit=rule.debit_account, credit=rule.credit_account, rule=rule)


# --- Journal entries ---------------------------------------------------------------------------


def journal_entry_list(
    *,
    status: str | None = None,
    journal: Journal | str | None = None,
    search: str = "",
    date_from: Date | None = None,
    date_to: Date | None = None,
) -> QuerySet[JournalEntry]:
    """Entries newest first with their journal, period, users and totals; filtered as asked."""
    qs = (
        JournalEntry.objects.select_related(
            "journal", "fiscal_year", "period__fiscal_year", "created_by", "posted_by"
        )
        .annotate(total_debit=Sum("lines__debit"), total_credit=Sum("lines__credit"))
        .order_by("-date", "-id")
    )
    if status:
        qs = qs.filter(status=status)
    if isinstance(journal, Journal):
        qs = qs.filter(journal=journal)
    elif journal:
        qs = qs.filter(journal__code=journal)
    if search:
        qs = qs.filter(Q(number__icontains=search) | Q(memo__icontains=search))
    if date_from:
        qs = qs.filter(date__gte=date_from)
    if date_to:
        qs = qs.filter(date__lte=date_to)
    return qs


def journal_entry_detail_list() -> QuerySet[JournalEntry]:
    """Entries with their lines (account, partner) prefetched and the reversal links joined."""
    lines = JournalLine.objects.select_related("account", "partner").order_by("id")
    return JournalEntry.objects.select_related(
        "journal",
        "fiscal_year",
        "period__fiscal_year",
        "created_by",
        "posted_by",
        "reversal_of",
        "reversal",
    ).prefetch_related(Prefetch("lines", queryset=lines))
