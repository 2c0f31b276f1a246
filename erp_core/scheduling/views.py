"""Staff pages of the schedule, /planning/schedule/: the Gantt per machine or per order, load vs
capacity per work center per day, what the last run moved and why, slipped promises, and a
button to run the scheduler; the maintenance windows; the work centers' shifts and holidays."""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from common.errors import DomainError
from common.forms import show_refusal
from erp_core.documents.views import error_text, staff_required
from erp_core.scheduling import selectors, services
from erp_core.scheduling.forms import HolidayForm, MaintenanceWindowForm, WorkCenterShiftForm

VIEW = "scheduling.view_schedule"
RUN = "scheduling.run_schedule"
VIEW_WINDOWS = "scheduling.view_maintenancewindow"
ADD_WINDOW = "scheduling.add_maintenancewindow"
DELETE_WINDOW = "scheduling.delete_maintenancewindow"
VIEW_SHIFTS = "scheduling.view_workcentershift"
VIEW_HOLIDAYS = "scheduling.view_holiday"
ADD_SHIFT = "scheduling.add_workcentershift"
DELETE_SHIFT = "scheduling.delete_workcentershift"
ADD_HOLIDAY = "scheduling.add_holiday"
DELETE_HOLIDAY = "scheduling.delete_holiday"
#: Shifts and holidays the calendar page lists at most (the API pages through all of them).
CALENDAR_LIMIT = 500
#: Operations drawn at most on the Gantt (the API pages through all of them).
GANTT_LIMIT = 2000
LOAD_DAYS = 14


def _gantt(schedule, by: str) -> dict:
    """Lanes (machines or orders) and bars for the chart."""
    rows: list[str] = []
    bars = []
    now = timezone.now()
    for row in selectors.scheduled_operation_list(schedule_id=schedule.pk)[:GANTT_LIMIT]:
        number = row.order_number
        machine = row.machine_label
        lane = machine if by == "machine" else number
        if lane not in rows:
            rows.append(lane)
        bars.append(
            {
                "lane": lane,
                "start": row.start.isoformat(),
                "end": row.end.isoformat(),
                "order": number,
                "item": row.item_code,
                "operation": row.step_label,
                "machine": machine,
                "late": row.is_late,
                "frozen": row.is_frozen,
                "planned": row.planned_order_id is not None,
                "due": row.due.isoformat() if row.due else None,
            }
        )
    rows.sort()
    return {"rows": rows, "bars": bars, "now": now.isoformat()}


@staff_required(VIEW)
def schedule_page(request: HttpRequest) -> HttpResponse:
    """The current plan: Gantt (``?by=machine|order``), load per day, changes and slips."""
    schedule = selectors.schedule_current()
    by = "order" if request.GET.get("by") == "order" else "machine"
    context = {
        "schedule": schedule,
        "by": by,
        "can_run": request.user.has_perm(RUN),
        "can_see_windows": request.user.has_perm(VIEW_WINDOWS),
        "can_see_calendar": request.user.has_perms((VIEW_SHIFTS, VIEW_HOLIDAYS)),
    }
    if schedule is not None:
        load = selectors.work_center_load(schedule=schedule, days=LOAD_DAYS)
        context.update(
            gantt=_gantt(schedule, by),
            load={
                "days": [day["date"].isoformat() for day in load[0]["days"]] if load else [],
                "centers": [
                    {
                        "name": f"{entry['work_center'].code} {entry['work_center'].name}",
                        "load": [day["load_hours"] for day in entry["days"]],
                        "capacity": [day["capacity_hours"] for day in entry["days"]],
                    }
                    for entry in load
                ],
            },
            changes=selectors.schedule_change_list(schedule_id=schedule.pk)[:100],
            slips=selectors.promise_slip_list(schedule_id=schedule.pk)[:100],
            history=selectors.schedule_list()[:10],
            late=selectors.scheduled_operation_list(schedule_id=schedule.pk).filter(is_late=True)[
                :50
            ],
        )
    return render(request, "scheduling/schedule.html", context)


@staff_required(VIEW, RUN)
@require_POST
def schedule_run_view(request: HttpRequest) -> HttpResponse:
    """Run the scheduler (the time limit from the form) and show the new plan."""
    try:
        schedule = services.schedule_run(
            actor=request.user, seconds=request.POST.get("seconds") or services.DEFAULT_SECONDS
        )
    except DomainError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(
            request,
            pgettext(
                "scheduling", "Scheduled %(count)s operations; %(late)s late, %(moved)s moved."
            )
            % {
                "count": schedule.operation_count,
                "late": schedule.late_count,
                "moved": schedule.moved_count,
            },
        )
    return redirect("scheduling:schedule")


