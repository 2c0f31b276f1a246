"""Reads of production orders: lists and details with their rows loaded, default BOM and
routing versions, the order's stock moves and its cost summary."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from common.errors import NotFound
from erp_core.ledger.selectors import company_settings
from erp_core.models import BillOfMaterials, Item, Routing
from erp_core.production.models import (
    ProductionOrder,
    ProductionOrderMaterial,
    ProductionOrderOperation,
    ProductionTimeBooking,
)
from erp_core.stock.models import StockMove

#: The ``source_type`` of the stock moves and the closing entry of a production order.
SOURCE_TYPE = "production.order"
#: The ``source_type`` of the journal entries of time booked on an order.
TIME_SOURCE_TYPE = "production.time"

ZERO = Decimal("0")
CENT = Decimal("0.01")


def production_order_list(
    *,
    status: str | None = None,
    item: Item | int | None = None,
    due_from: date | None = None,
    due_to: date | None = None,
    search: str = "",
) -> QuerySet[ProductionOrder]:
    """Orders by due date (latest first) with item, unit and warehouses joined; filtered."""
    qs = ProductionOrder.objects.select_related(
        "item", "item__unit", "warehouse", "component_warehouse", "bom", "routing"
    ).order_by("-due_date", "-id")
    if status:
        qs = qs.filter(status=status)
    if item:
        qs = qs.filter(item=item)
    if due_from:
        qs = qs.filter(due_date__gte=due_from)
    if due_to:
        qs = qs.filter(due_date__lte=due_to)
    if search:
        qs = qs.filter(
            Q(number__icontains=search)
            | Q(memo__icontains=search)
            | Q(item__code__icontains=search)
            | Q(item__name__icontains=search)
        )
    return qs


def production_order_detail_list() -> QuerySet[ProductionOrder]:
    """Orders with their materials, operations and time bookings prefetched (no query per row)."""
    return (
        production_order_list()
        .select_related(
            "created_by", "approved_by", "voided_by", "closed_by", "closing_entry", "item__category"
        )
        .prefetch_related(
            Prefetch(
                "materials",
                queryset=ProductionOrderMaterial.objects.select_related(
                    "component", "unit", "via_phantom"
                ).order_by("line_no"),
            ),
            Prefetch(
                "operations",
                queryset=ProductionOrderOperation.objects.select_related("work_center").order_by(
                    "sequence"
                ),
            ),
            Prefetch(
                "time_bookings",
                queryset=ProductionTimeBooking.objects.select_related(
                    "operation", "journal_entry", "booked_by"
                ).order_by("booked_at", "pk"),
            ),
        )
    )


def production_order_get(*, pk: int) -> ProductionOrder:
    """One order with its rows; ``NotFound`` when there is none."""
    order = production_order_detail_list().filter(pk=pk).first()
    if order is None:
        raise NotFound(
            _("No production order %(pk)s.") % {"pk": pk}, code="production_order_not_found"
        )
    return order


def output_tolerance_percent(*, order: ProductionOrder) -> Decimal:
    """How far (%) past its quantity output may be reported on ``order``: its item's
    tolerance, else the company's (the shop floor reads it to refuse as the ERP does)."""
    if order.item.output_tolerance_percent is not None:
        return order.item.output_tolerance_percent
    return company_settings().production_output_tolerance_percent


def bom_default_for(*, item: Item, on_date: date) -> BillOfMaterials | None:
    """The active BOM version of ``item`` valid on ``on_date``: the latest start wins."""
    return (
        BillOfMaterials.objects.filter(item=item, is_active=True, valid_from__lte=on_date)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on_date))
        .order_by("-valid_from", "-pk")
        .first()
    )


def routing_default_for(*, item: Item, on_date: date) -> Routing | None:
    """The active routing version of ``item`` valid on ``on_date``: the latest start wins."""
    return (
        Routing.objects.filter(item=item, is_active=True, valid_from__lte=on_date)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on_date))
        .order_by("-valid_from", "-pk")
        .first()
    )


def production_order_stock_moves(*, order: ProductionOrder) -> QuerySet[StockMove]:
    """The stock moves booked for the order (consumption and output), oldest first."""
    return (
        StockMove.objects.filter(source_type=SOURCE_TYPE, source_id=str(order.pk))
        .select_related("item", "warehouse", "journal_entry")
        .order_by("moved_at", "pk")
    )


def production_order_has_activity(*, order: ProductionOrder) -> bool:
    """True once anything was consumed, reported or booked against the order."""
    return (
        order.quantity_produced > 0
        or order.quantity_scrapped > 0
        or order.materials.filter(quantity_consumed__gt=0).exists()
        or order.time_bookings.exists()
        or StockMove.objects.filter(source_type=SOURCE_TYPE, source_id=str(order.pk)).exists()
    )


@dataclass(frozen=True)
class CostSummary:
    """Planned against actual cost of an order, per kind; actual so far for an open order."""

    planned_material: Decimal
    planned_operations: Decimal
    planned_total: Decimal
    material: Decimal
    machine: Decimal
    labour: Decimal
    actual: Decimal
    output_value: Decimal
    wip: Decimal
    standard: Decimal | None
    variance: Decimal | None


def production_order_cost_summary(*, order: ProductionOrder) -> CostSummary:
    """The order's cost figures from its (prefetched) rows; a closed order shows what was stored."""
    materials = list(order.materials.all())
    operations = list(order.operations.all())
    planned_material = sum((row.planned_value for row in materials), ZERO).quantize(CENT)
    planned_operations = sum((op.planned_cost for op in operations), ZERO).quantize(CENT)
    if order.is_closed:
        material = order.material_cost or ZERO
        machine = order.machine_cost or ZERO
        labour = order.labour_cost or ZERO
    else:
        material = sum((row.consumed_value for row in materials), ZERO)
        machine = sum((op.actual_machine_cost for op in operations), ZERO)
        labour = sum((op.actual_labour_cost for op in operations), ZERO)
    actual = material + machine + labour
    return CostSummary(
        planned_material=planned_material,
        planned_operations=planned_operations,
        planned_total=order.planned_cost,
        material=material,
        machine=machine,
        labour=labour,
        actual=actual,
        output_value=order.output_value,
        wip=ZERO if order.is_closed else actual - order.output_value,
        standard=order.standard_cost,
        variance=order.variance,
    )
