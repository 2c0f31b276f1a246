"""The planning office's steps on an order: create and edit (with the BOM and routing
snapshot), release, unrelease, void.
"""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.errors import Conflict
from common.numbers import cents
from erp_core.documents.services import (
    document_lock,
    document_number_next,
    mark_approved,
    mark_changed,
    mark_unapproved,
    mark_voided,
    require_revision,
    require_status,
)
from erp_core.ledger.services import document_date_check
from erp_core.masterdata import selectors as erp_selectors
from erp_core.models import BillOfMaterials, Item, Routing, User, Warehouse
from erp_core.production import selectors
from erp_core.production.models import (
    ProductionOrder,
    ProductionOrderMaterial,
    ProductionOrderOperation,
)
from erp_core.production.services._common import ZERO, Status, _number
from integration import topics
from integration.bus import publish

NUMBER_KIND = "MO"
SIX_PLACES = Decimal("0.000001")
MINUTES_PER_HOUR = Decimal(60)

#: Fields ``production_order_update`` may change (while the order is planned).
EDITABLE_FIELDS = (
    "item",
    "quantity",
    "date",
    "due_date",
    "start_date",
    "warehouse",
    "component_warehouse",
    "bom",
    "routing",
    "memo",
)


def _six(value: Decimal) -> Decimal:
    return value.quantize(SIX_PLACES, rounding=ROUND_HALF_UP)


# --- Checks ----------------------------------------------------------------------------------


def _check_header(
    *,
    item: Item,
    quantity,
    date: dt.date,
    due_date: dt.date,
    start_date: dt.date | None,
    warehouse: Warehouse,
    component_warehouse: Warehouse,
    bom: BillOfMaterials | None,
    routing: Routing | None,
) -> dict:
    """The errors of an order's header, by field (empty: fine)."""
    errors: dict[str, str] = {}
    if item.is_service:
        errors["item"] = _("A service is not produced.")
    elif item.make_or_buy != Item.MakeOrBuy.MAKE:
        errors["item"] = _("%(item)s is bought, not made.") % {"item": item.code}
    elif not item.is_active:
        errors["item"] = _("The item is inactive.")
    try:
        _number(quantity, "quantity", item=item)
    except ValidationError as exc:
        errors["quantity"] = " ".join(exc.messages)
    try:
        document_date_check(date)
    except ValidationError as exc:
        errors["date"] = " ".join(exc.messages)
    if due_date is None:
        errors["due_date"] = _("Give the due date.")
    elif due_date < date:
        errors["due_date"] = _("The due date is before the order date.")
    if start_date is not None and due_date is not None and start_date > due_date:
        errors["start_date"] = _("The planned start is after the due date.")
    for name, value in (("warehouse", warehouse), ("component_warehouse", component_warehouse)):
        if value is None:
            errors[name] = _("Choose a warehouse.")
        elif not value.is_active:
            errors[name] = _("The warehouse %(code)s is inactive.") % {"code": value.code}
    if bom is None:
        errors.setdefault(
            "bom",
            _("%(item)s has no active bill of materials valid on %(date)s.")
            % {"item": item.code, "date": date},
        )
    elif bom.item_id != item.pk:
        errors["bom"] = _("The bill of materials is not one of %(item)s.") % {"item": item.code}
    elif not bom.is_active:
        errors["bom"] = _("The bill of materials is inactive.")
    if routing is not None:
        if routing.item_id != item.pk:
            errors["routing"] = _("The routing is not one of %(item)s.") % {"item": item.code}
        elif not routing.is_active:
            errors["routing"] = _("The routing is inactive.")
    return errors


# --- Snapshot --------------------------------------------------------------------------------


