"""The operator terminal's actions on an operation: start, pause, resume, finish, report good
and scrap, and consume material lots.

Rules an operation keeps:

- it starts on an active machine of its work center that is neither down nor in maintenance and
  runs nothing else;
- it starts only once the operation before it in the work order is done, and the first
  operation only once the work order's material is staged; a supervisor
  (``mes.override_workoperation``) may start it anyway with a reason, which is logged
  (``OperationOverride``);
- good output past the order's quantity and its tolerance is refused as the ERP refuses it
  (the tolerance is read from the ERP, ``output_tolerance_percent``);
- nothing is reported on a work order whose production order the ERP no longer takes reports
  on (done, closed).

The facts go to the ERP as events published in the same transaction: ``mes.materials_consumed``
(the lots scanned), ``mes.output_reported`` (the last operation's good output with its lot, and
the scrap of any operation) and ``mes.time_booked`` (the hours of each run, when it pauses or
finishes).
"""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.errors import Conflict
from common.limits import QUANTITY_MAX
from erp_core.documents.amounts import plain
from erp_core.masterdata.quantities import quantity_for
from erp_core.models import Item, User
from erp_core.production.models import ProductionOrder
from erp_core.production.selectors import output_tolerance_percent
from integration import topics
from integration.bus import publish
from mes.models import (
    LotConsumption,
    Machine,
    OperationOverride,
    OperationReport,
    OperationRun,
    OutputSerial,
    ProductionLot,
    WorkOperation,
    WorkOrder,
)
from mes.selectors_work import is_last_operation, previous_operation

#: The permission of a supervisor who may start an operation against its rules, with a reason.
OVERRIDE_PERMISSION = "mes.override_workoperation"
Status = WorkOperation.Status
ZERO = Decimal("0")
HUNDRED = Decimal("100")
HOUR_PLACES = Decimal("0.000001")
#: Production order statuses in which the ERP still takes the shop floor's reports.
ERP_OPEN = (ProductionOrder.Status.RELEASED, ProductionOrder.Status.IN_PROGRESS)


# --- shared checks ----------------------------------------------------------------------------


def _lock(operation: WorkOperation) -> WorkOperation:
    """Lock the work order, then the operation (always in this order: no deadlock)."""
    WorkOrder.objects.select_for_update().filter(pk=operation.work_order_id).first()
    return (
        WorkOperation.objects.select_for_update(of=("self",))
        .select_related("work_order", "work_order__production_order", "work_order__item", "machine")
        .get(pk=operation.pk)
    )


def _require_open(operation: WorkOperation) -> None:
    """Refuse work on a work order that is done or cancelled, or whose production order the
    ERP no longer takes reports on."""
    work_order = operation.work_order
    if not work_order.is_open:
        raise Conflict(
            _("Work order %(order)s is %(status)s: nothing more can be done on it.")
            % {"order": work_order.number, "status": work_order.get_status_display()},
            code="invalid_status",
        )
    production_order = work_order.production_order
    if production_order.status not in ERP_OPEN:
        raise Conflict(
            _(
                "Production order %(order)s is %(status)s in the ERP: nothing more can be "
                "reported on it."
            )
            % {"order": production_order.number, "status": production_order.get_status_display()},
            code="order_not_open",
        )


def _require_status(operation: WorkOperation, *statuses: str, action: str) -> None:
    if operation.status not in statuses:
        raise Conflict(
            _("Operation %(sequence)s of %(order)s is %(status)s: it cannot be %(action)s.")
            % {
                "sequence": operation.sequence,
                "order": operation.work_order.number,
                "status": operation.get_status_display(),
                "action": action,
            },
            code="invalid_status",
        )


