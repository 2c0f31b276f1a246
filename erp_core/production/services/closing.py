"""Production's month-end steps: manufacturing overhead cleared (incurred against absorbed by
machine time) and the late costs of closed orders settled; and the WIP of an order.

Both are registered with the ledger's month-end close (``erp_core.ledger.closing``) by
``ProductionConfig.ready`` and post dated the period's last day on journal PRD.
"""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Q, Sum

from common.numbers import cents
from erp_core.ledger.memos import Memo
from erp_core.ledger.models import (
    Account,
    CompanySettings,
    FiscalPeriod,
    JournalEntry,
    JournalLine,
    PostingKind,
)
from erp_core.ledger.money import money
from erp_core.ledger.selectors import company_settings, posting_accounts
from erp_core.ledger.services import LineInput, journal_entry_post_lines
from erp_core.models import Item, User
from erp_core.production.models import (
    ProductionCostAdjustment,
    ProductionOrder,
    ProductionTimeBooking,
)
from erp_core.production.selectors import SOURCE_TYPE
from erp_core.production.services._common import JOURNAL, ZERO, Status, _category_code
from erp_core.stock.models import StockMove

#: The account manufacturing overhead is gathered on (incurred: Dr; absorbed: Cr).
OVERHEAD_ACCOUNT = "5101"
OVERHEAD_SOURCE = "production.overhead"
LATE_COST_SOURCE = "production.late_costs"


def active_adjustments():
    """Cost adjustments whose entry stands (not reversed by a reopened month)."""
    return ProductionCostAdjustment.objects.filter(journal_entry__reversal__isnull=True)


def order_adjustments(order: ProductionOrder, *, kind: str | None = None) -> Decimal:
    """What month-end closes put on the order's WIP (overhead allocated while it was open)."""
    rows = active_adjustments().filter(order=order, to_wip=True)
    if kind:
        rows = rows.filter(kind=kind)
    return rows.aggregate(total=Sum("amount"))["total"] or ZERO


def revaluations_by_order(order_ids) -> dict[int, Decimal]:
    """What backdated stock moves re-valued on the orders' consumption (a positive amount: more
    consumed), by order id: an open order's close takes it into its material cost."""
    rows = (
        StockMove.objects.filter(
            reason=StockMove.Reason.REVALUATION,
            corrects__reason=StockMove.Reason.PRODUCTION_CONSUMPTION,
            corrects__source_type=SOURCE_TYPE,
            corrects__source_id__in=[str(pk) for pk in order_ids],
        )
        .values("corrects__source_id")
        .annotate(total=Sum("value"))
        .values_list("corrects__source_id", "total")
    )
    return {int(pk): -Decimal(str(total)) for pk, total in rows if total}


def order_wip(order: ProductionOrder) -> Decimal:
    """The order's work in progress now: consumed (with what backdated moves re-valued) + time
    + overhead allocated − output."""
    consumed = order.materials.aggregate(total=Sum("consumed_value"))["total"] or ZERO
    times = order.operations.aggregate(
        machine=Sum("actual_machine_cost"), labour=Sum("actual_labour_cost")
    )
    return (
        consumed
        + (times["machine"] or ZERO)
        + (times["labour"] or ZERO)
        + order_adjustments(order)
        + revaluations_by_order([order.pk]).get(order.pk, ZERO)
        - order.output_value
    )


def variance_kind(item: Item) -> str:
    """Where an order's cost beyond its output goes: a standard-cost item's variance account
    (1404 材料成本差异); an item at an actual cost carries it into the cost of sales (6401) —
    its output already took the order's actual cost of the time (``output_unit_cost``), so
    only what was booked after the last output remains."""
    if item.costing_method == Item.CostingMethod.STANDARD:
        return PostingKind.STANDARD_COST_VARIANCE
    return PostingKind.COGS


def variance_account(item: Item) -> Account:
    """The debit account of ``variance_kind`` for the item's category."""
    return posting_accounts(kind=variance_kind(item), category_code=_category_code(item)).debit


