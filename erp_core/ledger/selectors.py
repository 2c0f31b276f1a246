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
# the rules are read once: ``posting_accounts_for`` fetches every kind a posting needs in one
# query, and later lookups in the same transaction are answered from memory; an edit inside the
# transaction (a PostingRule, an Account or an ItemCategory saved or deleted) empties that cache
# through the receivers below.
#
# Across transactions the rules are kept under the posting rules' version token
# (``PostingRulesVersion``), which database triggers change with every write to the rules, the
# accounts or the categories, whoever writes. A posting reads the token in a query it makes
# anyway (the periods of its dates) and tells it to ``posting_rules_seen``: when the token is
# the one the process read its rules under, they are served from memory; otherwise they are
# read again and kept under the new token. A transaction that never reads the token (a lookup
# outside a posting) keeps its rules to itself, as before.

_RULES_CACHE = "_ledger_posting_rules"
_POSTING_KINDS = frozenset(PostingKind.values)


@dataclass(frozen=True)
class PostingAccounts:
    """The accounts an event posts to (a positive amount: debit ``debit``, credit ``credit``)."""

    debit: Account
    credit: Account
    rule: PostingRule


@dataclass
class _Known:
    """Rules read by (kind, category code), ``None`` where there is none, and the category
    tree (item category code → its parent's code, "" at a root) once read."""

    rules: dict[tuple[str, str], PostingRule | None] = field(default_factory=dict)
    parents: dict[str, str] | None = None


@dataclass
class _RulesCache:
    """The rules of one transaction: its own, or those kept under the token it read."""

    transaction: list
    known: _Known = field(default_factory=_Known)
    version: int | None = None


# The rules kept across transactions, by database alias: (token, what was read under it).
_SHARED: dict[str, tuple[int, _Known]] = {}


def _rules_alias() -> str:
    return router.db_for_read(PostingRule) or DEFAULT_DB_ALIAS


def _transaction_rules() -> _RulesCache | None:
    """The rules cache of the transaction in progress; ``None`` outside a transaction."""
    connection = connections[_rules_alias()]
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


def posting_rules_seen(*, version: int | None) -> None:
    """The posting rules' version token the transaction in progress has just read.

    From now on the transaction's lookups are answered from, and add to, the rules this process
    keeps under that token (read by any earlier transaction that read the same token). Each
    write to the rules, accounts or categories changes the token in its own transaction (the
    triggers), so a token read is never shared with rules it does not describe: an uncommitted
    edit's token is seen by no other transaction. ``None`` (no version row): nothing is shared.
    """
    cache = _transaction_rules()
    if cache is None or version is None or cache.version == version:
        return
    alias = _rules_alias()
    shared = _SHARED.get(alias)
    if shared is None or shared[0] != version:
        shared = _SHARED[alias] = (version, _Known())
    cache.version, cache.known = version, shared[1]


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
    """Drop the posting rules read in the current transaction, and those this process keeps;
    the next lookup reads them again.

    Called when a posting rule, an account or an item category is saved or deleted (a change
    made with ``QuerySet.update()`` or ``bulk_create`` sends no signal: call this after it in
    the same transaction; other transactions see the new version token anyway).
    """
    if hasattr(connections[using], _RULES_CACHE):
        delattr(connections[using], _RULES_CACHE)
    _SHARED.pop(using, None)


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
        if kind not in _POSTING_KINDS:
            raise NotFound(
                _("Unknown posting kind %(kind)s.") % {"kind": kind}, code="unknown_kind"
            )
    cache = _transaction_rules()
    chain = category_chain(category_code, cache=cache)
    pairs = {(kind, code) for kind in kinds for code in chain}
    if cache is None:
        known = _read_rules(pairs)
    else:
        known_rules = cache.known.rules
        missing = pairs - known_rules.keys()
        if missing:
            known_rules.update(_read_rules(missing))
        # A kind without any rule is read again before it is refused: a rule may have been
        # added since without a signal (bulk_create).
        unruled = {
            (kind, code)
            for kind in kinds
            for code in chain
            if all(known_rules[(kind, link)] is None for link in chain)
        }
        if unruled - missing:
            known_rules.update(_read_rules(unruled))
        known = known_rules
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
            if cache.known.parents is None:
                cache.known.parents = category_parents()
            parents = cache.known.parents
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
