"""Work orders from the ERP's releases, their queues on the machines, and material staging.

MES takes a released production order when every operation of its routing snapshot runs on a
work center that has an active machine in MES; an order without a routing, or on a work center
MES has no machine of, stays with the ERP (whose own reports then stay open). Each operation is
queued on the machine of its work center that has the fewest open operations; the ERP's schedule
(``erp.schedule_changed``) may move it to another machine and gives it its planned start.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from common.errors import Conflict
from erp_core.models import User
from erp_core.production.models import ProductionOrder
from mes.models import (
    LotConsumption,
    Machine,
    OperationOverride,
    OperationReport,
    OperationRun,
    WorkOperation,
    WorkOrder,
)

#: Production order statuses in which MES takes the order.
TAKEN = (ProductionOrder.Status.RELEASED, ProductionOrder.Status.IN_PROGRESS)
OPEN = (WorkOperation.Status.WAITING, WorkOperation.Status.RUNNING, WorkOperation.Status.PAUSED)


def _machines_by_center(center_ids: set[int]) -> dict[int, list[Machine]]:
    """Active machines of the work centers, each with its count of open operations."""
    machines = (
        Machine.objects.filter(work_center_id__in=center_ids, is_active=True)
        .annotate(
            load=Count(
                "operations",
                filter=Q(
                    operations__status__in=OPEN,
                    operations__work_order__status__in=(
                        WorkOrder.Status.RELEASED,
                        WorkOrder.Status.IN_PROGRESS,
                    ),
                ),
            )
        )
        .order_by("code")
    )
    found: dict[int, list[Machine]] = {}
    for machine in machines:
        found.setdefault(machine.work_center_id, []).append(machine)
    return found


@transaction.atomic
def work_order_create(*, production_order_id: int) -> WorkOrder | None:
    """The work order of a released production order, made once (``erp.production_order_released``).

    Returns the existing one when there is one (a cancelled one opens again), and None when MES
    does not run the order: it is no longer released, it has no operations, or one of its work
    centers has no active machine in MES.
    """
    order = (
        ProductionOrder.objects.select_for_update(of=("self",))
        .filter(pk=production_order_id)
        .select_related("item")
        .first()
    )
    if order is None or order.status not in TAKEN:
        return None
    existing = WorkOrder.objects.select_for_update().filter(production_order=order).first()
    if existing is not None and existing.status != WorkOrder.Status.CANCELLED:
        return existing
    operations = list(order.operations.order_by("sequence"))
    if not operations:
        return None
    machines = _machines_by_center({op.work_center_id for op in operations})
    if any(op.work_center_id not in machines for op in operations):
        return None
    if existing is not None:
        # Released again after a cancel: the operations follow the new snapshot by sequence.
        work_order = existing
        work_order.status = WorkOrder.Status.RELEASED
        work_order.quantity = order.quantity
        work_order.due_date = order.due_date
        work_order.save(update_fields=["status", "quantity", "due_date"])
    else:
        work_order = WorkOrder.objects.create(
            production_order=order,
            item=order.item,
            quantity=order.quantity,
            due_date=order.due_date,
        )
    kept = {op.sequence: op for op in work_order.operations.all()}
    for op in operations:
        known = kept.pop(op.sequence, None)
        if known is not None:
            known.production_order_operation = op
            known.name = op.name
            known.save(update_fields=["production_order_operation", "name"])
            continue
        candidates = machines[op.work_center_id]
        machine = min(candidates, key=lambda m: (m.load, m.code))  # type: ignore[attr-defined]
        machine.load += 1  # type: ignore[attr-defined]
        WorkOperation.objects.create(
            work_order=work_order,
            production_order_operation=op,
            sequence=op.sequence,
            name=op.name,
            work_center_id=op.work_center_id,
            machine=machine,
        )
    for gone in kept.values():  # no longer in the routing snapshot: dropped unless it ran
        if not (gone.runs.exists() or gone.reports.exists() or gone.consumptions.exists()):
            gone.delete()
    return work_order


def _has_activity(work_order: WorkOrder) -> bool:
    """True once anything was recorded on the work order (a run, a report, a consumption, an
    override, a staging confirmation)."""
    operations = work_order.operations.all()
    return (
        bool(work_order.staged)
        or OperationRun.objects.filter(operation__in=operations).exists()
        or OperationReport.objects.filter(operation__in=operations).exists()
        or OperationOverride.objects.filter(operation__in=operations).exists()
        or LotConsumption.objects.filter(work_order=work_order).exists()
    )


@transaction.atomic
def work_order_drop(*, production_order_id: int) -> WorkOrder | None:
    """The ERP took the release back (``erp.production_order_unreleased``): the work order goes
    (cancelled when something was recorded on it, which stays for the record). Returns the
    cancelled work order, or None."""
    work_order = (
        WorkOrder.objects.select_for_update()
        .filter(production_order_id=production_order_id)
        .first()
    )
    if work_order is None:
        return None
    if not _has_activity(work_order):
        work_order.operations.all().delete()
        work_order.delete()
        return None
    work_order.status = WorkOrder.Status.CANCELLED
    work_order.save(update_fields=["status"])
    WorkOperation.objects.filter(work_order=work_order).update(production_order_operation=None)
    return work_order


def _entry_int(entry: dict, key: str) -> int | None:
    value = entry.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(
            {"operations": _("%(field)s must be a whole number.") % {"field": key}}
        )
    return value


def _entry_time(entry: dict, key: str) -> dt.datetime | None:
    value = entry.get(key)
    if value in (None, ""):
        return None
    parsed = parse_datetime(value) if isinstance(value, str) else None
    if parsed is None:
        raise ValidationError(
            {"operations": _("%(field)s must be a date and time.") % {"field": key}}
        )
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


@transaction.atomic
def operations_reschedule(*, operations: list) -> int:
    """Follow the ERP's schedule (``erp.schedule_changed``): each entry names a production
    order operation (``production_order_operation_id``) and gives its ``start`` and ``end``
    and, optionally, the machine (``machine_id``) it is to run on. An operation that has not
    started moves to that machine when it is an active machine of its work center; the queue
    then follows the planned starts. Entries of orders MES does not run are passed over.

    Returns how many operations changed. Malformed entries refuse the whole event.
    """
    if not isinstance(operations, list):
        raise ValidationError({"operations": _("The schedule's operations are a list.")})
    parsed = []
    for entry in operations:
        if not isinstance(entry, dict):
            raise ValidationError({"operations": _("Each scheduled operation is an object.")})
        op_id = _entry_int(entry, "production_order_operation_id")
        if op_id is None:
            raise ValidationError(
                {"operations": _("A scheduled operation names its production_order_operation_id.")}
            )
        start, end = _entry_time(entry, "start"), _entry_time(entry, "end")
        if start and end and end < start:
            raise ValidationError({"operations": _("A scheduled operation ends before it starts.")})
        parsed.append((op_id, _entry_int(entry, "machine_id"), start, end))
    found = {
        op.production_order_operation_id: op
        for op in WorkOperation.objects.select_for_update()
        .filter(production_order_operation_id__in=[row[0] for row in parsed])
        .order_by("pk")
    }
    machines = Machine.objects.in_bulk({row[1] for row in parsed if row[1]})
    changed = 0
    for op_id, machine_id, start, end in parsed:
        operation = found.get(op_id)
        if operation is None or operation.status == WorkOperation.Status.DONE:
            continue
        fields = []
        if (operation.planned_start, operation.planned_end) != (start, end):
            operation.planned_start, operation.planned_end = start, end
            fields += ["planned_start", "planned_end"]
        machine = machines.get(machine_id) if machine_id else None
        if (
            machine is not None
            and machine.is_active
            and machine.work_center_id == operation.work_center_id
            and machine.pk != operation.machine_id
            and operation.status == WorkOperation.Status.WAITING
        ):
            operation.machine = machine
            fields.append("machine")
        if fields:
            operation.save(update_fields=fields)
            changed += 1
    return changed


@transaction.atomic
def work_order_stage(*, work_order: WorkOrder, actor: User | None) -> WorkOrder:
    """The operator confirms the work order's material is at the line (staged)."""
    work_order = WorkOrder.objects.select_for_update().get(pk=work_order.pk)
    if not work_order.is_open:
        raise Conflict(
            _("Work order %(order)s is %(status)s: nothing more can be done on it.")
            % {"order": work_order.number, "status": work_order.get_status_display()},
            code="invalid_status",
        )
    if work_order.staged:
        raise Conflict(
            _("The material of work order %(order)s is staged already.")
            % {"order": work_order.number},
            code="already_staged",
        )
    work_order.staged = WorkOrder.Staging.OPERATOR
    work_order.staged_at = timezone.now()
    work_order.staged_by = actor
    work_order.save(update_fields=["staged", "staged_at", "staged_by"])
    return work_order
