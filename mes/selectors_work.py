"""Reads of work orders, operations, machine queues and lot genealogy.

Used by the terminal, the pages, the API and the services alike; lists join what their rows
show, so that a page costs the same few queries whatever its length.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, Count, F, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.errors import NotFound
from erp_core.models import Item
from mes.models import (
    LotConsumption,
    LotShipment,
    Machine,
    OperationOverride,
    OperationReport,
    ProductionLot,
    WorkOperation,
    WorkOrder,
)

#: How MES is named where the ERP says who reports a production order.
MES_NAME = gettext_lazy("MES")
#: How many production levels genealogy follows from the lot asked about.
GENEALOGY_DEPTH = 10

_OPEN_ORDERS = (WorkOrder.Status.RELEASED, WorkOrder.Status.IN_PROGRESS)
OPEN_OPERATION = (
    WorkOperation.Status.WAITING,
    WorkOperation.Status.RUNNING,
    WorkOperation.Status.PAUSED,
)


def production_order_operator(production_order_id: int):
    """``erp_core.registry`` production operator: "MES" when MES runs the order (it made a
    work order of it that is not cancelled), else None."""
    runs = (
        WorkOrder.objects.filter(production_order_id=production_order_id)
        .exclude(status=WorkOrder.Status.CANCELLED)
        .exists()
    )
    return MES_NAME if runs else None


# --- work orders ------------------------------------------------------------------------------


def work_order_list(*, status: str | None = None, search: str = "") -> QuerySet[WorkOrder]:
    """Work orders by due date with their production order and item joined."""
    qs = WorkOrder.objects.select_related(
        "production_order", "item", "item__unit", "staged_by"
    ).order_by("due_date", "pk")
    if status:
        qs = qs.filter(status=status)
    if search:
        qs = qs.filter(
            Q(production_order__number__icontains=search)
            | Q(item__code__icontains=search)
            | Q(item__name__icontains=search)
        )
    return qs


def _operation_rows() -> QuerySet[WorkOperation]:
    return WorkOperation.objects.select_related(
        "work_order",
        "work_order__production_order",
        "work_order__item",
        "work_order__item__unit",
        "work_center",
        "machine",
    )


def work_order_detail_list() -> QuerySet[WorkOrder]:
    """Work orders with their operations, reports, lots and overrides prefetched."""
    return work_order_list().prefetch_related(
        Prefetch(
            "operations",
            queryset=WorkOperation.objects.select_related("work_center", "machine")
            .prefetch_related(
                Prefetch(
                    "reports",
                    queryset=OperationReport.objects.select_related("output_lot", "reported_by"),
                ),
                Prefetch(
                    "overrides",
                    queryset=OperationOverride.objects.select_related("overridden_by"),
                ),
            )
            .order_by("sequence"),
        ),
        Prefetch(
            "consumptions",
            queryset=LotConsumption.objects.select_related(
                "lot", "lot__item", "operation", "consumed_by"
            ),
        ),
        Prefetch("output_lots", queryset=ProductionLot.objects.select_related("item")),
    )


def work_order_get(*, pk: int) -> WorkOrder:
    """One work order with its rows; ``NotFound`` when there is none."""
    order = work_order_detail_list().filter(pk=pk).first()
    if order is None:
        raise NotFound(_("No work order %(pk)s.") % {"pk": pk}, code="work_order_not_found")
    return order


# --- operations and queues --------------------------------------------------------------------


def operation_list(
    *,
    status: str | None = None,
    machine: Machine | int | None = None,
    work_order: WorkOrder | int | None = None,
) -> QuerySet[WorkOperation]:
    """Operations with their work order, production order, item, work center and machine."""
    qs = _operation_rows().order_by("work_order__due_date", "work_order_id", "sequence")
    if status:
        qs = qs.filter(status=status)
    if machine:
        qs = qs.filter(machine=machine)
    if work_order:
        qs = qs.filter(work_order=work_order)
    return qs


def operation_get(*, pk: int) -> WorkOperation:
    """One operation; ``NotFound`` when there is none."""
    operation = _operation_rows().filter(pk=pk).first()
    if operation is None:
        raise NotFound(_("No operation %(pk)s.") % {"pk": pk}, code="operation_not_found")
    return operation


def machine_queue(*, machine: Machine | int) -> QuerySet[WorkOperation]:
    """What a machine has to do, in order: what runs or is paused first, then the waiting
    operations by the schedule's planned start (unscheduled last), then by due date."""
    busy = Case(
        When(status=WorkOperation.Status.RUNNING, then=Value(0)),
        When(status=WorkOperation.Status.PAUSED, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return (
        _operation_rows()
        .filter(machine=machine, status__in=OPEN_OPERATION, work_order__status__in=_OPEN_ORDERS)
        .annotate(busy=busy)
        .order_by(
            "busy",
            F("planned_start").asc(nulls_last=True),
            "work_order__due_date",
            "work_order_id",
            "sequence",
        )
    )


def terminal_machines() -> QuerySet[Machine]:
    """Active machines with their work center and the count of open operations queued."""
    return (
        Machine.objects.filter(is_active=True)
        .select_related("work_center")
        .annotate(
            queued=Count(
                "operations",
                filter=Q(
                    operations__status__in=OPEN_OPERATION,
                    operations__work_order__status__in=_OPEN_ORDERS,
                ),
            )
        )
        .order_by("code")
    )


def operations_waiting_count() -> QuerySet[WorkOperation]:
    """Operations queued on a machine and waiting to start (for the home page)."""
    return WorkOperation.objects.filter(
        status=WorkOperation.Status.WAITING, work_order__status__in=_OPEN_ORDERS
    )


def operations_paused_count() -> QuerySet[WorkOperation]:
    """Operations paused on a machine (for the home page)."""
    return WorkOperation.objects.filter(
        status=WorkOperation.Status.PAUSED, work_order__status__in=_OPEN_ORDERS
    )


def previous_operation(operation: WorkOperation) -> WorkOperation | None:
    """The operation before ``operation`` in its work order, if any."""
    return (
        WorkOperation.objects.filter(
            work_order_id=operation.work_order_id, sequence__lt=operation.sequence
        )
        .order_by("-sequence")
        .first()
    )


def is_last_operation(operation: WorkOperation) -> bool:
    """True when no operation of the work order comes after ``operation``."""
    return not WorkOperation.objects.filter(
        work_order_id=operation.work_order_id, sequence__gt=operation.sequence
    ).exists()


def item_by_code(value: str) -> Item | None:
    """An item by its code or barcode (what a scanner reads)."""
    value = value.strip()
    if not value:
        return None
    return Item.objects.filter(Q(code=value) | Q(barcode=value)).order_by("pk").first()


# --- lots and genealogy -----------------------------------------------------------------------


def lot_list(*, search: str = "", item: Item | int | None = None) -> QuerySet[ProductionLot]:
    """Lots, newest first, with their item and the work order that made them."""
    qs = ProductionLot.objects.select_related(
        "item", "item__unit", "work_order", "work_order__production_order"
    ).order_by("-created_at", "-pk")
    if search:
        qs = qs.filter(Q(number__icontains=search) | Q(item__code__icontains=search))
    if item:
        qs = qs.filter(item=item)
    return qs


def lot_get(*, pk: int) -> ProductionLot:
    """One lot; ``NotFound`` when there is none."""
    lot = lot_list().filter(pk=pk).first()
    if lot is None:
        raise NotFound(_("No lot %(pk)s.") % {"pk": pk}, code="lot_not_found")
    return lot


@dataclass
class LotNode:
    """A lot in a genealogy tree: how much of it is linked to its parent node, the work order
    that made it (if any), the lots under it and, going forward, where it was shipped."""

    lot: ProductionLot
    quantity: Decimal | None = None
    work_order: WorkOrder | None = None
    children: list["LotNode"] = field(default_factory=list)
    shipments: list[LotShipment] = field(default_factory=list)


def _lots(pks: Iterable[int]) -> dict[int, ProductionLot]:
    return {lot.pk: lot for lot in lot_list().filter(pk__in=set(pks))}


def lot_backward(*, lot: ProductionLot, depth: int = GENEALOGY_DEPTH) -> LotNode:
    """The lots consumed to make ``lot``, and theirs in turn (one query per level)."""
    root = LotNode(lot=lot, work_order=lot.work_order)
    level = [root]
    seen = {lot.pk}
    for _level in range(depth):
        makers = {node.lot.work_order_id: node for node in level if node.lot.work_order_id}
        if not makers:
            break
        rows = LotConsumption.objects.filter(work_order_id__in=makers).order_by("pk")
        consumed: dict[tuple[int, int], Decimal] = {}
        for row in rows.values("work_order_id", "lot_id", "quantity"):
            key = (row["work_order_id"], row["lot_id"])
            consumed[key] = consumed.get(key, Decimal("0")) + row["quantity"]
        lots = _lots(lot_id for _wo, lot_id in consumed)
        next_level = []
        for (work_order_id, lot_id), quantity in consumed.items():
            child = LotNode(lot=lots[lot_id], quantity=quantity, work_order=lots[lot_id].work_order)
            makers[work_order_id].children.append(child)
            if lot_id not in seen:
                seen.add(lot_id)
                next_level.append(child)
        level = next_level
    return root


def lot_forward(*, lot: ProductionLot, depth: int = GENEALOGY_DEPTH) -> LotNode:
    """The lots made from ``lot``, theirs in turn, and where each was shipped (a query or two
    per level)."""
    root = LotNode(lot=lot, work_order=lot.work_order)
    level = [root]
    seen = {lot.pk}
    every = [root]
    for _level in range(depth):
        by_lot = {node.lot.pk: node for node in level}
        rows = list(
            LotConsumption.objects.filter(lot_id__in=by_lot).values(
                "lot_id", "work_order_id", "quantity"
            )
        )
        if not rows:
            break
        outputs: dict[int, list[ProductionLot]] = {}
        for made in lot_list().filter(work_order_id__in={row["work_order_id"] for row in rows}):
            if made.work_order_id is not None:
                outputs.setdefault(made.work_order_id, []).append(made)
        next_level = []
        linked: set[tuple[int, int]] = set()
        for row in rows:
            parent = by_lot[row["lot_id"]]
            for made in outputs.get(row["work_order_id"], []):
                if (parent.lot.pk, made.pk) in linked:
                    continue
                linked.add((parent.lot.pk, made.pk))
                child = LotNode(lot=made, quantity=made.quantity_made, work_order=made.work_order)
                parent.children.append(child)
                every.append(child)
                if made.pk not in seen:
                    seen.add(made.pk)
                    next_level.append(child)
        level = next_level
        if not level:
            break
    shipments: dict[int, list[LotShipment]] = {}
    for shipment in LotShipment.objects.filter(
        lot_id__in={node.lot.pk for node in every}
    ).select_related("customer", "sales_order"):
        shipments.setdefault(shipment.lot_id, []).append(shipment)
    for node in every:
        node.shipments = shipments.get(node.lot.pk, [])
    return root


def lot_customers(node: LotNode) -> list:
    """Every customer a lot of the forward tree was shipped to, once each, by code."""
    found: dict[int, object] = {}
    stack = [node]
    while stack:
        current = stack.pop()
        for shipment in current.shipments:
            found[shipment.customer_id] = shipment.customer
        stack.extend(current.children)
    return sorted(found.values(), key=lambda partner: partner.code)
