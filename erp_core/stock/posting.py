"""Journal entries of stock moves: the general ledger follows the stock ledger, a batch at a time.

One formula serves every move. For a move of value ``v`` (signed like its quantity):

- the inventory account moves by ``v``;
- the counter account of the move's kind takes the document amount ``d`` the other way — what a
  receipt cost (``receipt_value``) on the kind's credit side, what an issue took (``−v``) on the
  kind's debit side;
- the variance account takes the difference ``d − v`` of a receipt (a standard-cost item's price
  difference, or the correction a receipt makes to a negative balance).

The amounts of the moves of one source document and day are summed per account: the document
gets one entry with one line per account, and the detail stays in the stock ledger (each row
points at its entry). Accounts come from the posting rules (``erp_core.ledger``) by kind and
item category, read once per transaction. A transfer between warehouses posts nothing: it stays
on the same inventory account. (When a backdated move re-values a transfer's outgoing leg, the
difference goes to the stock-issue account: the incoming leg keeps the value it was booked with.)
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal

from erp_core.ledger.memos import Memo
from erp_core.ledger.models import Account, JournalEntry, PostingKind
from erp_core.ledger.selectors import PostingAccounts, posting_accounts_for
from erp_core.ledger.services import (
    EntryInput,
    LineInput,
    PostingPeriods,
    journal_entries_post_lines,
    posting_periods_lock,
)
from erp_core.stock.models import StockMove
from erp_core.valuation import CostingMethod

JOURNAL = "STK"
ZERO = Decimal("0")
Reason = StockMove.Reason

# Which rule's counter account a move of each reason posts against, by direction.
_RECEIPT_KIND = {
    Reason.RECEIPT: PostingKind.STOCK_RECEIPT,
    Reason.PRODUCTION_OUTPUT: PostingKind.PRODUCTION_OUTPUT,
    Reason.ADJUSTMENT: PostingKind.ADJUSTMENT_GAIN,
    Reason.OPENING: PostingKind.OPENING_BALANCE,
    # A supplier's price difference or credit on goods received at an actual cost: against the
    # GR/IR account the bill cleared it through (1401), the share on hand to the inventory, the
    # rest to the difference account (6401).
    Reason.VALUE_ADJUSTMENT: PostingKind.STOCK_RECEIPT,
}
_ISSUE_KIND = {
    Reason.ISSUE: PostingKind.STOCK_ISSUE,
    Reason.SHIPMENT: PostingKind.COGS,
    Reason.PRODUCTION_CONSUMPTION: PostingKind.PRODUCTION_CONSUMPTION,
    Reason.ADJUSTMENT: PostingKind.ADJUSTMENT_LOSS,
}

# Moves that post no counter account: a transfer stays on the same inventory account (only the
# incoming leg's difference from what left posts); a standard-cost change revalues against the
# difference account.
_NO_COUNTER = (Reason.TRANSFER, Reason.COST_CHANGE)

Amounts = dict[Account, Decimal]


def difference_kind(method: str) -> str:
    """Where a receipt's cost beyond the value it added to stock goes, by costing method.

    A standard-cost item: the price-difference account (1404 材料成本差异), which also takes a
    standard-cost change and the cents of valuing a transfer in at standard. An item at an
    actual cost (moving average, FIFO): such a difference only ever settles stock that was
    issued before it was received (negative stock), so it goes to the cost of what was issued:
    the cost of goods sold (6401).
    """
    if method == CostingMethod.STANDARD:
        return PostingKind.PURCHASE_PRICE_VARIANCE
    return PostingKind.COGS


class Accounts:
    """The posting accounts of a batch, by item category and move kind (rules read once)."""

    def __init__(self) -> None:
        self._known: dict[tuple, dict[str, PostingAccounts]] = {}

    def of(
        self,
        category_code: str | None,
        reason: str,
        incoming: bool,
        variance: bool,
        method: str = CostingMethod.STANDARD,
    ) -> dict:
        """The inventory, counter (and, when asked, difference) accounts of a kind of move."""
        key = (category_code, reason, incoming, variance, method)
        if key not in self._known:
            kinds = [PostingKind.INVENTORY]
            counter = None
            if reason not in _NO_COUNTER:
                counter = _RECEIPT_KIND[reason] if incoming else _ISSUE_KIND[reason]
                kinds.append(counter)
            if variance:
                kinds.append(difference_kind(method))
            accounts = posting_accounts_for(kinds=kinds, category_code=category_code)
            known: dict = {**accounts}
            if counter is not None:
                known["counter"] = accounts[counter]
            if variance:
                known["difference"] = accounts[difference_kind(method)]
            self._known[key] = known
        return self._known[key]


def add_move(
    amounts: Amounts,
    accounts: Accounts,
    *,
    category_code: str | None,
    reason: str,
    incoming: bool,
    value: Decimal,
    document: Decimal,
    method: str = CostingMethod.STANDARD,
) -> None:
    """Add to ``amounts`` (debit positive) a move of ``value`` against ``document``.

    A transfer in and a standard-cost change have no counter account: only the difference
    between what they moved and the document (the value that left the other warehouse, zero
    for a cost change) posts, against the difference account.
    """
    variance = incoming and document != value
    if reason in _NO_COUNTER:
        if document != value:
            add_difference(
                amounts, accounts, category_code=category_code, value=value - document,
                method=method,
            )  # fmt: skip
        return
    rules = accounts.of(category_code, reason, incoming, variance, method)
    amounts[rules[PostingKind.INVENTORY].debit] += value
    if incoming:
        amounts[rules["counter"].credit] -= document
        if variance:
            amounts[rules["difference"].debit] += document - value
    else:
        amounts[rules["counter"].debit] -= value


def add_difference(
    amounts: Amounts,
    accounts: Accounts,
    *,
    category_code: str | None,
    value: Decimal,
    method: str,
) -> None:
    """Stock revalued by ``value`` against the difference account (see ``difference_kind``)."""
    rules = accounts.of(category_code, Reason.COST_CHANGE, False, True, method)
    amounts[rules[PostingKind.INVENTORY].debit] += value
    amounts[rules["difference"].debit] -= value


def add_revaluation(
    amounts: Amounts,
    accounts: Accounts,
    *,
    category_code: str | None,
    reason: str,
    incoming: bool,
    delta: Decimal,
    method: str = CostingMethod.STANDARD,
) -> None:
    """Add the correction ``delta`` of a re-valued move of ``reason`` to ``amounts``.

    A corrected receipt's cost stands (the difference goes to the difference account), and so
    does a transfer in's, a standard-cost change's or a value adjustment's; an issue's counter
    account follows its value.
    """
    stands = incoming or reason in _NO_COUNTER or reason == Reason.VALUE_ADJUSTMENT
    add_move(
        amounts,
        accounts,
        category_code=category_code,
        reason=reason,
        incoming=stands,
        value=delta,
        document=ZERO if stands else delta,
        method=method,
    )


def new_amounts() -> Amounts:
    """An empty sum of amounts per account."""
    return defaultdict(lambda: ZERO)


def entry_lines(amounts: Amounts, memo: str | Memo) -> list[LineInput]:
    """One line per account with a balance, in account code order; none when all are zero."""
    lines = []
    for account, amount in sorted(amounts.items(), key=lambda pair: pair[0].code):
        if amount > 0:
            lines.append(LineInput(account=account, debit=amount, memo=memo))
        elif amount < 0:
            lines.append(LineInput(account=account, credit=-amount, memo=memo))
    return lines


def lock_periods(dates: Iterable[date]) -> PostingPeriods:
    """The stock journal and the open periods of a batch's entry dates, locked against a close;
    read before the batch's accounts are looked up, since the posting rules' version comes
    with them (the rules are then served from memory while no rule changed)."""
    return posting_periods_lock(journal_code=JOURNAL, dates=dates)


def post(
    entries: Sequence[EntryInput], *, actor=None, periods: PostingPeriods | None = None
) -> list[JournalEntry]:
    """Post the entries of a batch on the stock journal, in the batch's transaction."""
    if not entries:
        return []
    return journal_entries_post_lines(
        journal_code=JOURNAL, entries=entries, actor=actor, periods=periods
    )