def _balance(code: str, *, as_of) -> Decimal:
    totals = JournalLine.objects.filter(
        entry__status=JournalEntry.Status.POSTED, entry__date__lte=as_of, account__code=code
    ).aggregate(debit=Sum("debit"), credit=Sum("credit"))
    return money(Decimal(str(totals["debit"] or 0)) - Decimal(str(totals["credit"] or 0)))


def _shares(total: Decimal, weights: list[tuple[ProductionOrder, Decimal]]):
    """``total`` split by weight to the cent; the last share takes the rounding."""
    whole = sum((weight for _order, weight in weights), ZERO)
    given = ZERO
    for index, (order, weight) in enumerate(weights):
        share = total - given if index == len(weights) - 1 else cents(total * weight / whole)
        given += share
        yield order, share


def _line(account: Account, amount: Decimal, memo: Memo) -> LineInput:
    if amount > 0:
        return LineInput(account=account, debit=amount, memo=memo)
    return LineInput(account=account, credit=-amount, memo=memo)


def production_overhead_clear(*, period: FiscalPeriod, user: User | None) -> JournalEntry | None:
    """Bring 5101 制造费用 to zero at the period's end: what was incurred (Dr: issues to the
    workshop, expenses) against what machine time absorbed (Cr).

    The difference goes per the company's ``overhead_allocation``: to cost of sales (6401), or
    to the orders that absorbed machine time in the period, in proportion to it — an open
    order's share onto its WIP (500103), a closed order's onto its variance account. Nothing
    absorbed in the period: cost of sales.
    """
    balance = _balance(OVERHEAD_ACCOUNT, as_of=period.end)
    if not balance:
        return None
    memo = Memo("month_end_overhead", {"period": str(period)})
    overhead = Account.objects.get(code=OVERHEAD_ACCOUNT)
    amounts: dict[Account, Decimal] = defaultdict(lambda: ZERO)
    amounts[overhead] -= balance
    shares: list[tuple[ProductionOrder, Decimal, bool]] = []
    if company_settings().overhead_allocation == CompanySettings.OverheadAllocation.ORDERS:
        absorbed = (
            ProductionTimeBooking.objects.filter(
                journal_entry__date__gte=period.start,
                journal_entry__date__lte=period.end,
                machine_amount__gt=0,
            )
            .values("order")
            .annotate(total=Sum("machine_amount"))
            .order_by("order")
        )
        weights = dict(absorbed.values_list("order", "total"))
        orders = ProductionOrder.objects.select_related("item__category").in_bulk(list(weights))
        for order, share in _shares(balance, [(orders[pk], weights[pk]) for pk in sorted(weights)]):
            if not share:
                continue
            open_order = order.status != Status.CLOSED
            if open_order:
                account = posting_accounts(
                    kind=PostingKind.PRODUCTION_MACHINE, category_code=_category_code(order.item)
                ).debit
            else:
                account = variance_account(order.item)
            amounts[account] += share
            shares.append((order, share, open_order))
    if not shares:
        amounts[posting_accounts(kind=PostingKind.COGS, category_code=None).debit] += balance
    entry = journal_entry_post_lines(
        journal_code=JOURNAL,
        date=period.end,
        memo=memo,
        lines=[
            _line(account, amount, memo)
            for account, amount in sorted(amounts.items(), key=lambda pair: pair[0].code)
            if amount
        ],
        source_type=OVERHEAD_SOURCE,
        source_id=period.pk,
        source_event_id=None,
        actor=user,
    )
    ProductionCostAdjustment.objects.bulk_create(
        [
            ProductionCostAdjustment(
                order=order,
                kind=ProductionCostAdjustment.Kind.OVERHEAD,
                amount=share,
                to_wip=open_order,
                journal_entry=entry,
            )
            for order, share, open_order in shares
        ]
    )
    return entry