def _snapshot_build(order: ProductionOrder) -> None:
    """Replace the order's materials and operations with its BOM and routing as they are now.

    Materials are the BOM's components for the order quantity (scrap included), phantoms
    exploded through to their own components; one row per component.
    """
    order.materials.all().delete()
    order.operations.all().delete()
    bom = erp_selectors.bom_list().get(pk=order.bom_id)
    explosion = erp_selectors.bom_explode(bom=bom, quantity=order.quantity, on_date=order.date)
    rows: dict[int, ProductionOrderMaterial] = {}
    for line in explosion.lines:
        if line.level != 1:
            continue  # sub-assemblies are made by their own orders: only the first level
        row = rows.get(line.component.pk)
        if row is None:
            rows[line.component.pk] = ProductionOrderMaterial(
                order=order,
                line_no=len(rows) + 1,
                component=line.component,
                unit=line.component.unit,
                via_phantom=line.via_phantom,
                quantity_required=line.quantity,
                planned_unit_cost=line.component.standard_cost,
            )
        else:
            row.quantity_required += line.quantity
    ProductionOrderMaterial.objects.bulk_create(rows.values())
    operations = []
    if order.routing_id:
        routing = erp_selectors.routing_list().get(pk=order.routing_id)
        for step in routing.operations.all():
            setup = _six(step.setup_minutes / MINUTES_PER_HOUR)
            run = _six(step.run_minutes_per_unit / MINUTES_PER_HOUR)
            operations.append(
                ProductionOrderOperation(
                    order=order,
                    sequence=step.sequence,
                    name=step.description,
                    work_center=step.work_center,
                    setup_hours=setup,
                    run_hours_per_unit=run,
                    planned_hours=_six(setup + run * order.quantity),
                    machine_rate=step.work_center.machine_rate_per_hour,
                    labour_rate=step.work_center.labour_rate_per_hour,
                )
            )
    ProductionOrderOperation.objects.bulk_create(operations)
    _planned_cost_store(order, materials=list(rows.values()), operations=operations)


def _planned_cost_store(
    order: ProductionOrder,
    *,
    materials: list[ProductionOrderMaterial],
    operations: list[ProductionOrderOperation],
) -> None:
    """Planned cost = materials at their planned unit cost + planned hours at the rates."""
    total = sum((row.planned_value for row in materials), ZERO)
    total += sum((op.planned_cost for op in operations), ZERO)
    order.planned_cost = cents(total)
    order.planned_unit_cost = _six(order.planned_cost / order.quantity)
    order.save(update_fields=["planned_cost", "planned_unit_cost", "updated_at"])


# --- Create, edit, release, unrelease, void --------------------------------------------------


@transaction.atomic
def production_order_create(
    *,
    item: Item,
    quantity: Decimal,
    due_date: dt.date,
    warehouse: Warehouse,
    component_warehouse: Warehouse | None = None,
    date: dt.date | None = None,
    start_date: dt.date | None = None,
    bom: BillOfMaterials | None = None,
    routing: Routing | None = None,
    memo: str = "",
    actor: User | None = None,
) -> ProductionOrder:
    """Save a planned order numbered ``MO-<year>-<n>`` with its BOM and routing snapshot.

    Without ``bom`` / ``routing`` the versions valid on the order date are taken; the
    components are issued from ``component_warehouse`` (default: the output warehouse).
    """
    date = date or timezone.localdate()
    component_warehouse = component_warehouse or warehouse
    if bom is None:
        bom = selectors.bom_default_for(item=item, on_date=date)
    if routing is None:
        routing = selectors.routing_default_for(item=item, on_date=date)
    errors = _check_header(
        item=item, quantity=quantity, date=date, due_date=due_date, start_date=start_date,
        warehouse=warehouse, component_warehouse=component_warehouse, bom=bom, routing=routing,
    )  # fmt: skip
    if errors:
        raise ValidationError(errors)
    order = ProductionOrder.objects.create(
        number=document_number_next(kind=NUMBER_KIND, date=date),
        date=date,
        memo=(memo or "").strip()[:255],
        created_by=actor,
        item=item,
        quantity=Decimal(quantity),
        warehouse=warehouse,
        component_warehouse=component_warehouse,
        bom=bom,
        routing=routing,
        due_date=due_date,
        start_date=start_date,
    )
    _snapshot_build(order)
    return order


