"""Production's checks for ``manage.py reconcile``: work in progress (5001) equals the open
orders' WIP, and manufacturing overhead (5101) is zero after each month's close."""

from decimal import Decimal

from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from erp_core.ledger.models import JournalEntry, JournalLine, PeriodClosing
from erp_core.ledger.money import money
from erp_core.ledger.reconcile import Breach
from erp_core.production.models import ProductionOrder
from erp_core.production.services.closing import OVERHEAD_ACCOUNT, late_costs, wip_by_order

WIP_ACCOUNT = "5001"


def _balance(lines) -> Decimal:
    totals = lines.aggregate(debit=Sum("debit"), credit=Sum("credit"))
    return money(Decimal(str(totals["debit"] or 0)) - Decimal(str(totals["credit"] or 0)))


def check_wip_matches_open_orders() -> list[Breach]:
    """The balance of 5001 生产成本 (all its sub-accounts) equals the WIP of the orders not yet
    closed: what they consumed and booked, less what their output took.

    A breach lists the open orders with WIP, the closed orders with late costs not yet settled
    by a month-end close, and the WIP entries that belong to no order.
    """
    posted = JournalLine.objects.filter(
        entry__status=JournalEntry.Status.POSTED, account__code__startswith=WIP_ACCOUNT
    )
    ledger = _balance(posted)
    wip = wip_by_order()
    orders = money(sum(wip.values(), Decimal(0)))
    if ledger == orders:
        return []
    numbers = dict(
        ProductionOrder.objects.filter(pk__in=[pk for pk, amount in wip.items() if amount])
        .order_by("pk")
        .values_list("pk", "number")
    )
    documents = [f"ProductionOrder {numbers[pk]} WIP {wip[pk]}" for pk in sorted(numbers)]
    documents += [
        f"ProductionOrder {order.number} late cost (StockMove {move.pk})"
        for order, move in late_costs()
    ]
    orphans = (
        posted.filter(~Q(entry__source_type__startswith="production."))
        .values_list("entry__number", flat=True)
        .distinct()
    )
    documents += [f"JournalEntry {number}" for number in orphans]
    return [
        Breach(
            check="wip_matches_orders",
            message=_(
                "Work in progress is %(ledger)s in the ledger but %(orders)s on the open "
                "production orders."
            )
            % {"ledger": ledger, "orders": orders},
            accounts=(WIP_ACCOUNT,),
            documents=tuple(documents),
        )
    ]


def check_overhead_cleared() -> list[Breach]:
    """After a month's close, 5101 制造费用 is zero at the month's end (the close cleared it)."""
    breaches = []
    closings = PeriodClosing.objects.filter(
        kind=PeriodClosing.Kind.MONTH_END, status=PeriodClosing.Status.POSTED
    ).select_related("period__fiscal_year")
    for closing in closings:
        period = closing.period
        lines = JournalLine.objects.filter(
            entry__status=JournalEntry.Status.POSTED,
            entry__date__lte=period.end,
            account__code=OVERHEAD_ACCOUNT,
        )
        balance = _balance(lines)
        if not balance:
            continue
        documents = (
            lines.filter(entry__date__gte=period.start)
            .values_list("entry__number", flat=True)
            .distinct()
        )
        breaches.append(
            Breach(
                check="overhead_cleared",
                message=_(
                    "Period %(period)s is closed but manufacturing overhead (5101) is %(balance)s "
                    "at its end."
                )
                % {"period": period, "balance": balance},
                accounts=(OVERHEAD_ACCOUNT,),
                documents=tuple(f"JournalEntry {number}" for number in documents),
            )
        )
    return breaches


PRODUCTION_CHECKS = (check_wip_matches_open_orders, check_overhead_cleared)
