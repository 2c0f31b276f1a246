"""Goods received not billed (暂估入账) at month end: the accrual and its reversal.

A receipt credits the GR/IR account (1401 材料采购) at the order's price; the supplier's bill
debits it back. Goods received and not billed by the end of a month would stay hidden in 1401:
the month-end accrual moves them to the liability the company sets (the ``grir_accrual`` rule,
default Dr 1401 / Cr 2202 应付账款—暂估), dated the last day of the period, and reverses it on
the first day of the next one (红字冲回), when the bills arrive as usual.
"""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from common.errors import Conflict
from erp_core.billing.selectors import receipts_not_billed
from erp_core.ledger.memos import Memo
from erp_core.ledger.models import FiscalPeriod, JournalEntry, JournalLine, PostingKind
from erp_core.ledger.money import ZERO, money
from erp_core.ledger.selectors import posting_accounts
from erp_core.ledger.services import LineInput, journal_entry_post_lines, journal_entry_reverse
from erp_core.models import User

SOURCE_TYPE = "billing.grir_accrual"
JOURNAL = "PUR"


def _next_period(period: FiscalPeriod) -> FiscalPeriod:
    following = FiscalPeriod.objects.filter(start=period.end + dt.timedelta(days=1)).first()
    if following is None:
        raise Conflict(
            _("The period after %(period)s does not exist: create the next fiscal year first.")
            % {"period": period},
            code="no_next_period",
        )
    return following


def _accrued(period: FiscalPeriod, account) -> Decimal:
    """What the accruals of ``period`` posted so far put on the liability (credit-positive)."""
    totals = JournalLine.objects.filter(
        entry__source_type=SOURCE_TYPE,
        entry__source_id=period.pk,
        entry__status=JournalEntry.Status.POSTED,
        entry__reversal_of__isnull=True,
        entry__date=period.end,
        account=account,
    ).aggregate(debit=Sum("debit"), credit=Sum("credit"))
    return money(Decimal(str(totals["credit"] or 0))) - money(Decimal(str(totals["debit"] or 0)))


@transaction.atomic
def grir_accrual_post(*, period: FiscalPeriod, user: User | None) -> JournalEntry | None:
    """Accrue the goods received and not billed at the end of ``period``, and reverse it on
    the first day of the next period; ``None`` when there is nothing (more) to accrue.

    One entry dated the period's last day: Dr the GR/IR account, Cr the accrual liability
    (the ``grir_accrual`` rule), one GR/IR line per receipt line not billed by then
    (``receipts_not_billed``); and its reversal dated the next period's first day. Run again
    (a bill or a receipt dated in the period came later), it posts only the difference to what
    the period's accruals hold, with its own reversal — so the month-end close may run it
    every time. Refused (409) when the next period does not exist; the period must be open.
    """
    period = FiscalPeriod.objects.select_related("fiscal_year").get(pk=period.pk)
    following = _next_period(period)
    accounts = posting_accounts(kind=PostingKind.GRIR_ACCRUAL)
    unbilled = receipts_not_billed(as_of=period.end)
    total = sum((row.unbilled_value for row in unbilled), ZERO)
    before = _accrued(period, accounts.credit)
    delta = total - before
    if delta == 0:
        return None
    memo = Memo("grir_accrual", {"period": str(period)})
    lines = []
    if before == 0:
        for row in unbilled:
            where = f"{row.receipt_number}/{row.line_no}" if row.receipt_id else row.receipt_number
            line_memo = f"{where} {row.item_code}"[:255]
            amount = row.unbilled_value
            lines.append(
                LineInput(account=accounts.debit, debit=amount, memo=line_memo)
                if amount > 0
                else LineInput(account=accounts.debit, credit=-amount, memo=line_memo)
            )
    else:
        lines.append(
            LineInput(account=accounts.debit, debit=delta)
            if delta > 0
            else LineInput(account=accounts.debit, credit=-delta)
        )
    lines.append(
        LineInput(account=accounts.credit, credit=delta)
        if delta > 0
        else LineInput(account=accounts.credit, debit=-delta)
    )
    entry = journal_entry_post_lines(
        journal_code=JOURNAL,
        date=period.end,
        memo=memo,
        lines=lines,
        source_type=SOURCE_TYPE,
        source_id=period.pk,
        source_event_id=None,
        actor=user,
    )
    journal_entry_reverse(entry=entry, date=following.start, actor=user)
    return entry
