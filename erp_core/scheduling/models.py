"""The schedule: the machines it plans on, each run's operations, and what moved and why."""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext, pgettext_lazy


def _order_number(row) -> str:
    """A row's order: the production order's number, or a planned order's (its production
    order's number once it was released into one)."""
    if row.operation_id:
        return row.operation.order.number
    planned = row.planned_order
    if planned.production_order_id:
        return planned.production_order.number
    return pgettext("scheduling", "Planned order %(id)s") % {"id": planned.pk}


class Resource(models.Model):
    """A machine the scheduler plans on, as the shop floor last reported it.

    Machines belong to MES; the ERP learns them from ``mes.machine_state_changed`` (their id,
    work center and state) and keeps this table of them. A work center with no machine known
    here is planned on its ``WorkCenter.machines`` anonymous slots.
    """

    class State(models.TextChoices):
        RUNNING = "running", pgettext_lazy("scheduling", "Running")
        IDLE = "idle", pgettext_lazy("scheduling", "Idle")
        DOWN = "down", pgettext_lazy("scheduling", "Down")
        MAINTENANCE = "maintenance", pgettext_lazy("scheduling", "Maintenance")

    UNAVAILABLE = (State.DOWN, State.MAINTENANCE)

    machine_id = models.PositiveIntegerField(pgettext_lazy("scheduling", "machine"), unique=True)
    work_center = models.ForeignKey(
        "erp_core.WorkCenter",
        verbose_name=_("work center"),
        on_delete=models.PROTECT,
        related_name="scheduling_resources",
    )
    state = models.CharField(
        pgettext_lazy("scheduling", "state"), max_length=16, choices=State.choices
    )
    changed_at = models.DateTimeField(pgettext_lazy("scheduling", "state since"))

    class Meta:
        verbose_name = pgettext_lazy("scheduling", "machine (scheduling)")
        verbose_name_plural = pgettext_lazy("scheduling", "machines (scheduling)")
        ordering = ["work_center", "machine_id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=["running", "idle", "down", "maintenance"]),
                name="scheduling_resource_state_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"M{self.machine_id}"

    @property
    def is_available(self) -> bool:
        """False while the machine is down or in maintenance."""
        return self.state not in self.UNAVAILABLE


class MaintenanceWindow(models.Model):
    """A planned stop of a work center (all its machines) or of one machine."""

    work_center = models.ForeignKey(
        "erp_core.WorkCenter",
        verbose_name=_("work center"),
        on_delete=models.CASCADE,
        related_name="maintenance_windows",
    )
    machine_id = models.PositiveIntegerField(
        pgettext_lazy("scheduling", "machine"),
        null=True,
        blank=True,
        help_text=pgettext_lazy("scheduling", "Empty: every machine of the center."),
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("scheduling", "maintenance window")
        verbose_name_plural = pgettext_lazy("scheduling", "maintenance windows")
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="scheduling_maintenance_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.work_center} {self.start:%Y-%m-%d %H:%M}"


_DAY_SECONDS = 24 * 3600


def shift_span(weekday: int, start: dt.time, end: dt.time) -> tuple[int, int]:
    """A shift's start and end in seconds from Monday 00:00. An end at or before the start is
    the next day's, so a shift is never empty and a night shift ends on the next weekday."""
    begin = start.hour * 3600 + start.minute * 60 + start.second
    finish = end.hour * 3600 + end.minute * 60 + end.second
    length = finish - begin if finish > begin else finish - begin + _DAY_SECONDS
    return weekday * _DAY_SECONDS + begin, weekday * _DAY_SECONDS + begin + length


class WorkCenterShift(models.Model):
    """A shift a work center works on one weekday, from ``start`` to ``end`` local time.

    A shift whose end is not after its start runs past midnight into the next day. A work
    center with shifts works only in them; one without works its shifts per day back to back
    from 08:00 on its working days.
    """

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    work_center = models.ForeignKey(
        "erp_core.WorkCenter",
        verbose_name=_("work center"),
        on_delete=models.CASCADE,
        related_name="shifts",
    )
    weekday = models.PositiveSmallIntegerField(
        pgettext_lazy("scheduling", "weekday"), choices=Weekday.choices
    )
    start = models.TimeField(_("start"))
    end = models.TimeField(
        _("end"), help_text=pgettext_lazy("scheduling", "At or before the start: the next day.")
    )

    class Meta:
        verbose_name = pgettext_lazy("scheduling", "shift")
        verbose_name_plural = pgettext_lazy("scheduling", "shifts")
        ordering = ["work_center", "weekday", "start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weekday__gte=0, weekday__lte=6), name="scheduling_shift_weekday_valid"
            ),
            models.UniqueConstraint(
                fields=["work_center", "weekday", "start"], name="scheduling_shift_once"
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.work_center} {self.get_weekday_display()} {self.start:%H:%M}–{self.end:%H:%M}"
        )

    @property
    def crosses_midnight(self) -> bool:
        """The shift ends the next day (a night shift)."""
        return self.end <= self.start

    @property
    def hours(self) -> Decimal:
        """How long the shift is, in hours to the hundredth."""
        start, end = shift_span(self.weekday, self.start, self.end)
        return (Decimal(end - start) / 3600).quantize(Decimal("0.01"))


class Holiday(models.Model):
    """A day nobody works: at every work center, or at one (its shifts starting that day)."""

    date = models.DateField(_("date"))
    work_center = models.ForeignKey(
        "erp_core.WorkCenter",
        verbose_name=_("work center"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="holidays",
        help_text=pgettext_lazy("scheduling", "Empty: every work center."),
    )
    name = models.CharField(_("name"), max_length=100, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("scheduling", "holiday")
        verbose_name_plural = pgettext_lazy("scheduling", "holidays")
        ordering = ["date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["date", "work_center"], name="scheduling_holiday_once_per_center"
            ),
            models.UniqueConstraint(
                fields=["date"],
                condition=Q(work_center__isnull=True),
                name="scheduling_holiday_once_company_wide",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.name}".strip()


class Schedule(models.Model):
    """One run of the scheduler: the plan it made, how good it is and why it ran.

    The latest run is the current plan (``is_current``); older ones stay for the change log.
    """

    class Reason(models.TextChoices):
        RUN = "run", pgettext_lazy("scheduling", "Planner's run")
        MACHINE_DOWN = "machine_down", pgettext_lazy("scheduling", "Machine down")
        MACHINE_UP = "machine_up", pgettext_lazy("scheduling", "Machine back up")

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=16, choices=Reason.choices)
    machine_id = models.PositiveIntegerField(
        pgettext_lazy("scheduling", "machine"), null=True, blank=True
    )
    origin = models.DateTimeField(pgettext_lazy("scheduling", "planned from"))
    method = models.CharField(pgettext_lazy("scheduling", "method"), max_length=32)
    is_current = models.BooleanField(pgettext_lazy("scheduling", "current"), default=True)
    operation_count = models.PositiveIntegerField(
        pgettext_lazy("scheduling", "operations"), default=0
    )
    late_count = models.PositiveIntegerField(
        pgettext_lazy("scheduling", "late operations"), default=0
    )
    weighted_tardiness_minutes = models.PositiveBigIntegerField(
        pgettext_lazy("scheduling", "weighted tardiness (minutes)"), default=0
    )
    makespan_end = models.DateTimeField(
        pgettext_lazy("scheduling", "last operation ends"), null=True, blank=True
    )
    moved_count = models.PositiveIntegerField(
        pgettext_lazy("scheduling", "operations moved"), default=0
    )
    seconds = models.DecimalField(
        pgettext_lazy("scheduling", "seconds"), max_digits=8, decimal_places=3, default=0
    )

    class Meta:
        verbose_name = pgettext_lazy("scheduling", "schedule")
        verbose_name_plural = pgettext_lazy("scheduling", "schedules")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"],
                condition=Q(is_current=True),
                name="scheduling_one_current_schedule",
            ),
            models.CheckConstraint(
                condition=Q(seconds__gte=0), name="scheduling_schedule_seconds_not_negative"
            ),
        ]
        permissions = [
            ("run_schedule", pgettext_lazy("scheduling", "Can run and reschedule the schedule"))
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} {self.created_at:%Y-%m-%d %H:%M}"


