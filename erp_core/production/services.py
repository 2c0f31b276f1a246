"""Production order services: the only code that changes an order.

Status flow (``ProductionOrder.Status``)::

    planned ─release─▶ released ─consume / output / time─▶ in progress ─▶ done ─close─▶ closed
    planned ─void─▶ voided             released ─unrelease (nothing booked)─▶ planned
    released / in progress ─complete─▶ done    (output reaching the quantity: done as well)

Every service locks the order (``document_lock``), checks its status, does its work and records
the step, in one transaction. Consumption and output go through the stock ledger
(``stock_consume`` / ``stock_output``), whose entries debit and credit work in progress (WIP);
time is posted on the PRD journal; closing clears the order's WIP to the variance account.
"""

import datetime as dt
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from common.errors import Conflict, NotFound
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
from erp_core.ledger.models import Account, PostingKind
from erp_core.ledger.selectors import posting_accounts
from erp_core.ledger.services import LineInput, journal_entry_post_lines
from erp_core.masterdata import selectors as erp_selectors
from erp_core.models import BillOfMaterials, Item, Routing, User, Warehouse
from erp_core.production import selectors
from erp_core.production.models import (
    ProductionOrder,
    ProductionOrderMaterial,
    ProductionOrderOperation,
    ProductionTimeBooking,
)
from erp_core.production.selectors import SOURCE_TYPE, TIME_SOURCE_TYPE
from erp_core.stock.models import StockMove
from erp_core.stock.services import Source, stock_consume, stock_output
from integration import topics
from integration.bus import publish

Status = ProductionOrder.Status
NUMBER_KIND = "MO"
JOURNAL = "PRD"
ZERO = Decimal("0")
CENT = Decimal("0.01")
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
#: Statuses in which consumption, output and time are still accepted.
OPEN_FOR_REPORTS = (Status.RELEASED, Status.IN_PROGRESS, Status.DONE)


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _six(value: Decimal) -> Decimal:
    return value.quantize(SIX_PLACES, rounding=ROUND_HALF_UP)


def _number(value, field: str, *, allow_zero: bool = False) -> Decimal:
    """``value`` as a finite Decimal above zero (or at least zero); floats are refused."""
    if isinstance(value, str):
        try:
            value = Decimal(value)
        except ArithmeticError:
            value = None
    if not isinstance(value, Decimal) or not value.is_finite():
        raise ValidationError({field: _("Give a number.")})
    if value < 0 or (value == 0 and not allow_zero):
        message = _("Must not be negative.") if allow_zero else _("Must be greater than zero.")
        raise ValidationError({field: message})
    return value


def _category_code(item: Item) -> str | None:
    return item.category.code if item.category_id else None


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
        _number(quantity, "quantity")
    except ValidationError:
        errors["quantity"] = _("Must be greater than zero.")
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
    order.planned_cost = _cents(total)
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


# --- Shop-floor facts: consumption, output, time ---------------------------------------------


def _start(order: ProductionOrder) -> list[str]:
    """The first booking starts the order; returns the fields changed."""
    if order.status == Status.RELEASED:
        order.status = Status.IN_PROGRESS
        return ["status"]
    return []


def _source(order: ProductionOrder, event_id) -> Source:
    return Source(
        type=SOURCE_TYPE,
        id=str(order.pk),
        event_id=str(event_id) if event_id not in (None, "") else None,
    )


@transaction.atomic
def production_order_consume(
    *,
    order: ProductionOrder,
    item: Item,
    quantity: Decimal,
    warehouse: Warehouse | None = None,
    source_event_id: str | None = None,
    moved_at: dt.datetime | None = None,
    actor: User | None = None,
) -> ProductionOrderMaterial:
    """Issue ``quantity`` of a component into the order's WIP and add its value to the order.

    The stock move (from ``warehouse``, default the component warehouse) is valued by the
    component's costing method and posts Dr WIP (material) / Cr inventory. A component outside
    the snapshot gets a row of its own, marked unplanned. Starts a released order.
    """
    order = document_lock(order)
    require_status(order, *OPEN_FOR_REPORTS, action=_("consumed against"))
    quantity = _number(quantity, "quantity")
    if item.pk == order.item_id:
        raise ValidationError({"item": _("An order does not consume the item it makes.")})
    move = stock_consume(
        item=item,
        warehouse=warehouse or order.component_warehouse,
        quantity=quantity,
        moved_at=moved_at,
        source=_source(order, source_event_id),
        actor=actor,
    )
    # The order's lock serialises every change of its rows.
    row = order.materials.filter(component=item).first()
    if row is None:
        last = order.materials.aggregate(last=Max("line_no"))["last"] or 0
        row = ProductionOrderMaterial.objects.create(
            order=order,
            line_no=last + 1,
            component=item,
            unit=item.unit,
            planned_unit_cost=item.standard_cost,
            is_planned=False,
        )
    row.quantity_consumed += quantity
    row.consumed_value += -move.value
    row.save(update_fields=["quantity_consumed", "consumed_value"])
    mark_changed(order, _start(order))
    return row


