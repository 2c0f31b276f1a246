"""Reads of MES's machines, devices, events, downtime and OEE, for pages, API and services."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import (
    Case,
    Count,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.utils import timezone

from mes.models import Downtime, Machine, MachineCycleTime, MachineDevice, MachineEvent
from mes.oee import Figures, Shift, run_seconds, shifts_of_day

Kind = MachineEvent.Kind


def day_start() -> time:
    """When a work center's first shift starts (``MES_DAY_START``, ``08:00`` by default)."""
    return time.fromisoformat(getattr(settings, "MES_DAY_START", "08:00"))


def machine_list(
    *, search: str = "", work_center_id: int | None = None, state: str = ""
) -> QuerySet:
    """Machines with their work center, open downtime's reason and cycle-time count."""
    open_downtime = Downtime.objects.filter(machine=OuterRef("pk"), ended_at__isnull=True)
    rows = (
        Machine.objects.select_related("work_center")
        .annotate(
            cycle_time_count=Count("cycle_times", distinct=True),
            open_reason=Subquery(open_downtime.order_by("-started_at").values("reason")[:1]),
        )
        .order_by("code")
    )
    if search:
        rows = rows.filter(Q(code__icontains=search) | Q(name__icontains=search))
    if work_center_id:
        rows = rows.filter(work_center_id=work_center_id)
    if state:
        rows = rows.filter(state=state)
    return rows


def machine_get(*, pk: int) -> Machine | None:
    """One machine with its work center."""
    return Machine.objects.select_related("work_center").filter(pk=pk).first()


def cycle_time_list(*, machine_id: int | None = None) -> QuerySet:
    """Ideal cycle times with their machine and item."""
    rows = MachineCycleTime.objects.select_related("machine", "item", "item__unit")
    return rows.filter(machine_id=machine_id) if machine_id else rows


def device_list() -> QuerySet:
    """Devices with the codes of their machines."""
    return MachineDevice.objects.prefetch_related("machines").order_by("name")


def event_list(*, machine_id: int | None = None, kind: str = "") -> QuerySet:
    """Machine events, latest first."""
    rows = MachineEvent.objects.select_related("machine", "device", "item").order_by(
        "-occurred_at", "-id"
    )
    if machine_id:
        rows = rows.filter(machine_id=machine_id)
    if kind:
        rows = rows.filter(kind=kind)
    return rows


def downtime_list(
    *,
    machine_id: int | None = None,
    reason: str | None = None,
    open_only: bool = False,
    since: datetime | None = None,
) -> QuerySet:
    """Downtime records, latest first; ``reason=""`` lists those without a reason."""
    rows = Downtime.objects.select_related(
        "machine", "machine__work_center", "reason_corrected_by"
    ).order_by("-started_at", "-id")
    if machine_id:
        rows = rows.filter(machine_id=machine_id)
    if reason is not None:
        rows = rows.filter(reason=reason)
    if open_only:
        rows = rows.filter(ended_at__isnull=True)
    if since is not None:
        rows = rows.filter(Q(ended_at__isnull=True) | Q(ended_at__gt=since))
    return rows


# --- OEE ----------------------------------------------------------------------------------------


@dataclass
class OEERow:
    """OEE of one machine over one shift (``shift`` ≥ 1) or one day (``shift`` None)."""

    machine: Machine
    day: date
    shift: int | None
    start: datetime
    end: datetime
    figures: Figures


def _shifts(machine: Machine, first: date, last: date) -> list[Shift]:
    center = machine.work_center
    tz = timezone.get_current_timezone()
    shifts: list[Shift] = []
    day = first
    while day <= last:
        shifts += shifts_of_day(
            day=day,
            shifts_per_day=center.shifts_per_day,
            hours_per_shift=center.hours_per_shift,
            working_days=center.working_days,
            day_start=day_start(),
            tz=tz,
        )
        day += timedelta(days=1)
    return shifts


