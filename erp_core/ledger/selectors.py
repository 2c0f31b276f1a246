"""Reads of the general ledger, used by views, the API, services and other modules alike.

The reports (trial balance, general ledger, balances) live in ``erp_core.ledger.reports``.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date as Date

from django.db import DEFAULT_DB_ALIAS, connections, router
from django.db.models import Prefetch, Q, QuerySet, Sum
from django.db.models.signals import post_delete, post_save
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
from erp_core.masterdata.models import Item, ItemCategory


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
#
# A stock move asks for two or three rules (inventory, counter account, variance) and a document
# for several more; each lookup was a query joining two accounts. Inside a database transaction
# the rules are now read once: ``posting_accounts_for`` fetches every kind a posting needs in one
# query, and later lookups in the same transaction are answered from memory. Nothing outlives the
# transaction, so a rule edited by another process is seen by the next transaction; an edit
# inside the transaction (a PostingRule or an Account saved or deleted) empties the cache
# through the receivers below.

_RULES_CACHE = "_ledger_posting_rules"


@dataclass(frozen=True)
class PostingAccounts:
    """The accounts an event posts to (a positive amount: debit ``debit``, credit ``credit``)."""

    debit: Account
    credit: Account
    rule: PostingRule


@dataclass
class _RulesCache:
    """The rules read in one transaction by (kind, category code); ``None``: there is none."""

    transaction: list
    rules: dict[tuple[str, str], PostingRule | None] = field(default_factory=dict)
    parents: dict[str, str] | None = None  # item category code → its parent's code ("" at root)


def _transaction_rules() -> _RulesCache | None:
    """The rules cache of the transaction in progress; ``None`` outside a transaction."""
    connection = connections[router.db_for_read(PostingRule)]
    if not connection.in_atomic_block:
        return None
    cache = getattr(connection, _RULES_CACHE, None)
    # Django gives the connection a new ``run_on_commit`` list whenever a transaction ends
    # (commit, rollback, a savepoint rolled back, the connection closed): the list the rules were
    # read under tells whether they were read in this transaction.
    if cache is None or cache.transaction is not connection.run_on_commit:
        cache = _RulesCache(transaction=connection.run_on_commit)
        setattr(connection, _RULES_CACHE, cache)
    return cache


def _read_rules(pairs: set[tuple[str, str]]) -> dict[tuple[str, str], PostingRule | None]:
    """The rules of these (kind, category code) pairs, in one query; ``None`` for a missing one."""
    found: dict[tuple[str, str], PostingRule | None] = dict.fromkeys(pairs)
    rules = PostingRule.objects.select_related("debit_account", "credit_account").filter(
        kind__in=sorted({kind for kind, _category in pairs}),
        category_code__in=sorted({category for _kind, category in pairs}),
    )
    for rule in rules:
        if (rule.kind, rule.category_code) in found:
            found[(rule.kind, rule.category_code)] = rule
    return found


def posting_rules_forget(*, using: str = DEFAULT_DB_ALIAS) -> None:
    """Drop the posting rules read in the current transaction; the next lookup reads them again.

    Called when a posting rule or an account is saved or deleted (a change made with
    ``QuerySet.update()`` or ``bulk_create`` sends no signal: call this after it).
    """
    if hasattr(connections[using], _RULES_CACHE):
        delattr(connections[using], _RULES_CACHE)


def _forget_on_change(sender, using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    posting_rules_forget(using=using)


for _model in (PostingRule, Account, ItemCategory):
    post_save.connect(
        _forget_on_change, sender=_model, dispatch_uid=f"ledger.rules_forget_save.{_model.__name__}"
    )
    post_delete.connect(
        _forget_on_change,
        sender=_model,
        dispatch_uid=f"ledger.rules_forget_delete.{_model.__name__}",
    )


def posting_accounts_for(
    *, kinds: Iterable[str], category_code: str | None = None
) -> dict[str, PostingAccounts]:
    """The debit and credit accounts of several event kinds for one item category, by kind.

    Per kind the category's own rule wins, then its nearest ancestor's (the category tree of
    ``ItemCategory``); without one, the default rule of the kind (no category). One query for
    the rules and, given a category, one for the category tree; inside a transaction what was
    read is not read again. Raises ``NotFound`` for an unknown kind or a kind with no rule
    (seed the rules with ``posting_rules_seed``).
    """
    kinds = list(dict.fromkeys(kinds))
    for kind in kinds:
        if kind not in PostingKind.values:
            raise NotFound(
                _("Unknown posting kind %(kind)s.") % {"kind": kind}, code="unknown_kind"
            )
    cache = _transaction_rules()
    chain = category_chain(category_code, cache=cache)
    pairs = {(kind, code) for kind in kinds for code in chain}
    if cache is None:
        known = _read_rules(pairs)
    else:
        missing = pairs - cache.rules.keys()
        if missing:
            cache.rules.update(_read_rules(missing))
        # A kind without any rule is read again before it is refused: a rule may have been
        # added since without a signal (bulk_create).
        unruled = {
            (kind, code)
            for kind in kinds
            for code in chain
            if all(cache.rules[(kind, link)] is None for link in chain)
        }
        if unruled - missing:
            cache.rules.update(_read_rules(unruled))
        known = cache.rules
    result = {}
    for kind in kinds:
        rule = next((known[(kind, code)] for code in chain if known[(kind, code)]), None)
        if rule is None:
            raise NotFound(
                _("No posting rule for %(kind)s.") % {"kind": kind}, code="posting_rule_missing"
            )
        result[kind] = PostingAccounts(
            debit=rule.debit_account, credit=rule.credit_account, rule=rule
        )
    return result


def category_parents() -> dict[str, str]:
    """Every item category's code → its parent's code ("" for a root), in one query."""
    return {
        code: parent or ""
        for code, parent in ItemCategory.objects.values_list("code", "parent__code")
    }


def category_chain(
    category_code: str | None,
    *,
    cache: "_RulesCache | None" = None,
    parents: dict[str, str] | None = None,
) -> list[str]:
    """The category codes whose rules apply, nearest first: the category, its ancestors, then
    "" (the default rule). Inside a transaction the category tree is read once."""
    if not category_code:
        return [""]
    if parents is None:
        cache = cache or _transaction_rules()
        if cache is None:
            parents = category_parents()
        else:
            # Read once per transaction; a category saved since empties the cache (receivers).
            if cache.parents is None:
                cache.parents = category_parents()
            parents = cache.parents
    chain = [category_code]
    code = parents.get(category_code, "")
    while code and code not in chain:
        chain.append(code)
        code = parents.get(code, "")
    chain.append("")
    return chain


def item_posting_category(item: Item) -> str | None:
    """The posting category of an item: its category's code (``None`` without one).

    The one resolver of an item's accounts: pass it to ``posting_accounts_for`` /
    ``posting_accounts``, which take the rule of the category, else of its nearest ancestor
    that has one, else the default rule of the kind. So a company that sets its categories'
    accounts once (``category_posting_rules_set``: raw materials and parts 1403, finished
    goods 1405, packaging 1411) has every receipt, issue, consumption, shipment, count and
    opening balance read the inventory account from the item's category.
    """
    return item.category.code if item.category_id else None


def item_posting_accounts(*, item: Item, kinds: Iterable[str]) -> dict[str, PostingAccounts]:
    """The accounts of several kinds for an item, by its category (``item_posting_category``)."""
    return posting_accounts_for(kinds=kinds, category_code=item_posting_category(item))


def posting_accounts(*, kind: str, category_code: str | None = None) -> PostingAccounts:
    """The debit and credit accounts of an event kind for an item category.

    The category's own rule wins; without one, the default rule of the kind (no category).
    Raises ``NotFound`` when neither exists (seed the rules with ``posting_rules_seed``).
    Inside a transaction a rule is read once (see ``posting_accounts_for``).
    """
    return posting_accounts_for(kinds=[kind], category_code=category_code)[kind]


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
        qs = qs.filter(
            Q(number__icontains=search) | Q(memo__icontains=search) | Q(memo_args__icontains=search)
        )
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
