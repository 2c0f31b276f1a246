"""Stock checks for ``manage.py reconcile``: registered with the ledger's checks at start-up.

Invariant 2 (the inventory accounts equal the stock valuation), and the stock balances equal the
sum of their ledger rows.
"""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext as _

from erp_core.ledger.models import (
    FiscalPeriod,
    JournalEntry,
    JournalLine,
    PostingKind,
    PostingRule,
)
from erp_core.ledger.money import money
from erp_core.ledger.reconcile import Breach
from erp_core.ledger.selectors import category_chain, category_parents
from erp_core.stock.clearing import pending_balances
from erp_core.stock.models import StockBalance, StockMove
from erp_core.stock.selectors import stock_valuation_by_category


def check_inventory_accounts_match_valuation() -> list[Breach]:
    """Invariant 2: each inventory account's balance equals the value of the stock it holds."""
    rules = {
        rule.category_code: rule.debit_account.code
        for rule in PostingRule.objects.filter(kind=PostingKind.INVENTORY).select_related(
            "debit_account"
        )
    }
    parents = category_parents()
    expected: dict[str, Decimal] = defaultdict(Decimal)
    for category, value in stock_valuation_by_category().items():
        # The category's rule, else its nearest ancestor's, else the default (as postings do).
        account = None
        for code in category_chain(category, parents=parents):
            account = rules.get(code)
            if account is not None:
                break
        if account is None:
            return [
                Breach(
                    check="inventory_valuation",
                    message=_("No inventory posting rule: stock cannot be matched to the ledger."),
                )
            ]
        expected[account] += Decimal(str(value))
    for account in set(rules.values()):
        expected.setdefault(account, Decimal(0))
    booked = {
        row["account__code"]: Decimal(str(row["debit"] or 0)) - Decimal(str(row["credit"] or 0))
        for row in JournalLine.objects.filter(
            entry__status=JournalEntry.Status.POSTED, account__code__in=list(expected)
        )
        .values("account__code")
        .annotate(debit=Sum("debit"), credit=Sum("credit"))
    }
    breaches = []
    for account, value in sorted(expected.items()):
        ledger = money(booked.get(account, Decimal(0)))
        if ledger != money(value):
            breaches.append(
                Breach(
                    check="inventory_valuation",
                    message=_(
                        "Inventory account %(account)s is %(ledger)s, stock is worth %(stock)s."
                    )
                    % {"account": account, "ledger": ledger, "stock": money(value)},
                    accounts=(account,),
                )
            )
    return breaches


def check_balances_match_moves() -> list[Breach]:
    """Every item × warehouse balance equals the sum of its stock ledger rows."""
    sums = {
        (row["item_id"], row["warehouse_id"]): row
        for row in StockMove.objects.values("item_id", "warehouse_id").annotate(
            quantity=Sum("quantity"), value=Sum("value")
        )
    }
    breaches = []
    for balance in StockBalance.objects.select_related("item", "warehouse"):
        row = sums.get((balance.item_id, balance.warehouse_id), {"quantity": 0, "value": 0})
        quantity = Decimal(str(row["quantity"] or 0)).quantize(Decimal("0.000001"))
        value = money(Decimal(str(row["value"] or 0)))
        if (balance.quantity, balance.value) != (quantity, value):
            breaches.append(
                Breach(
                    check="stock_balance",
                    message=_(
                        "%(item)s in %(warehouse)s: balance %(bq)s / %(bv)s, "
                        "ledger rows %(lq)s / %(lv)s."
                    )
                    % {
                        "item": balance.item.code,
                        "warehouse": balance.warehouse.code,
                        "bq": balance.quantity,
                        "bv": balance.value,
                        "lq": quantity,
                        "lv": value,
                    },
                    documents=(f"StockBalance #{balance.pk}",),
                )
            )
    return breaches


def check_count_differences_cleared() -> list[Breach]:
    """1901 待处理财产损溢 is zero at the end of every closed period: the month-end steps
    clear it (``count_differences_clear``) before the period closes."""
    closed = FiscalPeriod.objects.filter(status=FiscalPeriod.Status.CLOSED).order_by("-end")
    latest = closed.select_related("fiscal_year").first()
    if latest is None:
        return []
    breaches = []
    for account, balance in pending_balances(as_of=latest.end).items():
        if balance:
            moves = StockMove.objects.filter(
                reason=StockMove.Reason.ADJUSTMENT, moved_at__date__lte=latest.end
            ).order_by("-moved_at")[:20]
            breaches.append(
                Breach(
                    check="count_differences",
                    message=_(
                        "%(account)s stands at %(balance)s at the end of the closed period "
                        "%(period)s: its count differences were not cleared."
                    )
                    % {"account": account.code, "balance": balance, "period": latest},
                    accounts=(account.code,),
                    documents=tuple(
                        f"StockMove #{move.pk} {move.item_id} {move.value}" for move in moves
                    ),
                )
            )
    return breaches


STOCK_CHECKS = [check_inventory_accounts_match_valuation, check_balances_match_moves]
# Not in STOCK_CHECKS, which the stock tests' ``assert_books_reconcile`` runs after every step.
COUNT_CHECKS = [check_count_differences_cleared]