def oee_rows(
    *,
    machines: list[Machine],
    first: date,
    last: date,
    by: str = "day",
    now: datetime | None = None,
) -> list[OEERow]:
    """OEE per machine per shift (``by="shift"``) or per day, for the days ``first``…``last``.

    Four queries whatever the number of machines and days: the state at the start, the state
    changes in the range, the counters summed per machine × item × shift, the cycle times.
    """
    now = now or timezone.now()
    windows: dict[int, list[Shift]] = {m.pk: _shifts(m, first, last) for m in machines}
    spans = [s for shifts in windows.values() for s in shifts if s.start < now]
    if not spans:
        return []
    start = min(s.start for s in spans)
    end = min(max(s.end for s in spans), now)
    ids = [m.pk for m in machines]
    by_id = {m.pk: m for m in machines}
    state_events = MachineEvent.objects.filter(kind=Kind.STATE)
    at_start = dict(
        Machine.objects.filter(pk__in=ids)
        .annotate(
            first_state=Subquery(
                state_events.filter(machine=OuterRef("pk"), occurred_at__lt=start)
                .order_by("-occurred_at", "-id")
                .values("state")[:1]
            )
        )
        .values_list("pk", "first_state")
    )
    changes: dict[int, list[tuple[datetime, str]]] = defaultdict(list)
    for machine_id, at, state in (
        state_events.filter(machine_id__in=ids, occurred_at__gte=start, occurred_at__lt=end)
        .order_by("occurred_at", "id")
        .values_list("machine_id", "occurred_at", "state")
    ):
        changes[machine_id].append((at, state))
    # Each counter reading falls in one shift of its machine's work center: a CASE numbers the
    # work centers' shifts (machines of a work center share its calendar), the rows are summed
    # per shift × machine × item.
    index: list[tuple[int, Shift]] = []
    center_shifts: dict[tuple[int, datetime], int] = {}
    whens: list[When] = []
    for machine in machines:
        for shift in windows[machine.pk]:
            if shift.start >= now:
                continue
            key = (machine.work_center_id, shift.start)
            if key not in center_shifts:
                center_shifts[key] = len(whens)
                whens.append(
                    When(
                        machine__work_center_id=machine.work_center_id,
                        occurred_at__gte=shift.start,
                        occurred_at__lt=shift.end,
                        then=Value(len(whens)),
                    )
                )
            index.append((machine.pk, shift))
    position = {
        (machine_id, center_shifts[(by_id[machine_id].work_center_id, shift.start)]): n
        for n, (machine_id, shift) in enumerate(index)
    }
    sums = (
        MachineEvent.objects.filter(
            kind=Kind.COUNTER, machine_id__in=ids, occurred_at__gte=start, occurred_at__lt=end
        )
        .annotate(window=Case(*whens, default=Value(-1), output_field=IntegerField()))
        .exclude(window=-1)
        .values("window", "machine_id", "item_id")
        .annotate(good=Sum("good_delta"), scrap=Sum("scrap_delta"))
        .order_by()
    )
    cycles = {
        (machine_id, item_id): seconds
        for machine_id, item_id, seconds in MachineCycleTime.objects.filter(
            machine_id__in=ids
        ).values_list("machine_id", "item_id", "seconds_per_unit")
    }
    by_machine = by_id
    figures: dict[int, Figures] = {}
    for n, (machine_id, shift) in enumerate(index):
        shift_end = min(shift.end, now)
        figures[n] = Figures(
            planned=Decimal(str((shift_end - shift.start).total_seconds())),
            run=run_seconds(
                state_at_start=at_start.get(machine_id),
                changes=changes.get(machine_id, ()),
                start=shift.start,
                end=shift_end,
            ),
        )
    for row in sums:
        machine_id = row["machine_id"]
        n = position[(machine_id, row["window"])]
        fig = figures[n]
        good, scrap = row["good"] or 0, row["scrap"] or 0
        fig.good += good
        fig.scrap += scrap
        if good + scrap:
            cycle = (
                cycles.get((machine_id, row["item_id"]))
                or by_machine[machine_id].ideal_cycle_seconds
            )
            if cycle is None:
                fig.cycle_known = False
            else:
                fig.ideal += cycle * (good + scrap)
    rows: list[OEERow] = []
    if by == "shift":
        for n, (machine_id, shift) in enumerate(index):
            rows.append(
                OEERow(by_machine[machine_id], shift.day, shift.number, shift.start,
                       min(shift.end, now), figures[n])
            )  # fmt: skip
    else:
        days: dict[tuple[int, date], OEERow] = {}
        for n, (machine_id, shift) in enumerate(index):
            day_key = (machine_id, shift.day)
            if day_key not in days:
                days[day_key] = OEERow(
                    by_machine[machine_id], shift.day, None, shift.start, shift.end, Figures()
                )
            days[day_key].end = min(shift.end, now)
            days[day_key].figures.add(figures[n])
        rows = list(days.values())
    rows.sort(key=lambda r: (r.machine.code, r.day, r.shift or 0))
    return rows


def downtime_pareto(
    *, machine_ids: list[int] | None, start: datetime, end: datetime
) -> list[tuple[str, Decimal]]:
    """Minutes of downtime by reason between ``start`` and ``end`` (clipped), longest first;
    records without a reason count under ``""``."""
    rows = Downtime.objects.filter(started_at__lt=end).filter(
        Q(ended_at__isnull=True) | Q(ended_at__gt=start)
    )
    if machine_ids is not None:
        rows = rows.filter(machine_id__in=machine_ids)
    now = timezone.now()
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for reason, began, ended in rows.values_list("reason", "started_at", "ended_at"):
        clipped = min(ended or now, end, now) - max(began, start)
        if clipped.total_seconds() > 0:
            totals[reason] += Decimal(str(clipped.total_seconds())) / 60
    return sorted(
        ((reason, minutes.quantize(Decimal("0.1"))) for reason, minutes in totals.items()),
        key=lambda pair: -pair[1],
    )
