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
from collections.abc import Sequence
from decimal import Decimal

from erp_core.ledger.memos import Memo
from erp_core.ledger.models import Account, JournalEntry, PostingKind
from erp_core.ledger.selectors import PostingAccounts, posting_accounts_for
from erp_core.ledger.services import EntryInput, LineInput, journal_entries_post_lines
from erp_core.stock.models import StockMove

JOURNAL = "STK"
ZERO = Decimal("0")
Reason = StockMove.Reason

# Which rule's counter account a move of each reason posts against, by direction.
_RECEIPT_KIND = {
    Reason.RECEIPT: PostingKind.STOCK_RECEIPT,
    Reason.PRODUCTION_OUTPUT: PostingKind.PRODUCTION_OUTPUT,
    Reason.ADJUSTMENT: PostingKind.ADJUSTMENT_GAIN,
}
_ISSUE_KIND = {
    Reason.ISSUE: PostingKind.STOCK_ISSUE,
    Reason.SHIPMENT: PostingKind.COGS,
    Reason.PRODUCTION_CONSUMPTION: PostingKind.PRODUCTION_CONSUMPTION,
    Reason.ADJUSTMENT: PostingKind.ADJUSTMENT_LOSS,
    # Only a transfer's re-valuation posts: its other leg keeps the value it was booked with.
    Reason.TRANSFER: PostingKind.STOCK_ISSUE,
}

Amounts = dict[Account, Decimal]


class Accounts:
    """The posting accounts of a batch, by item category and move kind (rules read once)."""

    def __init__(self) -> None:
        self._known: dict[tuple, dict[str, PostingAccounts]] = {}

    def of(self, category_code: str | None, reason: str, incoming: bool, variance: bool) -> dict:
        """The inventory, counter (and, when asked, variance) accounts of a kind of move."""
        key = (category_code, reason, incoming, variance)
        if key not in self._known:
            counter = _RECEIPT_KIND[reason] if incoming else _ISSUE_KIND[reason]
            kinds = [PostingKind.INVENTORY, counter]
            if variance:
                kinds.append(PostingKind.PURCHASE_PRICE_VARIANCE)
            accounts = posting_accounts_for(kinds=kinds, category_code=category_code)
            self._known[key] = {"counter": accounts[counter], **accounts}
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
) -> None:
    """Add to ``amounts`` (debit positive) a move of ``value`` against ``document``."""
    variance = incoming and document != value
    rules = accounts.of(category_code, reason, incoming, variance)
    amounts[rules[PostingKind.INVENTORY].debit] += value
    if incoming:
        amounts[rules["counter"].credit] -= document
        if variance:
            amounts[rules[PostingKind.PURCHASE_PRICE_VARIANCE].debit] += document - value
    else:
        amounts[rules["counter"].debit] -= value


def add_revaluation(
    amounts: Amounts,
    accounts: Accounts,
    *,
    category_code: str | None,
    reason: str,
    incoming: bool,
    delta: Decimal,
) -> None:
    """Add the correction ``delta`` of a re-valued move of ``reason`` to ``amounts``.

    A corrected receipt's cost stands (the difference goes to the variance account); an issue's
    counter account follows its value.
    """
    add_move(
        amounts,
        accounts,
        category_code=category_code,
        reason=reason,
        incoming=incoming,
        value=delta,
        document=ZERO if incoming else delta,
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


def post(entries: Sequence[EntryInput], *, actor=None) -> list[JournalEntry]:
    """Post the entries of a batch on the stock journal, in the batch's transaction."""
    if not entries:
        return []
    return journal_entries_post_lines(journal_code=JOURNAL, entries=entries, actor=actor)