def _machine_check(operation: WorkOperation, machine: Machine) -> None:
    """The machine may run the operation now: of its work center, active, up, free."""
    if machine.work_center_id != operation.work_center_id or not machine.is_active:
        raise ValidationError(
            {
                "machine": _(
                    "Machine %(machine)s is not an active machine of work center %(center)s."
                )
                % {"machine": machine.code, "center": operation.work_center.code}
            }
        )
    if machine.state in (Machine.State.DOWN, Machine.State.MAINTENANCE):
        raise Conflict(
            _("Machine %(machine)s is %(state)s: it cannot run an operation now.")
            % {"machine": machine.code, "state": machine.get_state_display()},
            code="machine_unavailable",
        )
    busy = (
        WorkOperation.objects.filter(machine=machine, status=Status.RUNNING)
        .exclude(pk=operation.pk)
        .select_related("work_order__production_order")
        .first()
    )
    if busy is not None:
        raise Conflict(
            _("Machine %(machine)s is running operation %(sequence)s of %(order)s: pause or "
              "finish it first.")
            % {"machine": machine.code, "sequence": busy.sequence, "order": busy.work_order.number},
            code="machine_busy",
        )  # fmt: skip


def override_reason_clean(*, actor: User | None, override_reason: str | None) -> str:
    """The reason of a supervisor's override ("" when none is given); 403 without the right."""
    reason = (override_reason or "").strip()
    if not reason:
        return ""
    if len(reason) > 255:
        raise ValidationError({"override_reason": _("At most 255 characters.")})
    if actor is None or not actor.has_perm(OVERRIDE_PERMISSION):
        raise PermissionDenied(_("Only a supervisor may override the rules of an operation."))
    return reason


def _quantity(value, field: str, item: Item) -> Decimal:
    """A quantity of ``item`` of zero or more, to its unit's precision."""
    number = quantity_for(item, value, field=field, max_value=QUANTITY_MAX, decimal_places=6)
    if number < 0:
        raise ValidationError({field: _("Must not be negative.")})
    return number


def _run_open(operation: WorkOperation, machine: Machine, actor: User | None) -> None:
    OperationRun.objects.create(
        operation=operation, machine=machine, started_at=timezone.now(), started_by=actor
    )


def _run_close(operation: WorkOperation) -> OperationRun | None:
    """End the operation's open run and book its hours in the ERP (``mes.time_booked``)."""
    run = (
        OperationRun.objects.select_for_update()
        .filter(operation=operation, ended_at__isnull=True)
        .first()
    )
    if run is None:
        return None
    now = max(timezone.now(), run.started_at)
    hours = (Decimal((now - run.started_at).total_seconds()) / 3600).quantize(HOUR_PLACES)
    run.ended_at, run.hours = now, hours
    run.save(update_fields=["ended_at", "hours"])
    # Booked while the ERP takes time on the order (a closed order's cost is rolled up).
    books = operation.work_order.production_order.status in (*ERP_OPEN, ProductionOrder.Status.DONE)
    if hours > 0 and operation.production_order_operation_id and books:
        publish(
            topic=topics.time_booked,
            payload={
                "work_order_id": operation.work_order_id,
                "production_order_id": operation.work_order.production_order_id,
                "production_order_operation_id": operation.production_order_operation_id,
                "machine_hours": str(hours),
                "labour_hours": str(hours),
                "machine_id": run.machine_id,
                "started_at": run.started_at.isoformat(),
                "ended_at": now.isoformat(),
            },
        )
    return run


# --- start, pause, resume, finish -------------------------------------------------------------


