"""Load the scheduler's problem from the database, and turn its answer back into rows' values.

Time in the core is whole minutes from the origin (now, to the minute). Machines are keys:
``("m", machine_id)`` for a machine MES reported, ``("wc", work_center_id, slot)`` for an
anonymous slot of a work center that has no machine known. Calendars: each work center works its
shift pattern (``WorkCenterShift``), else its shifts back to back from ``SHIFT_START`` on its
working days, except on holidays; the rest of the time is a break. Maintenance windows and a
machine's time down are stops.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F, Prefetch, Q
from django.utils import timezone

from erp_core.masterdata.models import Routing, RoutingOperation, WorkCenter
from erp_core.planning.models import PlannedOrder, PlannedOrderPeg, SupplyPeg
from erp_core.production.models import ProductionOrder, ProductionOrderOperation
from erp_core.purchasing.models import (
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseRequisition,
    PurchaseRequisitionLine,
)
from erp_core.scheduling.core.model import Assignment, Job, Key, Operation, Problem
from erp_core.scheduling.core.model import Schedule as Plan
from erp_core.scheduling.models import (
    Holiday,
    MaintenanceWindow,
    Resource,
    Schedule,
    ScheduleChange,
    ScheduledOperation,
    WorkCenterShift,
)

#: Shifts start at this local time on a working day.
SHIFT_START = dt.time(8, 0)
#: Calendars are laid out this many days ahead; beyond it a machine is always free.
HORIZON_DAYS = 120
OPEN_STATUSES = (ProductionOrder.Status.RELEASED, ProductionOrder.Status.IN_PROGRESS)


def minutes_of(hours: Decimal) -> int:
    """Whole minutes an operation of ``hours`` takes (at least one)."""
    return max(1, math.ceil(hours * 60))


@dataclass(frozen=True)
class PlannedStep:
    """An operation of a firm planned order, from its item's routing."""

    planned_order: PlannedOrder
    sequence: int
    name: str
    work_center_id: int
    actual_machine_hours: Decimal = Decimal(0)


@dataclass
class Context:
    """The problem with what is needed to read its answer back."""

    origin: dt.datetime
    problem: Problem
    operations: dict[Key, ProductionOrderOperation | PlannedStep]
    orders: dict[int, ProductionOrder]
    resources: dict[int, Resource]
    previous: Schedule | None
    work_centers: dict[int, WorkCenter] = field(default_factory=dict)
    #: Each operation's job: a production order's id, ``("p", id)`` for a planned order.
    job_of: dict[Key, Key] = field(default_factory=dict)
    #: What each job makes: item id and quantity still to make.
    outputs: dict[Key, tuple[int, Decimal]] = field(default_factory=dict)
    planned_orders: dict[int, PlannedOrder] = field(default_factory=dict)
    #: A planned order's operation in the current schedule → the production order's operation
    #: it was released into (it takes over the place).
    carried: dict[Key, Key] = field(default_factory=dict)
    calendars: dict[int, Calendar] = field(default_factory=dict)

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


@dataclass(frozen=True)
class Calendar:
    """A work center's shift pattern (weekday, start, end) and its days off; no shifts: its
    ``shifts_per_day × hours_per_shift`` back to back from ``SHIFT_START`` on working days."""

    shifts: tuple[tuple[int, dt.time, dt.time], ...] = ()
    holidays: frozenset[dt.date] = frozenset()


def calendars_of(center_ids: Iterable[int]) -> dict[int, Calendar]:
    """Each work center's calendar: its shifts and holidays (its own and the company's)."""
    center_ids = set(center_ids)
    shifts: dict[int, list[tuple[int, dt.time, dt.time]]] = defaultdict(list)
    for center_id, weekday, start, end in WorkCenterShift.objects.filter(
        work_center_id__in=center_ids
    ).values_list("work_center_id", "weekday", "start", "end"):
        shifts[center_id].append((weekday, start, end))
    everyone: set[dt.date] = set()
    own: dict[int, set[dt.date]] = defaultdict(set)
    for center_id, day in Holiday.objects.filter(
        Q(work_center__isnull=True) | Q(work_center_id__in=center_ids)
    ).values_list("work_center_id", "date"):
        (own[center_id] if center_id else everyone).add(day)
    return {
        center_id: Calendar(tuple(shifts[center_id]), frozenset(everyone | own[center_id]))
        for center_id in center_ids
    }