@transaction.atomic
def production_order_update(
    *,
    order: ProductionOrder,
    actor: User | None = None,
    expected_revision: int | None = None,
    **fields,
) -> ProductionOrder:
    """Change a planned order and rebuild its snapshot from the BOM and routing as they are now.

    A new item without a new BOM (routing) takes the version valid on the order date. Refused
    once released (409), or when the order changed since ``expected_revision`` (409).
    """
    unknown = sorted(set(fields) - set(EDITABLE_FIELDS))
    if unknown:
        raise ValidationError(
            {name: _("This field cannot be changed on a production order.") for name in unknown}
        )
    order = document_lock(order)
    require_status(order, Status.DRAFT, action=_("changed"))
    require_revision(order, expected_revision)
    if "memo" in fields:
        fields["memo"] = (fields["memo"] or "").strip()[:255]
    item_changed = "item" in fields and fields["item"].pk != order.item_id
    for name, value in fields.items():
        setattr(order, name, value)
    # A new item or date without a BOM (routing) named, or one cleared: the version valid then.
    redo = item_changed or "date" in fields
    if fields.get("bom") is None and (redo or "bom" in fields):
        order.bom = selectors.bom_default_for(item=order.item, on_date=order.date)
    if fields.get("routing") is None and (redo or "routing" in fields):
        order.routing = selectors.routing_default_for(item=order.item, on_date=order.date)
    if fields.get("component_warehouse", False) is None:
        order.component_warehouse = order.warehouse
    errors = _check_header(
        item=order.item, quantity=order.quantity, date=order.date, due_date=order.due_date,
        start_date=order.start_date, warehouse=order.warehouse,
        component_warehouse=order.component_warehouse, bom=order.bom, routing=order.routing,
    )  # fmt: skip
    if errors:
        raise ValidationError(errors)
    mark_changed(order, [*EDITABLE_FIELDS])
    _snapshot_build(order)
    return order


@transaction.atomic
def production_order_release(
    *, order: ProductionOrder, actor: User | None, expected_revision: int | None = None
) -> ProductionOrder:
    """Release a planned order (审核) to the shop floor and publish it.

    The work centers' machine and labour rates are copied onto the operations now; from here
    on the snapshot no longer follows the BOM or routing. Publishes
    ``erp.production_order_released``.
    """
    order = document_lock(order)
    require_status(order, Status.DRAFT, action=_("released"))
    require_revision(order, expected_revision)
    errors = _check_header(
        item=order.item, quantity=order.quantity, date=order.date, due_date=order.due_date,
        start_date=order.start_date, warehouse=order.warehouse,
        component_warehouse=order.component_warehouse, bom=order.bom, routing=order.routing,
    )  # fmt: skip
    errors.pop("due_date", None)  # an order released late is still released
    if errors:
        raise ValidationError(errors)
    operations = list(order.operations.select_related("work_center").order_by("sequence"))
    for operation in operations:
        operation.machine_rate = operation.work_center.machine_rate_per_hour
        operation.labour_rate = operation.work_center.labour_rate_per_hour
    ProductionOrderOperation.objects.bulk_update(operations, ["machine_rate", "labour_rate"])
    _planned_cost_store(order, materials=list(order.materials.all()), operations=operations)
    mark_approved(order, actor=actor, status=Status.RELEASED)
    publish(
        topic=topics.production_order_released,
        payload={
            "production_order_id": order.pk,
            "item_id": order.item_id,
            "quantity": str(order.quantity),
            "due_date": order.due_date.isoformat(),
        },
    )
    return order


@transaction.atomic
def production_order_unrelease(
    *, order: ProductionOrder, actor: User | None, expected_revision: int | None = None
) -> ProductionOrder:
    """Take the release back (反审核) while nothing was consumed, reported or booked; publishes
    ``erp.production_order_unreleased`` so that the shop floor drops the work order."""
    order = document_lock(order)
    require_status(order, Status.RELEASED, action=_("unreleased"))
    require_revision(order, expected_revision)
    if selectors.production_order_has_activity(order=order):
        raise Conflict(
            _("%(order)s cannot be unreleased: materials, output or time were booked on it.")
            % {"order": order.number},
            code="has_downstream",
        )
    mark_unapproved(order)
    publish(
        topic=topics.production_order_unreleased,
        payload={"production_order_id": order.pk, "item_id": order.item_id},
    )
    return order


@transaction.atomic
def production_order_void(
    *,
    order: ProductionOrder,
    actor: User | None,
    reason: str,
    expected_revision: int | None = None,
) -> ProductionOrder:
    """Void a planned order (作废) with a reason; it keeps its number for the record."""
    order = document_lock(order)
    require_status(order, Status.DRAFT, action=_("voided"))
    require_revision(order, expected_revision)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for voiding.")})
    mark_voided(order, actor=actor, reason=reason)
    return order
