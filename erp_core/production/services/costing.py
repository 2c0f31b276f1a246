"""Closing a done order: the roll-up of its actual cost and the variance entry that clears
its work in progress.
"""

from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from common.numbers import cents
from erp_core.documents.services import (
    document_lock,
    mark_changed,
    require_revision,
    require_status,
)
from erp_core.ledger.memos import Memo
from erp_core.ledger.models import Account, PostingKind
from erp_core.ledger.selectors import posting_accounts
from erp_core.ledger.services import LineInput, journal_entry_post_lines
from erp_core.models import Item, User
from erp_core.production.models import (
    ProductionCostAdjustment,
    ProductionOrder,
    ProductionOrderMaterial,
)
from erp_core.production.selectors import SOURCE_TYPE
from erp_core.production.services._common import JOURNAL, ZERO, Status, _category_code
from erp_core.production.services.closing import order_adjustments, variance_account
from erp_core.stock.models import StockMove


def _apply_revaluations(order: ProductionOrder, materials: list[ProductionOrderMaterial]) -> None:
    """Add to the consumed values what backdated moves later corrected on the consumption."""
    consumed = StockMove.objects.filter(
        source_type=SOURCE_TYPE,
        source_id=str(order.pk),
        reason=StockMove.Reason.PRODUCTION_CONSUMPTION,
    )
    corrections = dict(
        StockMove.objects.filter(reason=StockMove.Reason.REVALUATION, corrects__in=consumed)
        .values("item_id")
        .annotate(total=Sum("value"))
        .values_list("item_id", "total")
    )
    for row in materials:
        delta = corrections.get(row.component_id)
        if delta:
            row.consumed_value += -delta
            row.save(update_fields=["consumed_value"])


def _standard_cost(order: ProductionOrder) -> Decimal:
    """Standard cost of what was produced: at the item's standard, or the planned unit cost."""
    item = order.item
    unit = (
        item.standard_cost
        if item.costing_method == Item.CostingMethod.STANDARD
        else order.planned_unit_cost
    )
    return cents(unit * order.quantity_produced)


def _closing_lines(
    order: ProductionOrder,
    materials: list[ProductionOrderMaterial],
    *,
    machine_cost: Decimal,
    labour_cost: Decimal,
    variance: Decimal,
    memo: str | Memo,
) -> list[LineInput]:
    """Lines that bring each WIP account of the order to zero against the variance account.

    The order's balance on each account is rebuilt from what was posted for it: consumption
    (Dr material WIP per component category), output (Cr the output account), time (Dr labour
    and machine WIP). Their sum is the variance, which takes the other side.
    """
    category = _category_code(order.item)
    balance: dict[Account, Decimal] = defaultdict(lambda: ZERO)
    for row in materials:
        account = posting_accounts(
            kind=PostingKind.PRODUCTION_CONSUMPTION, category_code=_category_code(row.component)
        ).debit
        balance[account] += row.consumed_value
    output = posting_accounts(kind=PostingKind.PRODUCTION_OUTPUT, category_code=category).credit
    balance[output] -= order.output_value
    for kind, amount in (
        (PostingKind.PRODUCTION_LABOUR, labour_cost),
        (PostingKind.PRODUCTION_MACHINE, machine_cost),
    ):
        balance[posting_accounts(kind=kind, category_code=category).debit] += amount
    # Signed amounts of the closing entry (debit positive): each WIP balance reversed, and
    # the variance on the variance account; they sum to zero by construction.
    closing: dict[Account, Decimal] = defaultdict(lambda: ZERO)
    for account, amount in balance.items():
        closing[account] -= amount
    closing[variance_account(order.item)] += variance
    lines = []
    for account, amount in sorted(closing.items(), key=lambda pair: pair[0].code):
        if amount > 0:
            lines.append(LineInput(account=account, debit=amount, memo=memo))
        elif amount < 0:
            lines.append(LineInput(account=account, credit=-amount, memo=memo))
    return lines


@transaction.atomic
def production_order_close(
    *, order: ProductionOrder, actor: User | None, expected_revision: int | None = None
) -> ProductionOrder:
    """Close a done order: roll up its actual cost, post the variance, freeze the figures.

    Actual cost = consumed material value + machine hours × rate + labour hours × rate. The
    order's WIP remainder (actual − output value already credited) is cleared in one entry
    on journal PRD to the variance account (Dr when actual is above what output took): 1404
    for a standard-cost product, cost of sales (6401) for one at an actual cost, whose output
    already took the actual cost of its time (``closing.variance_kind``).
    """
    order = document_lock(order)
    require_status(order, Status.DONE, action=_("closed"))
    require_revision(order, expected_revision)
    materials = list(order.materials.select_related("component__category").order_by("pk"))
    _apply_revaluations(order, materials)
    operations = list(order.operations.all())
    material_cost = sum((row.consumed_value for row in materials), ZERO)
    # The overhead a month-end close allocated while the order was open is on its machine WIP.
    machine_cost = sum((op.actual_machine_cost for op in operations), ZERO) + order_adjustments(
        order, kind=ProductionCostAdjustment.Kind.OVERHEAD
    )
    labour_cost = sum((op.actual_labour_cost for op in operations), ZERO)
    actual = material_cost + machine_cost + labour_cost
    variance = actual - order.output_value
    memo = Memo("production_close", {"order": order.number})
    lines = _closing_lines(
        order, materials, machine_cost=machine_cost, labour_cost=labour_cost,
        variance=variance, memo=memo,
    )  # fmt: skip
    if lines:
        order.closing_entry = journal_entry_post_lines(
            journal_code=JOURNAL,
            date=timezone.localdate(),
            memo=memo,
            lines=lines,
            source_type=SOURCE_TYPE,
            source_id=order.pk,
            source_event_id=None,
            actor=actor,
        )
    order.material_cost = material_cost
    order.machine_cost = machine_cost
    order.labour_cost = labour_cost
    order.actual_cost = actual
    order.standard_cost = _standard_cost(order)
    order.variance = variance
    order.status = Status.CLOSED
    order.closed_at = timezone.now()
    order.closed_by = actor
    mark_changed(
        order,
        [
            "material_cost",
            "machine_cost",
            "labour_cost",
            "actual_cost",
            "standard_cost",
            "variance",
            "closing_entry",
            "status",
            "closed_at",
            "closed_by",
        ],
    )
    return order