def calendar_breaks(
    center: WorkCenter, origin: dt.datetime, days: int, calendar: Calendar | None = None
) -> list[tuple[int, int]]:
    """The minutes (from ``origin``) the work center does not work, over ``days`` days."""
    calendar = calendar or Calendar()
    zone = timezone.get_current_timezone()
    local = timezone.localtime(origin, zone)
    hours = float(center.shifts_per_day * center.hours_per_shift)
    windows: list[tuple[dt.datetime, dt.datetime]] = []
    for offset in range(-1, days + 1):  # from yesterday: a night shift may run into today
        day = local.date() + dt.timedelta(days=offset)
        if day in calendar.holidays:
            continue
        if calendar.shifts:
            for weekday, start_time, end_time in calendar.shifts:
                if weekday != day.weekday():
                    continue
                start = timezone.make_aware(dt.datetime.combine(day, start_time), zone)
                end_day = day if end_time > start_time else day + dt.timedelta(days=1)
                end = timezone.make_aware(dt.datetime.combine(end_day, end_time), zone)
                windows.append((start, end))
        elif center.is_working_day(day):
            start = timezone.make_aware(dt.datetime.combine(day, SHIFT_START), zone)
            windows.append((start, start + dt.timedelta(hours=hours)))
    spans = _merge(
        [
            (
                math.floor((start - origin).total_seconds() / 60),
                math.floor((end - origin).total_seconds() / 60),
            )
            for start, end in windows
        ]
    )
    breaks = []
    cursor = 0
    for start_minutes, end_minutes in spans:
        if end_minutes <= 0:
            continue
        if start_minutes > cursor:
            breaks.append((cursor, start_minutes))
        cursor = max(cursor, end_minutes)
    breaks.append((cursor, days * 24 * 60 + 24 * 60))
    return breaks


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(
        dt.datetime.combine(day, dt.time(0, 0)), timezone.get_current_timezone()
    )


def _day_end(day: dt.date) -> dt.datetime:
    return timezone.make_aware(
        dt.datetime.combine(day, dt.time(23, 59)), timezone.get_current_timezone()
    )


def row_key(row: ScheduledOperation | ScheduleChange) -> Key:
    """The core's key of a saved row's operation."""
    if row.operation_id:
        return row.operation_id
    return ("p", row.planned_order_id, row.sequence)


def _routings(item_ids: set[int], on_date: dt.date) -> dict[int, Routing]:
    """Each item's routing valid on ``on_date`` (the latest start wins), with its operations."""
    routings: dict[int, Routing] = {}
    for routing in (
        Routing.objects.filter(item_id__in=item_ids, is_active=True, valid_from__lte=on_date)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on_date))
        .prefetch_related(
            Prefetch("operations", queryset=RoutingOperation.objects.order_by("sequence"))
        )
        .order_by("item_id", "-valid_from", "-pk")
    ):
        routings.setdefault(routing.item_id, routing)
    return routings


