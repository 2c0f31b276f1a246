"""Reads of the schedule: runs, their operations, the change log, slips, load per day."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone

from erp_core.masterdata.models import WorkCenter
from erp_core.scheduling.models import (
    Holiday,
    MaintenanceWindow,
    PromiseSlip,
    Schedule,
    ScheduleChange,
    ScheduledOperation,
    WorkCenterShift,
)


def schedule_list() -> QuerySet[Schedule]:
    """Every run, newest first, with who ran it."""
    return Schedule.objects.select_related("created_by").order_by("-created_at", "-pk")


def schedule_current() -> Schedule | None:
    """The current plan, if the scheduler ever ran."""
    return Schedule.objects.filter(is_current=True).first()


def scheduled_operation_list(
    *, schedule_id: int | None = None, every: bool = False
) -> QuerySet[ScheduledOperation]:
    """Operations of a schedule (the current one when none is given; ``every``: of all) with
    their order, item, work center and machine, by start."""
    queryset = ScheduledOperation.objects.select_related(
        "operation__order__item",
        "planned_order__item",
        "planned_order__production_order",
        "work_center",
        "resource",
        "schedule",
    ).order_by("start", "pk")
    if every:
        return queryset
    if schedule_id is None:
        return queryset.filter(schedule__is_current=True)
    return queryset.filter(schedule_id=schedule_id)


def schedule_change_list(
    *, schedule_id: int | None = None, every: bool = False
) -> QuerySet[ScheduleChange]:
    """What a schedule moved and why (the current one's when none is given)."""
    queryset = ScheduleChange.objects.select_related(
        "operation__order", "planned_order__production_order", "schedule"
    ).order_by("-schedule__created_at", "to_start", "pk")
    if every:
        return queryset
    if schedule_id is None:
        return queryset.filter(schedule__is_current=True)
    return queryset.filter(schedule_id=schedule_id)


def promise_slip_list(
    *, schedule_id: int | None = None, every: bool = False
) -> QuerySet[PromiseSlip]:
    """Sales order lines whose promise a schedule found slipped."""
    queryset = PromiseSlip.objects.select_related(
        "sales_order_line__order__customer", "sales_order_line__item", "schedule"
    ).order_by("expected_date", "pk")
    if every:
        return queryset
    if schedule_id is None:
        return queryset.filter(schedule__is_current=True)
    return queryset.filter(schedule_id=schedule_id)


def work_center_load(*, schedule: Schedule, days: int = 14) -> list[dict]:
    """Planned hours vs capacity hours per work center per day, from today for ``days`` days.

    An operation's hours count on the day(s) it runs, split at midnight. Capacity is the work
    center's machines × shifts × hours on its working days.
    """
    today = timezone.localdate()
    last = today + dt.timedelta(days=days)
    load: dict[int, dict[dt.date, float]] = defaultdict(lambda: defaultdict(float))
    rows = ScheduledOperation.objects.filter(schedule=schedule).values_list(
        "work_center_id", "start", "end"
    )
    for center_id, start, end in rows:
        cursor = timezone.localtime(start)
        end = timezone.localtime(end)
        while cursor < end:
            midnight = timezone.make_aware(
                dt.datetime.combine(cursor.date() + dt.timedelta(days=1), dt.time(0)),
                timezone.get_current_timezone(),
            )
            piece_end = min(end, midnight)
            if today <= cursor.date() < last:
                load[center_id][cursor.date()] += (piece_end - cursor).total_seconds() / 3600
            cursor = piece_end
    centers = WorkCenter.objects.filter(pk__in=load.keys()).order_by("code")
    result = []
    for center in centers:
        per_day = []
        for offset in range(days):
            day = today + dt.timedelta(days=offset)
            capacity = center.capacity_hours_per_day if center.is_working_day(day) else Decimal(0)
            per_day.append(
                {
                    "date": day,
                    "load_hours": round(load[center.pk].get(day, 0.0), 2),
                    "capacity_hours": float(capacity),
                }
            )
        result.append({"work_center": center, "days": per_day})
    return result


def maintenance_window_list(*, upcoming: bool = False) -> QuerySet[MaintenanceWindow]:
    """Maintenance windows by start with their work center (``upcoming``: not over yet)."""
    queryset = MaintenanceWindow.objects.select_related("work_center").order_by("start", "pk")
    if upcoming:
        queryset = queryset.filter(end__gt=timezone.now())
    return queryset


def work_center_shift_list() -> QuerySet[WorkCenterShift]:
    """Every work center's shifts, by work center, weekday and start."""
    return WorkCenterShift.objects.select_related("work_center").order_by(
        "work_center__code", "weekday", "start", "pk"
    )


def holiday_list(*, since: dt.date | None = None) -> QuerySet[Holiday]:
    """Holidays by date, with the work center when one is named (``since``: from that day)."""
    queryset = Holiday.objects.select_related("work_center").order_by("date", "pk")
    if since is not None:
        queryset = queryset.filter(date__gte=since)
    return queryset
