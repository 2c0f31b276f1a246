"""Load the scheduler's problem from the database, and turn its answer back into rows' values.

Time in the core is whole minutes from the origin (now, to the minute). Machines are keys:
``("m", machine_id)`` for a machine MES reported, ``("wc", work_center_id, slot)`` for an
anonymous slot of a work center that has no machine known. Calendars: each work center works its
shifts back to back from ``SHIFT_START`` on its working days; the rest of the day, non-working
days, maintenance windows and a machine's time down are breaks.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone

from erp_core.masterdata.models import RoutingOperation, WorkCenter
from erp_core.production.models import ProductionOrder, ProductionOrderOperation
from erp_core.scheduling.core.model import Assignment, Job, Key, Operation, Problem
from erp_core.scheduling.core.model import Schedule as Plan
from erp_core.scheduling.models import MaintenanceWindow, Resource, Schedule, ScheduledOperation

#: Shifts start at this local time on a working day.
SHIFT_START = dt.time(8, 0)
#: Calendars are laid out this many days ahead; beyond it a machine is always free.
HORIZON_DAYS = 120
OPEN_STATUSES = (ProductionOrder.Status.RELEASED, ProductionOrder.Status.IN_PROGRESS)


def minutes_of(hours: Decimal) -> int:
    """Whole minutes an operation of ``hours`` takes (at least one)."""
    return max(1, math.ceil(hours * 60))


@dataclass
class Context:
    """The problem with what is needed to read its answer back."""

    origin: dt.datetime
    problem: Problem
    operations: dict[int, ProductionOrderOperation]
    orders: dict[int, ProductionOrder]
    resources: dict[int, Resource]
    previous: Schedule | None
    work_centers: dict[int, WorkCenter] = field(default_factory=dict)

    def when(self, minutes: int) -> dt.datetime:
        """The moment ``minutes`` after the origin."""
        return self.origin + dt.timedelta(minutes=minutes)

    def minutes(self, moment: dt.datetime) -> int:
        """Minutes from the origin to ``moment`` (negative before it)."""
        return math.floor((moment - self.origin).total_seconds() / 60)


def machine_key(row: ScheduledOperation) -> Key:
    """The core's key of the machine a saved scheduled operation runs on."""
    if row.resource_id:
        return ("m", row.resource.machine_id)
    return ("wc", row.work_center_id, row.slot)


def machines_of(center: WorkCenter, resources: Iterable[Resource]) -> list[Key]:
    """The machines of a work center: the ones MES reported, else its anonymous slots."""
    known = [("m", resource.machine_id) for resource in resources]
    return known or [("wc", center.pk, slot) for slot in range(center.machines)]


