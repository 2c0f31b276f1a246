"""Work orders and their operations: the shop floor's copy of a released production order.

MES makes a work order when the ERP releases a production order whose routing runs on a work
center that has machines in MES, with one operation per operation of the order's routing
snapshot (``ProductionOrderOperation``). Each operation is queued on a machine of its work
center, in the order of the ERP's schedule (``erp.schedule_changed``), else of the due date.
The operator starts, pauses, resumes and finishes it, and reports good and scrap quantities;
the time each run took is kept (``OperationRun``) and booked in the ERP through an event.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mes.choices import WorkOperationStatus, WorkOrderStatus

QUANTITY = {"max_digits": 18, "decimal_places": 6}
HOURS = {"max_digits": 18, "decimal_places": 6}
ZERO = Decimal("0")


class WorkOrder(models.Model):
    """The shop floor's side of a released production order.

    Status: released → in progress (first operation started) → done (last operation finished);
    cancelled when the ERP takes the release back after something was recorded here (with
    nothing recorded, the work order is deleted).
    """

    Status = WorkOrderStatus

    class Staging(models.TextChoices):
        NONE = "", _("Not staged")
        OPERATOR = "operator", _("Confirmed by the operator")
        WMS = "wms", _("Staged by the warehouse")

    production_order = models.OneToOneField(
        "production.ProductionOrder",
        verbose_name=_("production order"),
        on_delete=models.PROTECT,
        related_name="mes_work_order",
    )
    item = models.ForeignKey(
        "erp_core.Item", verbose_name=_("item"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.DecimalField(_("quantity"), **QUANTITY)
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status, default=Status.RELEASED, db_index=True
    )
    staged = models.CharField(
        _("material staged"), max_length=16, choices=Staging, default=Staging.NONE, blank=True
    )
    staged_at = models.DateTimeField(_("staged at"), null=True, blank=True)
    staged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staged by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("work order")
        verbose_name_plural = _("work orders")
        ordering = ["due_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["released", "in_progress", "done", "cancelled"]),
                name="mes_work_order_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="mes_work_order_quantity_positive"
            ),
            models.CheckConstraint(
                condition=Q(staged__in=["", "operator", "wms"]),
                name="mes_work_order_staged_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        """The production order's number (the work order has none of its own)."""
        return self.production_order.number

    @property
    def is_open(self) -> bool:
        """Released or in progress: the shop floor may still work on it."""
        return self.status in (self.Status.RELEASED, self.Status.IN_PROGRESS)