def late_costs(*, as_of=None) -> list[tuple[ProductionOrder, StockMove]]:
    """Revaluations of closed orders' consumption that their close did not see (made after it)
    and no month-end has settled yet, each with its order."""
    settled = active_adjustments().filter(stock_move__isnull=False).values("stock_move_id")
    rows = (
        StockMove.objects.filter(
            reason=StockMove.Reason.REVALUATION,
            corrects__reason=StockMove.Reason.PRODUCTION_CONSUMPTION,
            corrects__source_type=SOURCE_TYPE,
        )
        .exclude(pk__in=settled)
        .select_related("corrects", "item__category")
        .order_by("pk")
    )
    if as_of is not None:
        rows = rows.filter(created_at__date__lte=as_of)
    ids = {int(row.corrects.source_id) for row in rows if row.corrects.source_id.isdigit()}
    orders = ProductionOrder.objects.select_related("item__category").in_bulk(list(ids))
    found = []
    for row in rows:
        order = (
            orders.get(int(row.corrects.source_id)) if row.corrects.source_id.isdigit() else None
        )
        if order is None or order.status != Status.CLOSED or order.closed_at is None:
            continue
        if row.created_at <= order.closed_at:
            continue  # its close took it into the order's material cost
        found.append((order, row))
    return found


def production_late_costs_settle(*, period: FiscalPeriod, user: User | None) -> JournalEntry | None:
    """Clear from WIP what backdated stock moves re-valued on closed orders' consumption after
    their close: the stock ledger posted it to the material WIP account (its counter account
    follows the value), where no order is left to carry it. It goes to each order's variance
    account (1404 for a standard-cost product, 6401 for one at an actual cost)."""
    found = late_costs()
    if not found:
        return None
    memo = Memo("month_end_late_costs", {"period": str(period)})
    amounts: dict[Account, Decimal] = defaultdict(lambda: ZERO)
    for order, row in found:
        # The revaluation's value is the change of the (negative) issue: −value more was
        # consumed, and the stock ledger put it on the component's consumption account.
        wip = posting_accounts(
            kind=PostingKind.PRODUCTION_CONSUMPTION, category_code=_category_code(row.item)
        ).debit
        amounts[wip] += row.value
        amounts[variance_account(order.item)] -= row.value
    lines = [
        _line(account, amount, memo)
        for account, amount in sorted(amounts.items(), key=lambda pair: pair[0].code)
        if amount
    ]
    if not lines:
        return None
    entry = journal_entry_post_lines(
        journal_code=JOURNAL,
        date=period.end,
        memo=memo,
        lines=lines,
        source_type=LATE_COST_SOURCE,
        source_id=period.pk,
        source_event_id=None,
        actor=user,
    )
    ProductionCostAdjustment.objects.bulk_create(
        [
            ProductionCostAdjustment(
                order=order,
                kind=ProductionCostAdjustment.Kind.LATE_COST,
                amount=-row.value,
                to_wip=False,
                stock_move=row,
                journal_entry=entry,
            )
            for order, row in found
        ]
    )
    return entry


def wip_by_order() -> dict[int, Decimal]:
    """The WIP of every order not closed (nor voided), by id, in a handful of queries."""
    open_orders = ProductionOrder.objects.filter(
        ~Q(status__in=[Status.CLOSED, Status.VOIDED, Status.DRAFT])
    )
    wip: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for pk, output in open_orders.values_list("pk", "output_value"):
        wip[pk] -= output
    for pk, total in (
        open_orders.values_list("pk")
        .annotate(total=Sum("materials__consumed_value"))
        .values_list("pk", "total")
    ):
        wip[pk] += total or ZERO
    for pk, machine, labour in (
        open_orders.values_list("pk")
        .annotate(
            machine=Sum("operations__actual_machine_cost"),
            labour=Sum("operations__actual_labour_cost"),
        )
        .values_list("pk", "machine", "labour")
    ):
        wip[pk] += (machine or ZERO) + (labour or ZERO)
    for pk, total in (
        active_adjustments()
        .filter(order__in=open_orders, to_wip=True)
        .values("order")
        .annotate(total=Sum("amount"))
        .values_list("order", "total")
    ):
        wip[pk] += total
    for pk, total in revaluations_by_order(list(wip)).items():
        wip[pk] += total
    return {pk: money(Decimal(str(amount))) for pk, amount in wip.items()}
