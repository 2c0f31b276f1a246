"""Django admin of the schedule: runs, their operations and changes are read-only (the services
write them); maintenance windows are kept here, and machines' states are shown as MES reported
them."""

from django.contrib import admin

from common.admin import ReadOnlyAdminMixin
from erp_core.scheduling.models import (
    Holiday,
    MaintenanceWindow,
    PromiseSlip,
    Resource,
    Schedule,
    ScheduleChange,
    ScheduledOperation,
    WorkCenterShift,
)


class ScheduleChangeInline(ReadOnlyAdminMixin, admin.TabularInline):
    """What the run moved and why."""

    model = ScheduleChange
    extra = 0
    fields = (
        "operation",
        "planned_order",
        "sequence",
        "reason",
        "from_machine",
        "from_start",
        "to_machine",
        "to_start",
    )


@admin.register(Schedule)
class ScheduleAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Runs of the scheduler, newest first."""

    list_display = (
        "created_at",
        "reason",
        "machine_id",
        "is_current",
        "operation_count",
        "late_count",
        "moved_count",
        "makespan_end",
        "method",
        "seconds",
    )
    list_filter = ("reason", "is_current")
    date_hierarchy = "created_at"
    inlines = [ScheduleChangeInline]


@admin.register(ScheduledOperation)
class ScheduledOperationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Where and when each operation runs, per schedule."""

    list_display = (
        "operation",
        "planned_order",
        "schedule",
        "work_center",
        "resource",
        "slot",
        "start",
        "end",
    )
    list_filter = ("is_late", "is_frozen", "work_center")
    list_select_related = ("operation", "planned_order", "schedule", "work_center", "resource")
    search_fields = ("operation__order__number",)
    raw_id_fields = ("operation", "planned_order", "schedule")


@admin.register(ScheduleChange)
class ScheduleChangeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The change log of every run."""

    list_display = (
        "operation",
        "planned_order",
        "schedule",
        "reason",
        "from_machine",
        "to_machine",
        "to_start",
    )
    list_filter = ("reason",)
    list_select_related = ("operation", "planned_order", "schedule")
    search_fields = ("operation__order__number",)


@admin.register(PromiseSlip)
class PromiseSlipAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Sales order lines a run found late against their promise."""

    list_display = ("sales_order_line", "schedule", "promised_date", "expected_date")
    list_select_related = ("sales_order_line__order", "schedule")
    search_fields = ("sales_order_line__order__number",)


@admin.register(Resource)
class ResourceAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Machines as MES last reported them (written by the receiver only)."""

    list_display = ("machine_id", "work_center", "state", "changed_at")
    list_filter = ("state", "work_center")
    search_fields = ("machine_id",)


@admin.register(MaintenanceWindow)
class MaintenanceWindowAdmin(admin.ModelAdmin):
    """Planned stops of a work center or one of its machines; the next run plans around them."""

    list_display = ("work_center", "machine_id", "start", "end", "note")
    list_filter = ("work_center",)
    search_fields = ("note", "work_center__code")
    date_hierarchy = "start"


@admin.register(WorkCenterShift)
class WorkCenterShiftAdmin(admin.ModelAdmin):
    """The shifts each work center works in a week; a work center without any works its
    shifts per day back to back from 08:00 on its working days."""

    list_display = ("work_center", "weekday", "start", "end")
    list_filter = ("work_center", "weekday")
    search_fields = ("work_center__code", "work_center__name")


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    """Days off, company-wide (no work center) or of one work center."""

    list_display = ("date", "name", "work_center")
    list_filter = ("work_center",)
    search_fields = ("name",)
    date_hierarchy = "date"
