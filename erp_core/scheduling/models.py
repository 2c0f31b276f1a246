"""The schedule: the machines it plans on, each run's operations, and what moved and why."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


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
        related_name="scheduled",
    )
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
            models.CheckConstraint(
                condition=Q(end__gte=F("start")), name="scheduling_operation_end_after_start"
            ),
        ]
        indexes = [models.Index(fields=["schedule", "work_center", "start"])]

    def __str__(self) -> str:
        return f"{self.operation_id} {self.start:%Y-%m-%d %H:%M}"

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
        related_name="+",
    )
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

    def __str__(self) -> str:
        return f"{self.operation_id}: {self.get_reason_display()}"


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