class WorkOperation(models.Model):
    """An operation of a work order, queued on a machine of its work center.

    Status: waiting → running ⇄ paused → done. Good and scrap are what the operator reported.
    """

    Status = WorkOperationStatus

    work_order = models.ForeignKey(
        WorkOrder,
        verbose_name=_("work order"),
        on_delete=models.CASCADE,
        related_name="operations",
    )
    production_order_operation = models.OneToOneField(
        "production.ProductionOrderOperation",
        verbose_name=_("production order operation"),
        # The ERP rebuilds the snapshot of an order taken back to planned: a cancelled work
        # order keeps its operations without the link.
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mes_operation",
    )
    sequence = models.PositiveIntegerField(_("sequence"))
    name = models.CharField(_("name"), max_length=200, blank=True)
    work_center = models.ForeignKey(
        "erp_core.WorkCenter",
        verbose_name=_("work center"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    machine = models.ForeignKey(
        "mes.Machine",
        verbose_name=_("machine"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="operations",
    )
    planned_start = models.DateTimeField(_("planned start"), null=True, blank=True)
    planned_end = models.DateTimeField(_("planned end"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status, default=Status.WAITING, db_index=True
    )
    quantity_good = models.DecimalField(_("good quantity"), **QUANTITY, default=ZERO)
    quantity_scrap = models.DecimalField(_("scrap quantity"), **QUANTITY, default=ZERO)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("work operation")
        verbose_name_plural = _("work operations")
        ordering = ["work_order", "sequence"]
        permissions = [
            ("run_workoperation", _("Can run operations on the operator terminal")),
            (
                "override_workoperation",
                _("Can start an operation before its predecessor or its material, with a reason"),
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["work_order", "sequence"], name="mes_work_operation_sequence_unique"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["waiting", "running", "paused", "done"]),
                name="mes_work_operation_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(quantity_good__gte=0) & Q(quantity_scrap__gte=0),
                name="mes_work_operation_quantities_not_negative",
            ),
        ]
        indexes = [
            models.Index(fields=["machine", "status"], name="mes_operation_machine_status"),
        ]

    def __str__(self) -> str:
        return f"{self.work_order_id}/{self.sequence} {self.name}".strip()


class OperationRun(models.Model):
    """A stretch of time an operation ran on a machine (from start or resume to pause or
    finish); its hours are booked on the ERP's operation when it ends."""

    operation = models.ForeignKey(
        WorkOperation, verbose_name=_("operation"), on_delete=models.CASCADE, related_name="runs"
    )
    machine = models.ForeignKey(
        "mes.Machine", verbose_name=_("machine"), on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(_("started at"))
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    hours = models.DecimalField(_("hours"), **HOURS, default=ZERO)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("operation run")
        verbose_name_plural = _("operation runs")
        ordering = ["operation", "started_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gte=0), name="mes_run_hours_not_negative"),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
                name="mes_run_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["operation"],
                condition=Q(ended_at__isnull=True),
                name="mes_run_one_open_per_operation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.operation_id}: {self.started_at:%Y-%m-%d %H:%M}"


class OperationReport(models.Model):
    """Good and scrap quantities an operator reported on an operation."""

    class ScrapReason(models.TextChoices):
        NONE = "", _("No scrap")
        MATERIAL = "material", _("Material defect")
        MACHINE = "machine", _("Machine fault")
        SETUP = "setup", _("Setup")
        OPERATOR = "operator", _("Handling error")
        QUALITY = "quality", _("Out of tolerance")
        OTHER = "other", _("Other")

    operation = models.ForeignKey(
        WorkOperation,
        verbose_name=_("operation"),
        on_delete=models.CASCADE,
        related_name="reports",
    )
    quantity_good = models.DecimalField(_("good quantity"), **QUANTITY, default=ZERO)
    quantity_scrap = models.DecimalField(_("scrap quantity"), **QUANTITY, default=ZERO)
    scrap_reason = models.CharField(
        _("scrap reason"), max_length=16, choices=ScrapReason, default="", blank=True
    )
    output_lot = models.ForeignKey(
        "mes.ProductionLot",
        verbose_name=_("output lot"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
    )
    reported_at = models.DateTimeField(_("reported at"), auto_now_add=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("operation report")
        verbose_name_plural = _("operation reports")
        ordering = ["operation", "reported_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity_good__gte=0) & Q(quantity_scrap__gte=0),
                name="mes_report_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(quantity_good__gt=0) | Q(quantity_scrap__gt=0),
                name="mes_report_some_quantity",
            ),
            models.CheckConstraint(
                condition=Q(quantity_scrap=0) | ~Q(scrap_reason=""),
                name="mes_report_scrap_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.operation_id}: {self.quantity_good} + {self.quantity_scrap}"


class OperationOverride(models.Model):
    """A supervisor let an operation start against a rule (its predecessor not done, its
    material not staged): who, when, which rule and why."""

    class Rule(models.TextChoices):
        PREDECESSOR = "predecessor", _("Predecessor not finished")
        MATERIAL = "material", _("Material not staged")

    operation = models.ForeignKey(
        WorkOperation,
        verbose_name=_("operation"),
        on_delete=models.CASCADE,
        related_name="overrides",
    )
    rule = models.CharField(_("rule"), max_length=16, choices=Rule)
    reason = models.CharField(_("reason"), max_length=255)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("overridden by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    overridden_at = models.DateTimeField(_("overridden at"), auto_now_add=True)

    class Meta:
        verbose_name = _("operation override")
        verbose_name_plural = _("operation overrides")
        ordering = ["-overridden_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rule__in=["predecessor", "material"]),
                name="mes_override_rule_valid",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="mes_override_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.operation_id}: {self.rule}"
