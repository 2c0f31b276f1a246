"""The schedule's workflows: run the scheduler, reschedule when a machine changes state.

Each run loads the open operations (``loader.load``), lets the core plan them, and saves the
plan in bulk as a new current schedule with its change log against the plan before it; it then
flags the sales order lines whose promised date the plan no longer meets (and moves their
promised date through the sales services), and publishes ``erp.schedule_changed`` with what moved.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from common.errors import DomainError
from erp_core.masterdata.models import WorkCenter
from erp_core.sales.models import SalesOrder, SalesOrderLine
from erp_core.sales.services import sales_order_line_promise_move
from erp_core.scheduling import loader
from erp_core.scheduling.core.dispatch import repair
from erp_core.scheduling.core.model import Schedule as Plan
from erp_core.scheduling.core.model import check, score
from erp_core.scheduling.core.solver import optimise
from erp_core.scheduling.models import (
    Holiday,
    MaintenanceWindow,
    PromiseSlip,
    Resource,
    Schedule,
    ScheduleChange,
    ScheduledOperation,
    WorkCenterShift,
    shift_span,
)
from erp_core.stock.models import StockBalance
from integration import topics
from integration.bus import publish

#: Seconds a planner's run may search by default, and the bounds of what may be asked.
DEFAULT_SECONDS = Decimal(10)
MIN_SECONDS = Decimal("0.1")
MAX_SECONDS = Decimal(300)
#: Seconds the re-optimisation after a machine comes back may take.
MACHINE_UP_SECONDS = 2.0


class ScheduleError(DomainError):
    """A schedule request the rules refuse."""


def _seconds(value) -> float:
    try:
        seconds = Decimal(str(value))
    except (ArithmeticError, ValueError) as exc:
        raise ScheduleError(pgettext_lazy("scheduling", "The time limit is not a number.")) from exc
    if not seconds.is_finite() or not MIN_SECONDS <= seconds <= MAX_SECONDS:
        raise ScheduleError(
            pgettext_lazy("scheduling", "The time limit is between %(low)s and %(high)s seconds.")
            % {"low": MIN_SECONDS, "high": MAX_SECONDS}
        )
    return float(seconds)


@transaction.atomic
def schedule_run(
    *,
    actor=None,
    seconds=DEFAULT_SECONDS,
    origin: dt.datetime | None = None,
) -> Schedule:
    """Plan every open operation from scratch (the previous plan only breaks ties) and save it."""
    limit = _seconds(seconds)
    _lock()
    started = time.perf_counter()
    context = loader.load(origin=origin)
    plan = optimise(context.problem, seconds=limit, workers=8)
    check(context.problem, plan)
    reasons = dict.fromkeys(context.operations, ScheduleChange.Reason.REOPTIMISED)
    return _save(
        context,
        plan,
        reasons=reasons,
        reason=Schedule.Reason.RUN,
        actor=actor,
        started=started,
    )


@transaction.atomic
def schedule_machine_state_changed(
    *, machine_id: int, work_center_id: int, state: str, changed_at: dt.datetime
) -> Schedule | None:
    """Record a machine's new state; replan when it went down or came back.

    Down (or into maintenance): the operations planned on it, and those that must follow them,
    move — to another eligible machine or later; everything else stays where it was. Back up: the
    plan is re-optimised for a moment, preferring to keep operations where they are.
    Returns the new schedule, or ``None`` when nothing had to be replanned.
    """
    if state not in Resource.State.values:
        raise ScheduleError(
            pgettext_lazy("scheduling", "Unknown machine state %(state)s.") % {"state": state}
        )
    if not WorkCenter.objects.filter(pk=work_center_id).exists():
        raise ScheduleError(
            pgettext_lazy("scheduling", "Unknown work center %(id)s.") % {"id": work_center_id}
        )
    resource = Resource.objects.select_for_update().filter(machine_id=machine_id).first()
    if resource is not None and resource.changed_at > changed_at:
        return None  # an older report arriving late
    was_available = resource.is_available if resource else True
    if resource is None:
        resource = Resource.objects.create(
            machine_id=machine_id,
            work_center_id=work_center_id,
            state=state,
            changed_at=changed_at,
        )
    else:
        resource.work_center_id = work_center_id
        resource.state = state
        resource.changed_at = changed_at
        resource.save(update_fields=["work_center", "state", "changed_at"])
    if not Schedule.objects.filter(is_current=True).exists():
        return None
    if was_available == resource.is_available and was_available:
        return None
    _lock()
    started = time.perf_counter()
    context = loader.load()
    previous = loader.saved_plan(context)
    if not resource.is_available:
        plan, why = repair(context.problem, previous)
        reasons = {
            operation_id: {
                "machine_unavailable": ScheduleChange.Reason.MACHINE_UNAVAILABLE,
                "predecessor_moved": ScheduleChange.Reason.PREDECESSOR_MOVED,
                "new": ScheduleChange.Reason.NEW,
            }[value]
            for operation_id, value in why.items()
        }
        reason = Schedule.Reason.MACHINE_DOWN
    else:
        repaired, _why = repair(context.problem, previous)
        plan = optimise(context.problem, seconds=MACHINE_UP_SECONDS, workers=8)
        if score(context.problem, repaired).key() < score(context.problem, plan).key():
            plan = repaired
        reasons = dict.fromkeys(context.operations, ScheduleChange.Reason.REOPTIMISED)
        reason = Schedule.Reason.MACHINE_UP
    check(context.problem, plan)
    return _save(
        context,
        plan,
        reasons=reasons,
        reason=reason,
        actor=None,
        started=started,
        machine_id=machine_id,
    )


def _lock() -> None:
    # One writer at a time: the current schedule's row (if any) is the lock.
    list(Schedule.objects.select_for_update().filter(is_current=True).values_list("pk"))


def _save(
    context: loader.Context,
    plan: Plan,
    *,
    reasons: dict,
    reason: str,
    actor,
    started: float,
    machine_id: int | None = None,
) -> Schedule:
    problem = context.problem
    result = score(problem, plan)
    previous_rows = {}
    if context.previous is not None:
        previous_rows = {
            context.carried.get(loader.row_key(row), loader.row_key(row)): row
            for row in ScheduledOperation.objects.filter(schedule=context.previous).select_related(
                "resource", "work_center"
            )
        }
        Schedule.objects.filter(pk=context.previous.pk).update(is_current=False)
    schedule = Schedule.objects.create(
        created_by=actor,
        reason=reason,
        machine_id=machine_id,
        origin=context.origin,
        method=plan.method[:32],
        is_current=True,
    )
    resources = {("m", r.machine_id): r for r in context.resources.values()}
    centers_of = {("m", r.machine_id): r.work_center_id for r in context.resources.values()}
    due_of = {job.id: job.due for job in problem.jobs}
    rows = []
    late = 0
    keys = []
    for operation_id, assignment in plan.assignments.items():
        step = context.operations[operation_id]
        machine = assignment.machine
        due = due_of[context.job_of[operation_id]]
        is_late = due is not None and assignment.end > due
        late += is_late
        keys.append(operation_id)
        if isinstance(step, loader.PlannedStep):
            which = {
                "planned_order": step.planned_order,
                "sequence": step.sequence,
                "name": step.name[:200],
            }
        else:
            which = {"operation": step, "sequence": step.sequence}
        rows.append(
            ScheduledOperation(
                schedule=schedule,
                **which,
                work_center_id=centers_of.get(machine, machine[1]),
                resource=resources.get(machine),
                slot=machine[2] if machine[0] == "wc" else 0,
                start=context.when(assignment.start),
                end=context.when(assignment.end),
                due=context.when(due) if due is not None else None,
                is_frozen=step.actual_machine_hours > 0,
                is_late=is_late,
            )
        )
    ScheduledOperation.objects.bulk_create(rows)
    changes, moved = [], []
    for key, row in zip(keys, rows, strict=True):
        old = previous_rows.get(key)
        label = row.machine_label
        if old is not None and old.start == row.start and old.machine_label == label:
            continue
        if old is None:
            why = ScheduleChange.Reason.NEW
        else:
            why = reasons.get(key, ScheduleChange.Reason.REOPTIMISED)
        changes.append(
            ScheduleChange(
                schedule=schedule,
                operation_id=row.operation_id,
                planned_order_id=row.planned_order_id,
                sequence=row.sequence,
                reason=why,
                from_machine=old.machine_label if old else "",
                to_machine=label,
                from_start=old.start if old else None,
                to_start=row.start,
            )
        )
        if row.operation_id is None:
            continue  # a planned order's operation: nothing on the shop floor follows it yet
        entry = {
            "production_order_operation_id": row.operation_id,
            "production_order_id": context.job_of[key],
            "start": row.start.isoformat(),
            "end": row.end.isoformat(),
            "reason": str(why),
        }
        if row.resource is not None:
            entry["machine_id"] = row.resource.machine_id
        else:
            entry["work_center_id"] = row.work_center_id
            entry["slot"] = row.slot
        moved.append(entry)
    ScheduleChange.objects.bulk_create(changes)
    slips = _flag_slips(schedule, context, plan)
    schedule.operation_count = len(rows)
    schedule.late_count = late
    schedule.weighted_tardiness_minutes = result.weighted_tardiness
    schedule.makespan_end = context.when(plan.makespan()) if rows else None
    schedule.moved_count = len(changes)
    schedule.seconds = Decimal(str(round(time.perf_counter() - started, 3)))
    schedule.save(
        update_fields=[
            "operation_count",
            "late_count",
            "weighted_tardiness_minutes",
            "makespan_end",
            "moved_count",
            "seconds",
        ]
    )
    if moved or slips:
        publish(
            topic=topics.schedule_changed,
            payload={
                "operations": moved,
                "slipped_sales_orders": [
                    {
                        "sales_order_id": slip.sales_order_line.order_id,
                        "sales_order_line_id": slip.sales_order_line_id,
                        "item_id": slip.sales_order_line.item_id,
                        "promised_date": slip.promised_date.isoformat(),
                        "expected_date": slip.expected_date.isoformat(),
                    }
                    for slip in slips
                ],
            },
        )
    return schedule


def _flag_slips(schedule: Schedule, context: loader.Context, plan: Plan) -> list[PromiseSlip]:
    """Lines of approved sales orders that the planned output now meets after their promise.

    Supply per item — stock on hand, then each order's output when its last operation ends —
    covers the open lines in promised-date order; a line whose cover comes after its promised
    date slipped: flagged, and its promised date moved to the date it can now be met.
    """
    finish: dict[int, list[tuple[dt.date, Decimal]]] = defaultdict(list)
    ends: dict = {}
    for operation_id, assignment in plan.assignments.items():
        job_id = context.job_of[operation_id]
        ends[job_id] = max(ends.get(job_id, 0), assignment.end)
    for job_id, end in ends.items():
        item_id, left = context.outputs[job_id]
        if left > 0:
            day = timezone.localtime(context.when(end)).date()
            finish[item_id].append((day, left))
    if not finish:
        return []
    on_hand = dict(
        StockBalance.objects.filter(item_id__in=finish)
        .values("item_id")
        .annotate(total=Sum("quantity"))
        .values_list("item_id", "total")
    )
    lines = (
        SalesOrderLine.objects.filter(
            item_id__in=finish,
            order__status=SalesOrder.Status.APPROVED,
            quantity__gt=F("delivered_quantity") + F("closed_quantity"),
        )
        .select_related("order")
        .order_by("promised_date", "order__promised_date", "pk")
    )
    by_item: dict[int, list[SalesOrderLine]] = defaultdict(list)
    for line in lines:
        by_item[line.item_id].append(line)
    slips = []
    for item_id, item_lines in by_item.items():
        supply = sorted(finish[item_id])
        stock = max(Decimal(0), on_hand.get(item_id) or Decimal(0))
        today = timezone.localdate()
        cover = [(today, stock), *supply] if stock else supply
        cumulative_supply, index, need = Decimal(0), 0, Decimal(0)
        for line in item_lines:
            need += line.quantity - line.delivered_quantity - line.closed_quantity
            while index < len(cover) and cumulative_supply < need:
                cumulative_supply += cover[index][1]
                index += 1
            if cumulative_supply < need:
                break  # not covered by stock or the schedule: a shortage for MRP, not a slip
            met = cover[index - 1][0] if index else today
            promised = line.promised_date or line.order.promised_date
            if promised is not None and met > promised:
                slips.append(
                    PromiseSlip(
                        schedule=schedule,
                        sales_order_line=line,
                        promised_date=promised,
                        expected_date=met,
                    )
                )
    PromiseSlip.objects.bulk_create(slips)
    for slip in slips:
        sales_order_line_promise_move(line=slip.sales_order_line, promised_date=slip.expected_date)
    return slips


# --- Calendars: maintenance windows, shifts, holidays ------------------------------------------

#: A maintenance window is at most this long (a longer stop is a machine down).
MAX_MAINTENANCE_DAYS = 31


@transaction.atomic
def maintenance_window_create(
    *,
    work_center: WorkCenter,
    start: dt.datetime,
    end: dt.datetime,
    machine_id: int | None = None,
    note: str = "",
) -> MaintenanceWindow:
    """Plan a stop of a work center (every machine) or of one of its machines.

    Refused: an end not after the start, a window over ``MAX_MAINTENANCE_DAYS`` days, a window
    already over, a machine the work center is not known to have. The next run plans around it.
    """
    errors: dict[str, str] = {}
    if start is None or end is None:
        errors["end" if start else "start"] = _("Give the start and the end.")
    elif end <= start:
        errors["end"] = _("The window ends after it starts.")
    elif end - start > dt.timedelta(days=MAX_MAINTENANCE_DAYS):
        errors["end"] = _("A maintenance window is at most %(days)s days.") % {
            "days": MAX_MAINTENANCE_DAYS
        }
    elif end <= timezone.now():
        errors["end"] = _("The window is over already.")
    if (
        machine_id is not None
        and not Resource.objects.filter(machine_id=machine_id, work_center=work_center).exists()
    ):
        errors["machine_id"] = _("The work center has no machine %(id)s.") % {"id": machine_id}
    if errors:
        raise ValidationError(errors)
    return MaintenanceWindow.objects.create(
        work_center=work_center,
        machine_id=machine_id,
        start=start,
        end=end,
        note=(note or "").strip()[:200],
    )


@transaction.atomic
def maintenance_window_delete(*, window: MaintenanceWindow) -> None:
    """Cancel a maintenance window (the next run may plan work in it)."""
    MaintenanceWindow.objects.filter(pk=window.pk).delete()


_WEEK_SECONDS = 7 * 24 * 3600


def _spans_overlap(first: tuple[int, int], second: tuple[int, int]) -> bool:
    # The week wraps: Sunday's night shift runs into Monday morning.
    return any(
        first[0] < second[1] + wrap and second[0] + wrap < first[1]
        for wrap in (-_WEEK_SECONDS, 0, _WEEK_SECONDS)
    )


@transaction.atomic
def work_center_shift_create(
    *, work_center: WorkCenter, weekday: int, start: dt.time, end: dt.time
) -> WorkCenterShift:
    """Add a shift to a work center's week (an end at or before the start: the next day).

    Refused: a weekday outside Monday (0) to Sunday (6), a second shift starting at the same
    time on the same day, a shift overlapping another of the work center's (a night shift
    overlaps the next morning's), since the hours would count twice in its weekly capacity.
    """
    errors: dict[str, str] = {}
    if weekday not in WorkCenterShift.Weekday.values:
        errors["weekday"] = _("A weekday is 0 (Monday) to 6 (Sunday).")
    else:
        span = shift_span(weekday, start, end)
        # The work center is locked, so that two planners adding shifts to it at once cannot
        # both miss an overlap.
        list(WorkCenter.objects.select_for_update().filter(pk=work_center.pk).values_list("pk"))
        for other in WorkCenterShift.objects.filter(work_center=work_center).order_by("pk"):
            if other.weekday == weekday and other.start == start:
                errors["start"] = _("The work center already has a shift starting then that day.")
                break
            if _spans_overlap(span, shift_span(other.weekday, other.start, other.end)):
                errors["end"] = _(
                    "The shift overlaps the work center's %(weekday)s shift %(start)s–%(end)s."
                ) % {
                    "weekday": other.get_weekday_display(),
                    "start": f"{other.start:%H:%M}",
                    "end": f"{other.end:%H:%M}",
                }
                break
    if errors:
        raise ValidationError(errors)
    return WorkCenterShift.objects.create(
        work_center=work_center, weekday=weekday, start=start, end=end
    )


@transaction.atomic
def work_center_shift_delete(*, shift: WorkCenterShift) -> None:
    """Remove a shift from a work center's week."""
    WorkCenterShift.objects.filter(pk=shift.pk).delete()


@transaction.atomic
def holiday_create(
    *, date: dt.date, work_center: WorkCenter | None = None, name: str = ""
) -> Holiday:
    """A day off, at every work center (``work_center`` empty) or at one. Refused: the same
    day twice for the same work center (or for all)."""
    if Holiday.objects.filter(date=date, work_center=work_center).exists():
        raise ValidationError({"date": _("This day is a holiday already.")})
    return Holiday.objects.create(
        date=date, work_center=work_center, name=(name or "").strip()[:100]
    )


@transaction.atomic
def holiday_delete(*, holiday: Holiday) -> None:
    """Make a holiday a working day again."""
    Holiday.objects.filter(pk=holiday.pk).delete()