def materials_available(
    *, production_order_ids: Iterable[int], planned_order_ids: Iterable[int]
) -> dict[Key, dt.date]:
    """When each order's components are all there, as MRP planned them: the latest date of the
    supply pegged to the order's components — the due dates of planned (and firm) orders, and
    the expected dates of open purchase order and requisition lines and production orders
    still open (job keys: a production order's id, ``("p", id)`` for a planned order).
    Components MRP covers from stock on hand have no peg and are there now; an order missing
    here waits for nothing. One query (the two kinds of pegs in a ``UNION ALL``)."""
    production_order_ids = list(production_order_ids)
    planned_order_ids = list(planned_order_ids)
    served = Q(
        kind=PlannedOrderPeg.Kind.PRODUCTION_ORDER, production_order_id__in=production_order_ids
    ) | Q(kind=PlannedOrderPeg.Kind.PLANNED_ORDER, parent_id__in=planned_order_ids)
    planned = (
        PlannedOrderPeg.objects.filter(
            served,
            planned_order__status__in=(PlannedOrder.Status.PLANNED, PlannedOrder.Status.FIRM),
        )
        .order_by()
        .values_list("kind", "production_order_id", "parent_id", "planned_order__due_date")
    )
    # Open supply as it still is: a line received or an order finished since the run is there.
    still_open = (
        Q(
            supply_kind=SupplyPeg.SupplyKind.PURCHASE_ORDER_LINE,
            supply_id__in=PurchaseOrderLine.objects.filter(
                order__status=PurchaseOrder.Status.APPROVED,
                received_quantity__lt=F("quantity"),
            ).values("pk"),
        )
        | Q(
            supply_kind=SupplyPeg.SupplyKind.REQUISITION_LINE,
            supply_id__in=PurchaseRequisitionLine.objects.filter(
                requisition__status__in=(
                    PurchaseRequisition.Status.DRAFT,
                    PurchaseRequisition.Status.APPROVED,
                ),
                ordered_quantity__lt=F("quantity"),
            ).values("pk"),
        )
        | Q(
            supply_kind=SupplyPeg.SupplyKind.PRODUCTION_ORDER,
            supply_id__in=ProductionOrder.objects.filter(
                status__in=(ProductionOrder.Status.DRAFT, *OPEN_STATUSES),
                quantity_produced__lt=F("quantity"),
            ).values("pk"),
        )
    )
    supply = (
        SupplyPeg.objects.filter(served, still_open)
        .order_by()
        .values_list("kind", "production_order_id", "parent_id", "supply_date")
    )
    available: dict[Key, dt.date] = {}
    for kind, production_order_id, parent_id, due in planned.union(supply, all=True):
        key: Key = (
            production_order_id
            if kind == PlannedOrderPeg.Kind.PRODUCTION_ORDER
            else ("p", parent_id)
        )
        if key not in available or due > available[key]:
            available[key] = due
    return available