@transaction.atomic
def production_order_report_output(
    *,
    order: ProductionOrder,
    quantity: Decimal,
    scrap_quantity: Decimal = ZERO,
    source_event_id: str | None = None,
    moved_at: dt.datetime | None = None,
    actor: User | None = None,
) -> ProductionOrder:
    """Receive good output into the order's warehouse out of WIP; count the scrap.

    Good output is valued at the item's standard cost when it is costed at standard, else at
    the order's planned unit cost; the stock move posts Dr inventory / Cr WIP. Starts a
    released order; reaching the order quantity makes it done.
    """
    order = document_lock(order)
    require_status(order, *OPEN_FOR_REPORTS, action=_("reported on"))
    quantity = _number(quantity, "quantity", allow_zero=True)
    scrap_quantity = _number(scrap_quantity, "scrap_quantity", allow_zero=True)
    if quantity == 0 and scrap_quantity == 0:
        raise ValidationError({"quantity": _("Report a good or a scrap quantity.")})
    changed = ["quantity_produced", "quantity_scrapped"]
    if quantity > 0:
        item = order.item
        unit_cost = (
            item.standard_cost
            if item.costing_method == Item.CostingMethod.STANDARD
            else order.planned_unit_cost
        )
        move = stock_output(
            item=item,
            warehouse=order.warehouse,
            quantity=quantity,
            unit_cost=unit_cost,
            moved_at=moved_at,
            source=_source(order, source_event_id),
            actor=actor,
        )
        order.output_value += move.receipt_value
        changed.append("output_value")
    order.quantity_produced += quantity
    order.quantity_scrapped += scrap_quantity
    changed += _start(order)
    if order.status == Status.IN_PROGRESS and order.quantity_produced >= order.quantity:
        order.status = Status.DONE
        changed.append("status")
    mark_changed(order, sorted(set(changed)))
    return order


@transaction.atomic
def production_order_book_time(
    *,
    order: ProductionOrder,
    operation: ProductionOrderOperation,
    machine_hours: Decimal = ZERO,
    labour_hours: Decimal = ZERO,
    source_event_id: str | None = None,
    actor: User | None = None,
) -> ProductionTimeBooking:
    """Book machine and labour hours on an operation and post them to WIP (journal PRD).

    Dr WIP machine / Cr machine time applied for hours × machine rate; Dr WIP labour / Cr wages
    for hours × labour rate (rates of the operation, copied at release). The same
    ``source_event_id`` booked twice returns the first booking. Starts a released order.
    """
    order = document_lock(order)
    require_status(order, *OPEN_FOR_REPORTS, action=_("booked against"))
    if operation.order_id != order.pk:
        raise ValidationError({"operation": _("The operation is not one of this order.")})
    machine_hours = _number(machine_hours, "machine_hours", allow_zero=True)
    labour_hours = _number(labour_hours, "labour_hours", allow_zero=True)
    if machine_hours == 0 and labour_hours == 0:
        raise ValidationError({"machine_hours": _("Book machine or labour hours.")})
    if source_event_id:
        earlier = order.time_bookings.filter(source_event_id=source_event_id).first()
        if earlier is not None:
            return earlier
    operation = ProductionOrderOperation.objects.select_for_update().get(pk=operation.pk)
    machine_amount = _cents(machine_hours * operation.machine_rate)
    labour_amount = _cents(labour_hours * operation.labour_rate)
    booking = ProductionTimeBooking.objects.create(
        order=order,
        operation=operation,
        machine_hours=machine_hours,
        labour_hours=labour_hours,
        machine_amount=machine_amount,
        labour_amount=labour_amount,
        source_event_id=source_event_id or None,
        booked_by=actor,
    )
    category = _category_code(order.item)
    memo = _("%(order)s operation %(sequence)s: time") % {
        "order": order.number,
        "sequence": operation.sequence,
    }
    lines = []
    for kind, amount in (
        (PostingKind.PRODUCTION_MACHINE, machine_amount),
        (PostingKind.PRODUCTION_LABOUR, labour_amount),
    ):
        if amount > 0:
            accounts = posting_accounts(kind=kind, category_code=category)
            lines += [
                LineInput(account=accounts.debit, debit=amount, memo=memo),
                LineInput(account=accounts.credit, credit=amount, memo=memo),
            ]
    if lines:
        booking.journal_entry = journal_entry_post_lines(
            journal_code=JOURNAL,
            date=timezone.localdate(),
            memo=memo,
            lines=lines,
            source_type=TIME_SOURCE_TYPE,
            source_id=booking.pk,
            source_event_id=source_event_id,
            actor=actor,
        )
        booking.save(update_fields=["journal_entry"])
    operation.actual_machine_hours += machine_hours
    operation.actual_labour_hours += labour_hours
    operation.actual_machine_cost += machine_amount
    operation.actual_labour_cost += labour_amount
    operation.save(
        update_fields=[
            "actual_machine_hours",
            "actual_labour_hours",
            "actual_machine_cost",
            "actual_labour_cost",
        ]
    )
    mark_changed(order, _start(order))
    return booking


