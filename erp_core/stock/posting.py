"""Journal entries of stock moves: the general ledger follows the stock ledger, move by move.

One formula serves every move. For a move of value ``v`` (signed like its quantity):

- the inventory account moves by ``v``;
- the counter account of the move's kind takes the document amount ``d`` the other way — what a
  receipt cost (``receipt_value``) on the kind's credit side, what an issue took (``−v``) on the
  kind's debit side;
- the variance account takes the difference ``d − v`` of a receipt (a standard-cost item's price
  difference, or the correction a receipt makes to a negative balance).

Accounts come from the posting rules (``erp_core.ledger``) by kind and item category, all the
kinds of a move in one read, and none again later in the same transaction. A transfer
between warehouses posts nothing: it stays on the same inventory account. (When a backdated
move re-values a transfer's outgoing leg, the difference goes to the stock-issue account: the
incoming leg keeps the value it was booked with.)
"""

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.utils import timezone

from erp_core.ledger.models import PostingKind
from erp_core.ledger.selectors import posting_accounts_for
from erp_core.ledger.services import LineInput, journal_entry_post_lines
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


def _category_code(move: StockMove) -> str | None:
    category = move.item.category
    return category.code if category is not None else None


def _amounts(move: StockMove, *, reason: str, value: Decimal, document: Decimal) -> dict:
    """Signed amounts per account (debit positive) for a move of ``value`` against ``document``."""
    incoming = move.quantity > 0
    counter_kind = _RECEIPT_KIND[reason] if incoming else _ISSUE_KIND[reason]
    kinds = [PostingKind.INVENTORY, counter_kind]
    if incoming and document != value:
        kinds.append(PostingKind.PURCHASE_PRICE_VARIANCE)
    # The rules of every kind the move needs come in one read (none when read already in the
    # transaction).
    accounts = posting_accounts_for(kinds=kinds, category_code=_category_code(move))
    amounts: dict = defaultdict(lambda: ZERO)
    amounts[accounts[PostingKind.INVENTORY].debit] += value
    if incoming:
        amounts[accounts[counter_kind].credit] -= document
        if document != value:
            amounts[accounts[PostingKind.PURCHASE_PRICE_VARIANCE].debit] += document - value
    else:
        amounts[accounts[counter_kind].debit] -= value
    return amounts


def _lines(amounts: dict, memo: str) -> list[LineInput]:
    lines = []
    for account, amount in sorted(amounts.items(), key=lambda pair: pair[0].code):
        if amount > 0:
            lines.append(LineInput(account=account, debit=amount, memo=memo))
        elif amount < 0:
            lines.append(LineInput(account=account, credit=-amount, memo=memo))
    return lines


def _post(*, lines: list[LineInput], date, memo: str, source_id: int, actor) -> object | None:
    if not lines:
        return None
    return journal_entry_post_lines(
        journal_code=JOURNAL,
        date=date,
        memo=memo,
        lines=lines,
        source_type="stock.move",
        source_id=source_id,
        # The stock row keeps the event; one event may book several moves, each its own entry.
        source_event_id=None,
        actor=actor,
    )


def post_move(move: StockMove, *, actor=None) -> None:
    """Post the journal entry of a freshly booked move and link it to the move."""
    if move.reason == Reason.TRANSFER:
        return
    document = move.receipt_value if move.quantity > 0 else move.value
    memo = f"{move.get_reason_display()} {move.item.code} {move.quantity}"
    entry = _post(
        lines=_lines(_amounts(move, reason=move.reason, value=move.value, document=document), memo),
        date=timezone.localdate(move.moved_at),
        memo=memo,
        source_id=move.pk,
        actor=actor,
    )
    if entry is not None:
        StockMove.objects.filter(pk=move.pk).update(journal_entry=entry)
        move.journal_entry = entry


def post_revaluations(
    fixes: Iterable[StockMove], *, originals: dict, backdated: StockMove, actor=None
) -> None:
    """Post one correcting entry for every later move a backdated move re-valued.

    Dated today: the correction is made now, in the open period, whatever the moves' dates.
    """
    # Sum the differences per reason and direction first: the amounts are linear in them, so
    # the accounts are looked up once per group, not once per corrected move.
    groups: dict[tuple[str, bool], Decimal] = defaultdict(lambda: ZERO)
    for fix in fixes:
        original = originals[fix.corrects_id]
        groups[(original["reason"], original["quantity"] > 0)] += fix.value
    amounts: dict = defaultdict(lambda: ZERO)
    for (reason, incoming), value in groups.items():
        probe = StockMove(item=backdated.item, quantity=1 if incoming else -1)
        # A corrected receipt's cost stands (no document change); an issue's counter follows.
        document = ZERO if incoming else value
        for account, amount in _amounts(
            probe, reason=reason, value=value, document=document
        ).items():
            amounts[account] += amount
    memo = f"Revaluation after backdated move {backdated.pk} ({backdated.item.code})"
    _post(
        lines=_lines(amounts, memo),
        date=timezone.localdate(),
        memo=memo,
        source_id=backdated.pk,
        actor=actor,
    )