def load(
    *,
    origin: dt.datetime | None = None,
    down: dict[int, dt.datetime] | None = None,
    horizon_days: int = HORIZON_DAYS,
) -> Context:
    """The open operations of released and in-progress production orders and of firm planned
    orders, as a problem.

    Firm planned orders (made ones) are planned along their item's routing; a production order
    made from a planned order — still planned, or released — takes over the planned order's
    places in the current schedule. ``down`` overrides, per machine id, when a machine went down
    (``Resource`` states are read otherwise). Operations already booked in full are done and
    left out; operations with time booked have started: they are frozen where the current
    schedule has them. Each order waits for its components (``materials_available``) and its
    planned start.
    """
    origin = (origin or timezone.now()).replace(second=0, microsecond=0)
    today = timezone.localdate(origin)
    previous = Schedule.objects.filter(is_current=True).first()
    previous_rows: dict[Key, ScheduledOperation] = {}
    if previous is not None:
        previous_rows = {
            row_key(row): row
            for row in ScheduledOperation.objects.filter(schedule=previous).select_related(
                "resource"
            )
        }
    made_from = dict(
        PlannedOrder.objects.filter(
            status=PlannedOrder.Status.RELEASED,
            production_order__status__in=(ProductionOrder.Status.DRAFT, *OPEN_STATUSES),
        ).values_list("production_order_id", "pk")
    )
    orders = {
        order.pk: order
        for order in ProductionOrder.objects.filter(
            Q(status__in=OPEN_STATUSES)
            | Q(status=ProductionOrder.Status.DRAFT, pk__in=list(made_from))
        )
        .select_related("item")
        .prefetch_related(
            Prefetch(
                "operations",
                queryset=ProductionOrderOperation.objects.order_by("sequence"),
            )
        )
        .order_by("due_date", "pk")
    }
    firm = list(
        PlannedOrder.objects.filter(
            status=PlannedOrder.Status.FIRM, kind=PlannedOrder.Kind.MAKE
        ).order_by("due_date", "pk")
    )
    routings = _routings({planned.item_id for planned in firm}, today)
    firm = [planned for planned in firm if planned.item_id in routings]
    alternatives: dict[tuple[int, int], list[int]] = defaultdict(list)
    routing_ids = {order.routing_id for order in orders.values() if order.routing_id}
    routing_ids |= {routing.pk for routing in routings.values()}
    for step in RoutingOperation.alternative_work_centers.through.objects.filter(
        routingoperation__routing_id__in=routing_ids
    ).select_related("routingoperation"):
        key = (step.routingoperation.routing_id, step.routingoperation.sequence)
        alternatives[key].append(step.workcenter_id)
    center_ids = (
        {
            operation.work_center_id
            for order in orders.values()
            for operation in order.operations.all()
        }
        | {
            operation.work_center_id
            for routing in routings.values()
            for operation in routing.operations.all()
        }
        | {center for centers in alternatives.values() for center in centers}
    )
    centers = WorkCenter.objects.in_bulk(center_ids)
    calendars = calendars_of(center_ids)
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
        center_breaks = calendar_breaks(center, origin, horizon_days, calendars[center.pk])
        for machine in machines[center.pk]:
            breaks[machine] = list(center_breaks)
    stops: dict[Key, list[tuple[int, int]]] = {machine: [] for machine in breaks}
    context = Context(origin, Problem(jobs=()), {}, orders, resources, previous, centers)
    context.calendars = calendars
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
    materials = materials_available(
        production_order_ids=orders, planned_order_ids=[planned.pk for planned in firm]
    )

    def release_of(job_id: Key, start_date: dt.date | None) -> int:
        moments = [context.minutes(_day_start(start_date))] if start_date else []
        if job_id in materials:
            moments.append(context.minutes(_day_start(materials[job_id])))
        return max([0, *moments])

    def eligible_of(routing_id: int | None, sequence: int, center_id: int) -> list[Key]:
        eligible = list(machines[center_id])
        for other in alternatives.get((routing_id, sequence), ()) if routing_id else ():
            eligible += [m for m in machines[other] if m not in eligible]
        return eligible

    jobs = []
    previous_placements: dict[Key, tuple[Key, int]] = {}
    for order in orders.values():
        planned_id = made_from.get(order.pk)
        operations = []
        for step in order.operations.all():
            if step.planned_hours > 0 and step.actual_machine_hours >= step.planned_hours:
                continue
            context.operations[step.pk] = step
            context.job_of[step.pk] = order.pk
            eligible = eligible_of(order.routing_id, step.sequence, step.work_center_id)
            minutes = minutes_of(step.planned_hours)
            old = previous_rows.get(step.pk)
            if old is None and planned_id is not None:
                old = previous_rows.get(("p", planned_id, step.sequence))
                if old is not None:
                    context.carried[("p", planned_id, step.sequence)] = step.pk
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
            context.outputs[order.pk] = (order.item_id, order.quantity - order.quantity_produced)
            jobs.append(
                Job(
                    id=order.pk,
                    operations=tuple(operations),
                    release=release_of(order.pk, order.start_date),
                    due=context.minutes(_day_end(order.due_date)),
                )
            )
    for planned in firm:
        job_id: Key = ("p", planned.pk)
        routing = routings[planned.item_id]
        operations = []
        for routing_step in routing.operations.all():
            key: Key = ("p", planned.pk, routing_step.sequence)
            context.operations[key] = PlannedStep(
                planned_order=planned,
                sequence=routing_step.sequence,
                name=routing_step.description,
                work_center_id=routing_step.work_center_id,
            )
            context.job_of[key] = job_id
            minutes = minutes_of(
                (routing_step.setup_minutes + routing_step.run_minutes_per_unit * planned.quantity)
                / 60
            )
            eligible = eligible_of(routing.pk, routing_step.sequence, routing_step.work_center_id)
            old = previous_rows.get(key)
            if old is not None:
                previous_placements[key] = (machine_key(old), context.minutes(old.start))
            operations.append(Operation(id=key, durations=dict.fromkeys(eligible, minutes)))
        if operations:
            context.planned_orders[planned.pk] = planned
            context.outputs[job_id] = (planned.item_id, planned.quantity)
            jobs.append(
                Job(
                    id=job_id,
                    operations=tuple(operations),
                    release=release_of(job_id, planned.start_date),
                    due=context.minutes(_day_end(planned.due_date)),
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
    plan = Plan({})
    for row in rows:
        key = context.carried.get(row_key(row), row_key(row))
        if key in context.operations:
            plan.assignments[key] = Assignment(
                key, machine_key(row), context.minutes(row.start), context.minutes(row.end)
            )
    return plan


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
        calendars = calendars_of(missing)
        for center in WorkCenter.objects.filter(pk__in=missing):
            context.work_centers[center.pk] = center
            center_breaks = tuple(
                calendar_breaks(center, context.origin, HORIZON_DAYS, calendars[center.pk])
            )
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