@staff_required(VIEW_WINDOWS)
def maintenance_windows_page(request: HttpRequest) -> HttpResponse:
    """Upcoming maintenance windows; planners add one (the next run plans around it) or
    cancel one."""
    can_edit = request.user.has_perm(ADD_WINDOW)
    form = MaintenanceWindowForm(request.POST or None)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.maintenance_window_create(**form.cleaned_data)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(
                    request,
                    pgettext(
                        "scheduling",
                        "Maintenance window saved: run the scheduler to plan around it.",
                    ),
                )
                return redirect("scheduling:maintenance")
    context = {
        "form": form,
        "windows": selectors.maintenance_window_list(upcoming=True)[:200],
        "can_edit": can_edit,
        "can_delete": request.user.has_perm(DELETE_WINDOW),
        "can_see_calendar": request.user.has_perms((VIEW_SHIFTS, VIEW_HOLIDAYS)),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "scheduling/maintenance.html", context, status=status)


@staff_required(VIEW_WINDOWS, DELETE_WINDOW)
@require_POST
def maintenance_window_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel a maintenance window."""
    window = get_object_or_404(selectors.maintenance_window_list(), pk=pk)
    services.maintenance_window_delete(window=window)
    messages.success(request, pgettext("scheduling", "Maintenance window cancelled."))
    return redirect("scheduling:maintenance")


def _calendar_page(
    request: HttpRequest,
    *,
    shift_form: WorkCenterShiftForm | None = None,
    holiday_form: HolidayForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The calendar page: each work center's week of shifts (with its hours a week) and the
    holidays from today, beside the forms to add them."""
    user = request.user
    centers: dict[int, dict] = {}
    for shift in selectors.work_center_shift_list()[:CALENDAR_LIMIT]:
        center = centers.setdefault(
            shift.work_center_id,
            {"work_center": shift.work_center, "shifts": [], "hours": Decimal(0)},
        )
        center["shifts"].append(shift)
        center["hours"] += shift.hours
    week = list(centers.values())
    context = {
        "centers": week,
        "chart": {
            "centers": [f"{c['work_center'].code} {c['work_center'].name}" for c in week],
            "hours": [float(c["hours"]) for c in week],
        },
        "holidays": selectors.holiday_list(since=timezone.localdate())[:CALENDAR_LIMIT],
        "shift_form": shift_form or WorkCenterShiftForm(prefix="shift"),
        "holiday_form": holiday_form or HolidayForm(prefix="holiday"),
        "can_add_shift": user.has_perm(ADD_SHIFT),
        "can_delete_shift": user.has_perm(DELETE_SHIFT),
        "can_add_holiday": user.has_perm(ADD_HOLIDAY),
        "can_delete_holiday": user.has_perm(DELETE_HOLIDAY),
        "can_see_windows": user.has_perm(VIEW_WINDOWS),
    }
    return render(request, "scheduling/calendar.html", context, status=status)


@staff_required(VIEW_SHIFTS, VIEW_HOLIDAYS)
def calendar_page(request: HttpRequest) -> HttpResponse:
    """The work centers' shift patterns and the holidays; planners add and remove them (the
    next run plans in the new calendar)."""
    return _calendar_page(request)


def _calendar_add(request: HttpRequest, form_class, prefix: str, create, saved: str):
    """Add a row of the calendar through its service; a refusal shows on the form (400)."""
    form = form_class(request.POST, prefix=prefix)
    if form.is_valid():
        try:
            create(**form.cleaned_data)
        except ValidationError as exc:
            show_refusal(form, exc)
        else:
            messages.success(request, saved)
            return redirect("scheduling:calendar")
    return _calendar_page(request, **{f"{prefix}_form": form}, status=400)


@staff_required(VIEW_SHIFTS, VIEW_HOLIDAYS, ADD_SHIFT)
@require_POST
def shift_add_view(request: HttpRequest) -> HttpResponse:
    """Add a shift to a work center's week; a refusal shows on the form (400)."""
    saved = pgettext("scheduling", "Shift saved: the next scheduler run plans in it.")
    return _calendar_add(
        request, WorkCenterShiftForm, "shift", services.work_center_shift_create, saved
    )


@staff_required(VIEW_SHIFTS, DELETE_SHIFT)
@require_POST
def shift_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove a shift from a work center's week."""
    shift = get_object_or_404(selectors.work_center_shift_list(), pk=pk)
    services.work_center_shift_delete(shift=shift)
    messages.success(request, pgettext("scheduling", "Shift removed."))
    return redirect("scheduling:calendar")


@staff_required(VIEW_SHIFTS, VIEW_HOLIDAYS, ADD_HOLIDAY)
@require_POST
def holiday_add_view(request: HttpRequest) -> HttpResponse:
    """Add a holiday, at every work center or at one; a refusal shows on the form (400)."""
    saved = pgettext("scheduling", "Holiday saved: the next scheduler run skips it.")
    return _calendar_add(request, HolidayForm, "holiday", services.holiday_create, saved)


@staff_required(VIEW_HOLIDAYS, DELETE_HOLIDAY)
@require_POST
def holiday_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Make a holiday a working day again."""
    holiday = get_object_or_404(selectors.holiday_list(), pk=pk)
    services.holiday_delete(holiday=holiday)
    messages.success(request, pgettext("scheduling", "Holiday removed."))
    return redirect("scheduling:calendar")