@transaction.atomic
def production_order_complete(
    *, order: ProductionOrder, actor: User | None, expected_revision: int | None = None
) -> ProductionOrder:
    """Declare production finished (done), whatever quantity was reported."""
    order = document_lock(order)
    require_status(order, Status.RELEASED, Status.IN_PROGRESS, action=_("completed"))
    require_revision(order, expected_revision)
    order.status = Status.DONE
    mark_changed(order, ["status"])
    return order


# --- Close: the cost roll-up -----------------------------------------------------------------


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
    return _cents(unit * order.quantity_produced)


def _closing_lines(
    order: ProductionOrder,
    materials: list[ProductionOrderMaterial],
    *,
    machine_cost: Decimal,
    labour_cost: Decimal,
    variance: Decimal,
    memo: str,
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
    variance_account = posting_accounts(
        kind=PostingKind.STANDARD_COST_VARIANCE, category_code=category
    ).debit
    closing[variance_account] += variance
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
    on journal PRD to the standard cost variance account (Dr when actual is above standard).
    """
    order = document_lock(order)
    require_status(order, Status.DONE, action=_("closed"))
    require_revision(order, expected_revision)
    materials = list(order.materials.select_related("component__category").order_by("pk"))
    _apply_revaluations(order, materials)
    operations = list(order.operations.all())
    material_cost = sum((row.consumed_value for row in materials), ZERO)
    machine_cost = sum((op.actual_machine_cost for op in operations), ZERO)
    labour_cost = sum((op.actual_labour_cost for op in operations), ZERO)
    actual = material_cost + machine_cost + labour_cost
    variance = actual - order.output_value
    memo = _("%(order)s closed: cost variance") % {"order": order.number}
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


# --- From the shop floor's events ------------------------------------------------------------


def _order_for_event(production_order_id) -> ProductionOrder:
    order = ProductionOrder.objects.filter(pk=production_order_id).first()
    if order is None:
        raise NotFound(
            _("No production order %(pk)s.") % {"pk": production_order_id},
            code="production_order_not_found",
        )
    return order


def _get(model, pk, field: str):
    instance = model.objects.filter(pk=pk).first() if isinstance(pk, int) else None
    if instance is None:
        raise ValidationError({field: _("No such record: %(pk)s.") % {"pk": pk}})
    return instance


@transaction.atomic
def production_order_materials_consumed(
    *, production_order_id: int, lines: list[dict], source_event_id: str | None = None
) -> list[ProductionOrderMaterial]:
    """Book the lines of ``mes.materials_consumed`` (``item_id``, ``quantity``,
    ``warehouse_id?``) on the order, all or none."""
    order = _order_for_event(production_order_id)
    if not isinstance(lines, list) or not lines:
        raise ValidationError({"lines": _("The event has no lines.")})
    rows = []
    for line in lines:
        if not isinstance(line, dict):
            raise ValidationError({"lines": _("Each line is an object.")})
        warehouse_id = line.get("warehouse_id")
        rows.append(
            production_order_consume(
                order=order,
                item=_get(Item, line.get("item_id"), "item_id"),
                quantity=_number(str(line.get("quantity")), "quantity"),
                warehouse=_get(Warehouse, warehouse_id, "warehouse_id")
                if warehouse_id is not None
                else None,
                source_event_id=source_event_id,
            )
        )
    return rows


@transaction.atomic
def production_order_output_reported(
    *,
    production_order_id: int,
    item_id: int,
    quantity: str,
    scrap_quantity: str,
    source_event_id: str | None = None,
) -> ProductionOrder:
    """Book ``mes.output_reported`` on the order (the item must be the order's)."""
    order = _order_for_event(production_order_id)
    if item_id != order.item_id:
        raise ValidationError({"item_id": _("The output is not the item of the order.")})
    return production_order_report_output(
        order=order,
        quantity=_number(str(quantity), "quantity", allow_zero=True),
        scrap_quantity=_number(str(scrap_quantity), "scrap_quantity", allow_zero=True),
        source_event_id=source_event_id,
    )