class ScheduledOperation(models.Model):
    """Where and when one production order operation runs in a schedule.

    On a known machine (``resource``), else on an anonymous slot of the work center (``slot``).
    """

    schedule = models.ForeignKey(
        Schedule,
        verbose_name=pgettext_lazy("scheduling", "schedule"),
        on_delete=models.CASCADE,
        related_name="operations",
    )
    operation = models.ForeignKey(
        "production.ProductionOrderOperation",
        verbose_name=_("operation"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="scheduled",
    )
    planned_order = models.ForeignKey(
        "planning.PlannedOrder",
        verbose_name=_("planned order"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="scheduled",
        help_text=pgettext_lazy(
            "scheduling", "A firm planned order's operation, taken from the item's routing."
        ),
    )
    sequence = models.PositiveIntegerField(_("sequence"), default=0)
    name = models.CharField(_("name"), max_length=200, blank=True)
    work_center = models.ForeignKey(
        "erp_core.WorkCenter",
        verbose_name=_("work center"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    resource = models.ForeignKey(
        Resource,
        verbose_name=pgettext_lazy("scheduling", "machine"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    slot = models.PositiveSmallIntegerField(pgettext_lazy("scheduling", "slot"), default=0)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    due = models.DateTimeField(pgettext_lazy("scheduling", "due"), null=True, blank=True)
    is_frozen = models.BooleanField(pgettext_lazy("scheduling", "started (frozen)"), default=False)
    is_late = models.BooleanField(pgettext_lazy("scheduling", "late"), default=False)

    class Meta:
        verbose_name = pgettext_lazy("scheduling", "scheduled operation")
        verbose_name_plural = pgettext_lazy("scheduling", "scheduled operations")
        ordering = ["schedule", "start", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["schedule", "operation"], name="scheduling_operation_once_per_schedule"
            ),
            models.UniqueConstraint(
                fields=["schedule", "planned_order", "sequence"],
                condition=Q(planned_order__isnull=False),
                name="scheduling_planned_step_once_per_schedule",
            ),
            models.CheckConstraint(
                condition=Q(operation__isnull=False, planned_order__isnull=True)
                | Q(operation__isnull=True, planned_order__isnull=False),
                name="scheduling_operation_or_planned_order",
            ),
            models.CheckConstraint(
                condition=Q(end__gte=F("start")), name="scheduling_operation_end_after_start"
            ),
        ]
        indexes = [models.Index(fields=["schedule", "work_center", "start"])]

    def __str__(self) -> str:
        return f"{self.order_number} {self.step_label} {self.start:%Y-%m-%d %H:%M}"

    @property
    def order_number(self) -> str:
        """The production order's number; a planned order's once released, else its label."""
        return _order_number(self)

    @property
    def step_label(self) -> str:
        """The operation's sequence and name."""
        if self.operation_id:
            return str(self.operation)
        return f"{self.sequence} {self.name}".strip()

    @property
    def item_code(self) -> str:
        """The code of the item the order makes."""
        if self.operation_id:
            return self.operation.order.item.code
        return self.planned_order.item.code

    @property
    def machine_label(self) -> str:
        """The machine's name in the plan: M<id> or <work center>#<slot>."""
        if self.resource_id:
            return f"M{self.resource.machine_id}"
        return f"{self.work_center.code}#{self.slot + 1}"


class ScheduleChange(models.Model):
    """An operation a schedule moved against the plan before it, and why (the change log)."""

    class Reason(models.TextChoices):
        MACHINE_UNAVAILABLE = (
            "machine_unavailable",
            pgettext_lazy("scheduling", "Its machine is unavailable"),
        )
        PREDECESSOR_MOVED = (
            "predecessor_moved",
            pgettext_lazy("scheduling", "An earlier operation of the order moved"),
        )
        NEW = "new", pgettext_lazy("scheduling", "Newly scheduled")
        REOPTIMISED = "reoptimised", pgettext_lazy("scheduling", "Re-optimised")

    schedule = models.ForeignKey(
        Schedule,
        verbose_name=pgettext_lazy("scheduling", "schedule"),
        on_delete=models.CASCADE,
        related_name="changes",
    )
    operation = models.ForeignKey(
        "production.ProductionOrderOperation",
        verbose_name=_("operation"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    planned_order = models.ForeignKey(
        "planning.PlannedOrder",
        verbose_name=_("planned order"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    sequence = models.PositiveIntegerField(_("sequence"), default=0)
    reason = models.CharField(_("reason"), max_length=24, choices=Reason.choices)
    from_machine = models.CharField(
        pgettext_lazy("scheduling", "from machine"), max_length=40, blank=True
    )
    to_machine = models.CharField(pgettext_lazy("scheduling", "to machine"), max_length=40)
    from_start = models.DateTimeField(
        pgettext_lazy("scheduling", "from start"), null=True, blank=True
    )
    to_start = models.DateTimeField(pgettext_lazy("scheduling", "to start"))

    class Meta:
        verbose_name = pgettext_lazy("scheduling", "schedule change")
        verbose_name_plural = pgettext_lazy("scheduling", "schedule changes")
        ordering = ["schedule", "to_start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(operation__isnull=False, planned_order__isnull=True)
                | Q(operation__isnull=True, planned_order__isnull=False),
                name="scheduling_change_operation_or_planned_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order_number} {self.step_label}: {self.get_reason_display()}"

    @property
    def order_number(self) -> str:
        """The production order's number; a planned order's once released, else its label."""
        return _order_number(self)

    @property
    def step_label(self) -> str:
        """The operation's sequence and name."""
        if self.operation_id:
            return str(self.operation)
        return str(self.sequence)


class PromiseSlip(models.Model):
    """A sales order line the schedule now finishes after its promised date (a flagged slip)."""

    schedule = models.ForeignKey(
        Schedule,
        verbose_name=pgettext_lazy("scheduling", "schedule"),
        on_delete=models.CASCADE,
        related_name="slips",
    )
    sales_order_line = models.ForeignKey(
        "sales.SalesOrderLine",
        verbose_name=_("sales order line"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    promised_date = models.DateField(_("promised date"))
    expected_date = models.DateField(_("expected date"))

    class Meta:
        verbose_name = pgettext_lazy("scheduling", "promise slip")
        verbose_name_plural = pgettext_lazy("scheduling", "promise slips")
        ordering = ["schedule", "expected_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expected_date__gt=F("promised_date")),
                name="scheduling_slip_after_promise",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sales_order_line_id}: {self.promised_date} → {self.expected_date}"