@transaction.atomic
def operation_start(
    *,
    operation: WorkOperation,
    machine: Machine | None = None,
    actor: User | None = None,
    override_reason: str = "",
) -> WorkOperation:
    """Start a waiting operation on ``machine`` (default: the machine it is queued on).

    Refused before the previous operation is done, or (first operation) before the work order's
    material is staged, unless a supervisor gives ``override_reason``: each rule overridden is
    logged with the reason.
    """
    operation = _lock(operation)
    _require_open(operation)
    _require_status(operation, Status.WAITING, action=_("started"))
    reason = override_reason_clean(actor=actor, override_reason=override_reason)
    machine = machine or operation.machine
    if machine is None:
        raise ValidationError({"machine": _("Choose the machine the operation runs on.")})
    machine = Machine.objects.select_for_update().get(pk=machine.pk)
    _machine_check(operation, machine)
    broken: list[str] = []
    before = previous_operation(operation)
    if before is not None and before.status != Status.DONE:
        broken.append(OperationOverride.Rule.PREDECESSOR)
    if before is None and not operation.work_order.staged:
        broken.append(OperationOverride.Rule.MATERIAL)
    if broken and not reason:
        if OperationOverride.Rule.PREDECESSOR in broken:
            raise Conflict(
                _(
                    "Operation %(sequence)s of %(order)s cannot start before operation "
                    "%(before)s is finished (a supervisor may override with a reason)."
                )
                % {
                    "sequence": operation.sequence,
                    "order": operation.work_order.number,
                    "before": before.sequence,  # type: ignore[union-attr]
                },
                code="predecessor_not_done",
            )
        raise Conflict(
            _(
                "The material of %(order)s is not staged at the line: confirm the staging "
                "first (a supervisor may override with a reason)."
            )
            % {"order": operation.work_order.number},
            code="material_not_staged",
        )
    if broken:
        if actor is None:  # override_reason_clean refuses this already
            raise PermissionDenied(_("Only a supervisor may override the rules of an operation."))
        for rule in broken:
            OperationOverride.objects.create(
                operation=operation, rule=rule, reason=reason, overridden_by=actor
            )
    now = timezone.now()
    operation.status = Status.RUNNING
    operation.machine = machine
    operation.started_at = now
    operation.save(update_fields=["status", "machine", "started_at"])
    _run_open(operation, machine, actor)
    work_order = operation.work_order
    if work_order.status == WorkOrder.Status.RELEASED:
        work_order.status = WorkOrder.Status.IN_PROGRESS
        work_order.save(update_fields=["status"])
    return operation


@transaction.atomic
def operation_pause(*, operation: WorkOperation, actor: User | None = None) -> WorkOperation:
    """Pause a running operation; the hours of its run are booked."""
    operation = _lock(operation)
    _require_status(operation, Status.RUNNING, action=_("paused"))
    _run_close(operation)
    operation.status = Status.PAUSED
    operation.save(update_fields=["status"])
    return operation


@transaction.atomic
def operation_resume(*, operation: WorkOperation, actor: User | None = None) -> WorkOperation:
    """Resume a paused operation on its machine."""
    operation = _lock(operation)
    _require_open(operation)
    _require_status(operation, Status.PAUSED, action=_("resumed"))
    machine = Machine.objects.select_for_update().get(pk=operation.machine_id or 0)
    _machine_check(operation, machine)
    operation.status = Status.RUNNING
    operation.save(update_fields=["status"])
    _run_open(operation, machine, actor)
    return operation


@transaction.atomic
def operation_finish(*, operation: WorkOperation, actor: User | None = None) -> WorkOperation:
    """Finish a running or paused operation; the last one to finish makes the work order done."""
    operation = _lock(operation)
    _require_status(operation, Status.RUNNING, Status.PAUSED, action=_("finished"))
    _run_close(operation)
    operation.status = Status.DONE
    operation.finished_at = timezone.now()
    operation.save(update_fields=["status", "finished_at"])
    work_order = operation.work_order
    if not work_order.operations.exclude(status=Status.DONE).exists():
        work_order.status = WorkOrder.Status.DONE
        work_order.save(update_fields=["status"])
    return operation


# --- reports and consumption ------------------------------------------------------------------


def output_limit_check(operation: WorkOperation, good: Decimal) -> None:
    """Refuse good output past the order's quantity and its tolerance, as the ERP does."""
    if good <= 0:
        return
    order = operation.work_order.production_order
    tolerance = output_tolerance_percent(order=order)
    limit = order.quantity * (HUNDRED + tolerance) / HUNDRED
    total = operation.quantity_good + good
    if total > limit:
        raise ValidationError(
            {
                "quantity_good": _(
                    "%(total)s would be produced on an order for %(ordered)s: at most "
                    "%(limit)s (%(tolerance)s %% over) without a supervisor's override."
                )
                % {
                    "total": plain(total),
                    "ordered": plain(order.quantity),
                    "limit": plain(limit),
                    "tolerance": plain(tolerance),
                }
            },
            code="over_tolerance",
        )