def _merge(intervals: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    merged: list[list[int]] = []
    for start, end in sorted(intervals):
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return tuple((start, end) for start, end in merged)


def calendar_breaks(center: WorkCenter, origin: dt.datetime, days: int) -> list[tuple[int, int]]:
    """The minutes (from ``origin``) the work center does not work, over ``days`` days."""
    zone = timezone.get_current_timezone()
    local = timezone.localtime(origin, zone)
    hours = float(center.shifts_per_day * center.hours_per_shift)
    breaks = []
    cursor = 0
    for offset in range(days + 1):
        day = local.date() + dt.timedelta(days=offset)
        if not center.is_working_day(day):
            continue
        start = timezone.make_aware(dt.datetime.combine(day, SHIFT_START), zone)
        end = start + dt.timedelta(hours=hours)
        start_minutes = math.floor((start - origin).total_seconds() / 60)
        end_minutes = math.floor((end - origin).total_seconds() / 60)
        if end_minutes <= 0:
            continue
        if start_minutes > cursor:
            breaks.append((cursor, start_minutes))
        cursor = max(cursor, end_minutes)
    breaks.append((cursor, days * 24 * 60 + 24 * 60))
    return breaks


def load(
    *,
    origin: dt.datetime | None = None,
    down: dict[int, dt.datetime] | None = None,
    horizon_days: int = HORIZON_DAYS,
) -> Context:
    """The open operations of released and in-progress production orders, as a problem.

    ``down`` overrides, per machine id, when a machine went down (``Resource`` states are read
    otherwise). Operations already booked in full are done and left out; operations with time
    booked have started: they are frozen where the current schedule has them.
    """
    origin = (origin or timezone.now()).replace(second=0, microsecond=0)
    previous = Schedule.objects.filter(is_current=True).first()
    previous_rows: dict[int, ScheduledOperation] = {}
    if previous is not None:
        previous_rows = {
            row.operation_id: row
            for row in ScheduledOperation.objects.filter(schedule=previous).select_related(
                "resource"
            )
        }
    orders = {
        order.pk: order
        for order in ProductionOrder.objects.filter(status__in=OPEN_STATUSES)
        .select_related("item")
        .prefetch_related(
            Prefetch(
                "operations",
                queryset=ProductionOrderOperation.objects.order_by("sequence"),
            )
        )
        .order_by("due_date", "pk")
    }
    alternatives: dict[tuple[int, int], list[int]] = defaultdict(list)
    routing_ids = {order.routing_id for order in orders.values() if order.routing_id}
    for step in RoutingOperation.alternative_work_centers.through.objects.filter(
        routingoperation__routing_id__in=routing_ids
    ).select_related("routingoperation"):
        key = (step.routingoperation.routing_id, step.routingoperation.sequence)
        alternatives[key].append(step.workcenter_id)
    center_ids = {
        operation.work_center_id
        for order in orders.values()
        for operation in order.operations.all()
    } | {center for centers in alternatives.values() for center in centers}
    centers = WorkCenter.objects.in_bulk(center_ids)
    resources = {
        resource.machine_id: resource
        for resource in Resource.objects.filter(work_center_id__in=center_ids)
    }
    by_center: dict[int, list[Resource]] = defaultdict(list)
    for resource in resources.values():
        by_center[resource.work_center_id].append(resource)
    machines = {center.pk: machines_of(center, by_center[center.pk]) for center in centers.values()}
    breaks: dict[Key, list[tuple[int, int]]] = {}
    end_of_calendar = (horizon_days + 1) * 24 * 60
    for center in centers.values():
        center_breaks = calendar_breaks(center, origin, horizon_days)
        for machine in machines[center.pk]:
            breaks[machine] = list(center_breaks)
    stops: dict[Key, list[tuple[int, int]]] = {machine: [] for machine in breaks}
    context = Context(origin, Problem(jobs=()), {}, orders, resources, previous, centers)
    for window in MaintenanceWindow.objects.filter(work_center_id__in=center_ids, end__gt=origin):
        span = (max(0, context.minutes(window.start)), context.minutes(window.end))
        for machine in machines[window.work_center_id]:
            if window.machine_id is None or machine == ("m", window.machine_id):
                stops[machine].append(span)
    down = dict(down or {})
    for resource in resources.values():
        if not resource.is_available and resource.machine_id not in down:
            down[resource.machine_id] = resource.changed_at
    for machine_id, since in down.items():
        key = ("m", machine_id)
        if key in stops:
            stops[key].append((max(0, context.minutes(since)), end_of_calendar))
    jobs = []
    previous_placements: dict[Key, tuple[Key, int]] = {}
    for order in orders.values():
        due = timezone.make_aware(
            dt.datetime.combine(order.due_date, dt.time(23, 59)), timezone.get_current_timezone()
        )
        release = 0
        if order.start_date:
            start = timezone.make_aware(
                dt.datetime.combine(order.start_date, dt.time(0, 0)),
                timezone.get_current_timezone(),
            )
            release = max(0, context.minutes(start))
        operations = []
        for step in order.operations.all():
            if step.planned_hours > 0 and step.actual_machine_hours >= step.planned_hours:
                continue
            context.operations[step.pk] = step
            eligible = list(machines[step.work_center_id])
            for center_id in alternatives.get((order.routing_id, step.sequence), ()):
                eligible += [m for m in machines[center_id] if m not in eligible]
            minutes = minutes_of(step.planned_hours)
            old = previous_rows.get(step.pk)
            frozen = None
            if step.actual_machine_hours > 0:
                if old is not None:
                    frozen = (machine_key(old), context.minutes(old.start))
                    minutes = max(1, context.minutes(old.end) - context.minutes(old.start))
                else:
                    left = max(Decimal(0), step.planned_hours - step.actual_machine_hours)
                    minutes = minutes_of(left) if left else 1
                    frozen = (eligible[0], 0)
                durations = {frozen[0]: minutes}
            else:
                durations = dict.fromkeys(eligible, minutes)
                if old is not None:
                    previous_placements[step.pk] = (machine_key(old), context.minutes(old.start))
            operations.append(Operation(id=step.pk, durations=durations, frozen=frozen))
        if operations:
            jobs.append(
                Job(
                    id=order.pk,
                    operations=tuple(operations),
                    release=release,
                    due=context.minutes(due),
                )
            )
    context.problem = Problem(
        jobs=tuple(jobs),
        breaks={machine: _merge(spans) for machine, spans in breaks.items()},
        stops={machine: _merge(spans) for machine, spans in stops.items()},
        previous=previous_placements,
    )
    return context


def saved_plan(context: Context) -> Plan:
    """The current schedule's placements of the operations still open, in the core's terms."""
    rows = (
        ScheduledOperation.objects.filter(schedule=context.previous).select_related("resource")
        if context.previous
        else []
    )
    return Plan(
        {
            row.operation_id: Assignment(
                row.operation_id,
                machine_key(row),
                context.minutes(row.start),
                context.minutes(row.end),
            )
            for row in rows
            if row.operation_id in context.operations
        }
    )


def new_job(
    context: Context, *, steps: Iterable[RoutingOperation], quantity: Decimal
) -> tuple[Job, Problem]:
    """A job for ``quantity`` made along routing ``steps``, with the problem extended with the
    calendars of its work centers (for capable-to-promise)."""
    steps = list(steps)
    center_ids = set()
    for step in steps:
        center_ids.add(step.work_center_id)
        center_ids |= {center.pk for center in step.alternative_work_centers.all()}
    missing = center_ids - set(context.work_centers)
    breaks = dict(context.problem.breaks)
    if missing:
        by_center: dict[int, list[Resource]] = defaultdict(list)
        for resource in Resource.objects.filter(work_center_id__in=missing):
            by_center[resource.work_center_id].append(resource)
            context.resources[resource.machine_id] = resource
        for center in WorkCenter.objects.filter(pk__in=missing):
            context.work_centers[center.pk] = center
            center_breaks = tuple(calendar_breaks(center, context.origin, HORIZON_DAYS))
            for machine in machines_of(center, by_center[center.pk]):
                breaks.setdefault(machine, center_breaks)
    by_center_all: dict[int, list[Resource]] = defaultdict(list)
    for resource in context.resources.values():
        by_center_all[resource.work_center_id].append(resource)
    operations = []
    for index, step in enumerate(steps):
        minutes = minutes_of((step.setup_minutes + step.run_minutes_per_unit * quantity) / 60)
        eligible: list[Key] = []
        centers = [step.work_center_id, *(c.pk for c in step.alternative_work_centers.all())]
        for center_id in centers:
            for machine in machines_of(context.work_centers[center_id], by_center_all[center_id]):
                if machine not in eligible:
                    eligible.append(machine)
        operations.append(Operation(id=("new", index), durations=dict.fromkeys(eligible, minutes)))
    problem = Problem(jobs=context.problem.jobs, breaks=breaks, stops=context.problem.stops)
    return Job(id="new", operations=tuple(operations)), problem
