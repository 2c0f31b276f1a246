"""Month-end clearing of count differences: 1901 待处理财产损溢 to the accounts they end in.

A count gain or loss is first booked pending approval on 1901 (the ``adjustment_gain`` /
``adjustment_loss`` rules). Once approved — at the latest at month end — it is cleared:

- losses within norms (合理损耗) and gains to 6602 管理费用 (``count_loss_normal`` /
  ``count_gain_clear`` rules); their input VAT stays deductible;
- abnormal losses (非正常损失: theft, mismanagement, spoilage — flagged ``abnormal_loss`` on the
  adjustment) to 6711 营业外支出 (``count_loss_abnormal``), with the input VAT of the goods
  transferred out (进项税额转出, 增值税暂行条例 art. 10): Dr 6711, Cr 22210103 at the item's
  VAT rate on the lost cost (``input_vat_transfer_out``).
"""

from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum

from erp_core.ledger.memos import Memo
from erp_core.ledger.models import FiscalPeriod, JournalEntry, JournalLine, PostingKind, PostingRule
from erp_core.ledger.money import ZERO, money
from erp_core.ledger.selectors import posting_accounts_for
from erp_core.ledger.services import LineInput, journal_entry_post_lines
from erp_core.models import User
from erp_core.stock.models import StockMove

SOURCE_TYPE = "stock.count_clear"
JOURNAL = "STK"


def pending_accounts() -> list:
    """The accounts count differences wait on (1901): every adjustment rule's pending side."""
    accounts = {}
    for rule in PostingRule.objects.filter(
        kind__in=(PostingKind.ADJUSTMENT_GAIN, PostingKind.ADJUSTMENT_LOSS)
    ).select_related("debit_account", "credit_account"):
        account = (
            rule.credit_account if rule.kind == PostingKind.ADJUSTMENT_GAIN else rule.debit_account
        )
        accounts[account.pk] = account
    return sorted(accounts.values(), key=lambda account: account.code)


def pending_balances(*, as_of) -> dict:
    """Each pending account's balance (debit-positive) on ``as_of``, posted entries only."""
    accounts = pending_accounts()
    rows = (
        JournalLine.objects.filter(
            entry__status=JournalEntry.Status.POSTED,
            entry__date__lte=as_of,
            account__in=accounts,
        )
        .values("account_id")
        .annotate(debit=Sum("debit"), credit=Sum("credit"))
        .order_by()
    )
    sums = {
        row["account_id"]: money(Decimal(str(row["debit"] or 0)))
        - money(Decimal(str(row["credit"] or 0)))
        for row in rows
    }
    return {account: sums.get(account.pk, ZERO) for account in accounts}


def abnormal_losses(*, period: FiscalPeriod) -> tuple[Decimal, Decimal]:
    """The cost of the abnormal losses counted in ``period`` and the input VAT on it."""
    moves = StockMove.objects.filter(
        abnormal_loss=True,
        moved_at__date__gte=period.start,
        moved_at__date__lte=period.end,
    ).select_related("item__vat")
    cost, vat = ZERO, ZERO
    per_rate: dict[Decimal, Decimal] = defaultdict(Decimal)
    for move in moves:
        lost = -move.value
        cost += lost
        per_rate[move.item.vat.rate if move.item.vat_id else ZERO] += lost
    for rate, amount in per_rate.items():
        vat += money(amount * rate)
    return money(cost), vat


def _line(account, amount: Decimal) -> LineInput:
    """A debit of ``amount``, or a credit when it is below zero."""
    if amount >= 0:
        return LineInput(account=account, debit=amount)
    return LineInput(account=account, credit=-amount)


@transaction.atomic
def count_differences_clear(*, period: FiscalPeriod, user: User | None) -> JournalEntry | None:
    """Clear 1901 待处理财产损溢 at the end of ``period``: one entry dated its last day.

    Cr 1901 by its balance then; Dr 6711 the abnormal losses counted in the period and the
    input VAT transferred out on them (Cr 22210103); the rest — losses within norms less gains —
    Dr (or Cr) 6602. ``None`` when there is nothing to clear. Run again, it clears what came
    since (the close may run it every time); the period must be open.
    """
    period = FiscalPeriod.objects.select_related("fiscal_year").get(pk=period.pk)
    # What earlier clearings of the period took as abnormal (kept on their memo): run again
    # (a count dated in the period came later), it clears only what is new.
    cleared_abnormal, cleared_vat = ZERO, ZERO
    for args in JournalEntry.objects.filter(
        source_type=SOURCE_TYPE,
        source_id=period.pk,
        status=JournalEntry.Status.POSTED,
        reversal_of__isnull=True,
        reversal__isnull=True,
    ).values_list("memo_args", flat=True):
        cleared_abnormal += Decimal(str((args or {}).get("abnormal", "0")))
        cleared_vat += Decimal(str((args or {}).get("vat", "0")))
    balances = pending_balances(as_of=period.end)
    pending = sum(balances.values(), ZERO)
    abnormal, vat = abnormal_losses(period=period)
    abnormal, vat = abnormal - cleared_abnormal, vat - cleared_vat
    if pending == 0 and abnormal == 0 and vat == 0:
        return None
    rules = posting_accounts_for(
        kinds=[
            PostingKind.COUNT_GAIN_CLEAR,
            PostingKind.COUNT_LOSS_NORMAL,
            PostingKind.COUNT_LOSS_ABNORMAL,
            PostingKind.INPUT_VAT_TRANSFER_OUT,
        ]
    )
    lines = []
    for account, balance in balances.items():
        if balance > 0:
            lines.append(LineInput(account=account, credit=balance))
        elif balance < 0:
            lines.append(LineInput(account=account, debit=-balance))
    if abnormal:
        lines.append(_line(rules[PostingKind.COUNT_LOSS_ABNORMAL].debit, abnormal))
    if vat:
        transfer = rules[PostingKind.INPUT_VAT_TRANSFER_OUT]
        lines.append(_line(transfer.debit, vat))
        lines.append(_line(transfer.credit, -vat))
    normal = pending - abnormal
    if normal > 0:
        lines.append(LineInput(account=rules[PostingKind.COUNT_LOSS_NORMAL].debit, debit=normal))
    elif normal < 0:
        lines.append(LineInput(account=rules[PostingKind.COUNT_GAIN_CLEAR].credit, credit=-normal))
    return journal_entry_post_lines(
        journal_code=JOURNAL,
        date=period.end,
        memo=Memo(
            "count_differences_clear",
            {"period": str(period), "abnormal": str(abnormal), "vat": str(vat)},
        ),
        lines=lines,
        source_type=SOURCE_TYPE,
        source_id=period.pk,
        source_event_id=None,
        actor=user,
    )