def _output_lot(operation: WorkOperation, number: str, good: Decimal) -> ProductionLot:
    """The output lot ``number`` of the work order's item (made now if new), grown by ``good``."""
    work_order = operation.work_order
    number = number.strip()
    if len(number) > 64:
        raise ValidationError({"lot_number": _("At most 64 characters.")})
    if not number:
        made = ProductionLot.objects.filter(work_order=work_order).count()
        number = f"{work_order.number}-{made + 1:02d}"
    lot = (
        ProductionLot.objects.select_for_update()
        .filter(item=work_order.item, number=number)
        .first()
    )
    if lot is None:
        lot = ProductionLot.objects.create(
            item=work_order.item, number=number, work_order=work_order
        )
    elif lot.work_order_id != work_order.pk:
        raise ValidationError(
            {
                "lot_number": _("Lot %(lot)s of %(item)s exists and was not made by %(order)s.")
                % {"lot": number, "item": work_order.item.code, "order": work_order.number}
            }
        )
    lot.quantity_made += good
    lot.save(update_fields=["quantity_made"])
    return lot


def _output_serials(serials: list[str] | None, good: Decimal) -> list[str]:
    """The serial numbers of ``good`` units: none at all, or exactly one distinct number (at most
    64 characters) per unit."""
    numbers = [str(number).strip() for number in serials or []]
    if not numbers:
        return []
    if any(not number or len(number) > 64 for number in numbers):
        raise ValidationError({"serials": _("Each serial number has 1 to 64 characters.")})
    if len(set(numbers)) != len(numbers):
        raise ValidationError({"serials": _("A serial number is given twice.")})
    if Decimal(len(numbers)) != good:
        raise ValidationError(
            {"serials": _("Give one serial number for each good unit (%(count)s).")
             % {"count": f"{good.normalize():f}"}}
        )  # fmt: skip
    return numbers


@transaction.atomic
def operation_report(
    *,
    operation: WorkOperation,
    quantity_good=ZERO,
    quantity_scrap=ZERO,
    scrap_reason: str = "",
    lot_number: str = "",
    serials: list[str] | None = None,
    actor: User | None = None,
) -> OperationReport:
    """Report good and scrap quantities on a running or paused operation.

    Scrap needs a reason. The last operation's good output goes into an output lot
    (``lot_number``, or the work order's number and a count when none is given) and is reported
    to the ERP with the scrap (``mes.output_reported``); an earlier operation reports only its
    scrap there. ``serials`` may name the serial numbers of the good units (one per unit, none
    the item already has): they are kept with the report (``OutputSerial``) and sent with the
    event, so that whoever follows it knows which order made each serial number.
    """
    operation = _lock(operation)
    _require_open(operation)
    _require_status(operation, Status.RUNNING, Status.PAUSED, action=_("reported on"))
    made = operation.work_order.production_order.item
    good = _quantity(quantity_good, "quantity_good", made)
    scrap = _quantity(quantity_scrap, "quantity_scrap", made)
    if good == 0 and scrap == 0:
        raise ValidationError({"quantity_good": _("Report a good or a scrap quantity.")})
    scrap_reason = (scrap_reason or "").strip() if scrap > 0 else ""
    if scrap > 0 and not scrap_reason:
        raise ValidationError({"scrap_reason": _("Give the reason for the scrap.")})
    if scrap_reason not in OperationReport.ScrapReason.values:
        raise ValidationError({"scrap_reason": _("Choose one of the scrap reasons.")})
    output_limit_check(operation, good)
    last = is_last_operation(operation)
    made_serials = _output_serials(serials, good) if last and good > 0 else []
    if serials and not made_serials:
        raise ValidationError(
            {"serials": _("Serial numbers go with the good output of the last operation.")}
        )
    item_id = operation.work_order.item_id
    if made_serials:
        taken = sorted(
            OutputSerial.objects.filter(item_id=item_id, number__in=made_serials).values_list(
                "number", flat=True
            )
        )
        if taken:
            raise ValidationError(
                {"serials": _("Serial numbers already made: %(numbers)s.")
                 % {"numbers": ", ".join(taken[:10])}}
            )  # fmt: skip
    lot = _output_lot(operation, lot_number or "", good) if last and good > 0 else None
    report = OperationReport.objects.create(
        operation=operation,
        quantity_good=good,
        quantity_scrap=scrap,
        scrap_reason=scrap_reason,
        output_lot=lot,
        reported_by=actor,
    )
    if made_serials:
        assert lot is not None  # serials go with the last operation's good output, in its lot
        try:
            with transaction.atomic():  # another order reporting the same number at once
                OutputSerial.objects.bulk_create(
                    OutputSerial(item_id=item_id, number=number, report=report, lot=lot)
                    for number in made_serials
                )
        except IntegrityError:
            raise ValidationError(
                {"serials": _("A serial number was just reported by another order.")}
            ) from None
    operation.quantity_good += good
    operation.quantity_scrap += scrap
    operation.save(update_fields=["quantity_good", "quantity_scrap"])
    if last or scrap > 0:
        work_order = operation.work_order
        payload = {
            "work_order_id": work_order.pk,
            "production_order_id": work_order.production_order_id,
            "item_id": work_order.item_id,
            "quantity": str(good if last else ZERO),
            "scrap_quantity": str(scrap),
        }
        if lot is not None:
            payload["lot_number"] = lot.number
        if made_serials:
            payload["serials"] = made_serials
        publish(topic=topics.output_reported, payload=payload)
    return report


@transaction.atomic
def operation_consume(
    *,
    operation: WorkOperation,
    item: Item | str,
    lot_number: str,
    quantity,
    actor: User | None = None,
) -> LotConsumption:
    """Consume ``quantity`` of a material lot (scanned at the line) on a running or paused
    operation: the item (or its code or barcode) must be a material of the production order;
    the ERP issues it from the order's component warehouse (``mes.materials_consumed``)."""
    operation = _lock(operation)
    _require_open(operation)
    _require_status(operation, Status.RUNNING, Status.PAUSED, action=_("consumed against"))
    work_order = operation.work_order
    production_order = work_order.production_order
    if isinstance(item, str):
        code = item.strip()
        found = Item.objects.filter(code=code).first() or (
            Item.objects.filter(barcode=code).first() if code else None
        )
        if found is None:
            raise ValidationError(
                {"item": _("No item has the barcode or code %(code)s.") % {"code": code}}
            )
        item = found
    if not production_order.materials.filter(component=item).exists():
        raise ValidationError(
            {
                "item": _("%(item)s is not a material of %(order)s.")
                % {"item": item.code, "order": work_order.number}
            }
        )
    number = (lot_number or "").strip()
    if not number:
        raise ValidationError({"lot_number": _("Scan the lot number.")})
    if len(number) > 64:
        raise ValidationError({"lot_number": _("At most 64 characters.")})
    amount = _quantity(quantity, "quantity", item)
    if amount == 0:
        raise ValidationError({"quantity": _("Must be greater than zero.")})
    lot = ProductionLot.objects.filter(item=item, number=number).first()
    if lot is None:
        lot = ProductionLot.objects.create(item=item, number=number)
    elif lot.work_order_id == work_order.pk:
        raise ValidationError(
            {"lot_number": _("Lot %(lot)s was made by this work order.") % {"lot": number}}
        )
    consumption = LotConsumption.objects.create(
        work_order=work_order, operation=operation, lot=lot, quantity=amount, consumed_by=actor
    )
    publish(
        topic=topics.materials_consumed,
        payload={
            "work_order_id": work_order.pk,
            "production_order_id": production_order.pk,
            "lines": [
                {
                    "item_id": item.pk,
                    "quantity": str(amount),
                    "warehouse_id": production_order.component_warehouse_id,
                    "lot_number": lot.number,
                }
            ],
        },
    )
    return consumption
