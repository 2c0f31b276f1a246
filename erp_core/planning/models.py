"""Planning's tables: forecasts, MRP runs and what a run proposes — planned orders with their
pegs, the pegs of open supply, exception messages and shortages.

A run's output is written in bulk by ``erp_core.planning.services``; planned orders are the
planner's to firm and release (into purchase requisitions and production orders).
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common.limits import POSITIVE_QUANTITY_LIMITS
from erp_core.documents.models import QUANTITY

ZERO = Decimal(0)


class Forecast(models.Model):
    """Expected sales of an item over a period; the period's confirmed sales orders consume it."""

    item = models.ForeignKey(
        "erp_core.Item", verbose_name=_("item"), on_delete=models.PROTECT, related_name="+"
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    quantity = models.DecimalField(_("quantity"), **QUANTITY, validators=POSITIVE_QUANTITY_LIMITS)
    memo = models.CharField(_("memo"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("forecast")
        verbose_name_plural = _("forecasts")
        ordering = ["item__code", "period_start"]
        constraints = [
            models.UniqueConstraint(fields=["item", "period_start"], name="forecast_item_period"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="forecast_quantity_positive"),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="forecast_period_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_id} {self.period_start}–{self.period_end}: {self.quantity}"


class MrpRun(models.Model):
    """One MRP run: regenerative (every item) or net change (the items below a changed one).

    Only one run is queued or running at a time (a partial unique constraint on ``lock``).
    """

    class Kind(models.TextChoices):
        REGENERATIVE = "regenerative", _("Regenerative")
        NET_CHANGE = "net_change", _("Net change")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    ACTIVE = (Status.QUEUED, Status.RUNNING)

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    lock = models.CharField(max_length=8, default="mrp", editable=False)
    progress = models.PositiveSmallIntegerField(_("progress %"), default=0)
    stage = models.CharField(_("stage"), max_length=16, blank=True)
    plan_date = models.DateField(_("plan date"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    items_planned = models.PositiveIntegerField(_("items planned"), default=0)
    planned_order_count = models.PositiveIntegerField(_("planned orders"), default=0)
    exception_count = models.PositiveIntegerField(_("exception messages"), default=0)
    shortage_count = models.PositiveIntegerField(_("shortages"), default=0)
    error_code = models.CharField(_("error"), max_length=32, blank=True)
    error_args = models.JSONField(_("error details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("MRP run")
        verbose_name_plural = _("MRP runs")
        ordering = ["-created_at", "-id"]
        permissions = [("run_mrp", _("Can start MRP runs"))]
        constraints = [
            models.UniqueConstraint(
                fields=["lock"],
                condition=Q(status__in=["queued", "running"]),
                name="mrp_run_one_active",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["queued", "running", "done", "failed"]),
                name="mrp_run_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["regenerative", "net_change"]), name="mrp_run_kind_valid"
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="mrp_run_progress_max"),
        ]

    def __str__(self) -> str:
        return f"MRP {self.pk} {self.get_kind_display()} {self.get_status_display()}"

    @property
    def is_active(self) -> bool:
        """Queued or running: a page polls its progress."""
        return self.status in self.ACTIVE


class PlannedOrder(models.Model):
    """An order MRP proposes: buy or make ``quantity`` of ``item``, start to due date.

    planned → firm (the planner fixes it: later runs keep it) → released (a purchase
    requisition line or a production order was made from it).
    """

    class Kind(models.TextChoices):
        BUY = "buy", _("Buy")
        MAKE = "make", _("Make")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        FIRM = "firm", _("Firm")
        RELEASED = "released", _("Released")

    run = models.ForeignKey(
        MrpRun, verbose_name=_("MRP run"), on_delete=models.CASCADE, related_name="planned_orders"
    )
    item = models.ForeignKey(
        "erp_core.Item", verbose_name=_("item"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PLANNED, db_index=True
    )
    quantity = models.DecimalField(_("quantity"), **QUANTITY, validators=POSITIVE_QUANTITY_LIMITS)
    start_date = models.DateField(_("start"))
    due_date = models.DateField(_("due"))
    is_short = models.BooleanField(
        _("short"), default=False, help_text=_("It would have to start before the plan date.")
    )
    firmed_at = models.DateTimeField(_("firmed at"), null=True, blank=True)
    firmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("firmed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)
    requisition_line = models.ForeignKey(
        "purchasing.PurchaseRequisitionLine",
        verbose_name=_("requisition line"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    production_order = models.ForeignKey(
        "production.ProductionOrder",
        verbose_name=_("production order"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("planned order")
        verbose_name_plural = _("planned orders")
        ordering = ["due_date", "item__code", "id"]
        permissions = [
            ("firm_plannedorder", _("Can firm planned orders")),
            ("release_plannedorder", _("Can release planned orders")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="planned_order_quantity_positive"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["buy", "make"]), name="planned_order_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["planned", "firm", "released"]),
                name="planned_order_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(start_date__lte=F("due_date")), name="planned_order_dates_ordered"
            ),
        ]
        indexes = [models.Index(fields=["item", "status"], name="planned_order_item_status")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.item_id} × {self.quantity} {self.due_date}"


class PegDemand(models.Model):
    """The demand a peg serves, shared by planned orders' and open supply's pegs: ``quantity``
    of it for a sales order line, a forecast, a production order's component, another planned
    order's component (``parent``, declared by each peg with its own reverse name), or the
    safety stock, needed on ``need_date``.

    Pegs are derived rows, rewritten by every run from ids it has just read (hundreds of
    thousands at a time): their references carry no database constraint, whose per-row checks
    at commit cost a large run more than writing the rows. Deleting a referenced row still
    deletes its pegs (``on_delete``, through the ORM); the columns stay indexed.
    """

    class Kind(models.TextChoices):
        SALES_LINE = "sales_line", _("Sales order")
        FORECAST = "forecast", _("Forecast")
        PRODUCTION_ORDER = "production_order", _("Production order")
        PLANNED_ORDER = "planned_order", _("Planned order")
        SAFETY_STOCK = "safety_stock", _("Safety stock")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    quantity = models.DecimalField(_("quantity"), **QUANTITY)
    need_date = models.DateField(_("needed on"))
    sales_order_line = models.ForeignKey(
        "sales.SalesOrderLine",
        verbose_name=_("sales order line"),
        on_delete=models.CASCADE,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    forecast = models.ForeignKey(
        Forecast,
        verbose_name=_("forecast"),
        on_delete=models.CASCADE,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    production_order = models.ForeignKey(
        "production.ProductionOrder",
        verbose_name=_("production order"),
        on_delete=models.CASCADE,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True


def _parent(related_name: str) -> models.ForeignKey:
    """A peg's parent planned order (the demand of kind *planned order*)."""
    return models.ForeignKey(
        PlannedOrder,
        verbose_name=_("parent planned order"),
        on_delete=models.CASCADE,
        db_constraint=False,
        null=True,
        blank=True,
        related_name=related_name,
    )


class PlannedOrderPeg(PegDemand):
    """``quantity`` of a planned order serves one demand (``PegDemand``)."""

    planned_order = models.ForeignKey(
        PlannedOrder,
        verbose_name=_("planned order"),
        on_delete=models.CASCADE,
        db_constraint=False,
        related_name="pegs",
    )
    parent = _parent("component_pegs")

    class Meta:
        verbose_name = _("planned order peg")
        verbose_name_plural = _("planned order pegs")
        ordering = ["planned_order", "need_date", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="planned_peg_qty_positive"),
            models.CheckConstraint(
                condition=Q(kind__in=PegDemand.Kind.values), name="planned_peg_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.planned_order_id} → {self.kind} {self.quantity}"


class SupplyPeg(PegDemand):
    """``quantity`` of an open supply — a purchase order line or requisition line still to
    come, an open production order — serves one demand (``PegDemand``); ``supply_date`` is when
    the supply is expected.

    Derived rows, rewritten by every run like planned orders' pegs. The scheduler reads them so
    that an order waits for a late purchase or production order its components depend on.
    """

    class SupplyKind(models.TextChoices):
        PURCHASE_ORDER_LINE = "purchase_order_line", _("Purchase order")
        REQUISITION_LINE = "requisition_line", _("Purchase requisition")
        PRODUCTION_ORDER = "production_order", _("Production order")

    item = models.ForeignKey(
        "erp_core.Item",
        verbose_name=_("item"),
        on_delete=models.CASCADE,
        db_constraint=False,
        related_name="+",
    )
    supply_kind = models.CharField(_("supply"), max_length=20, choices=SupplyKind.choices)
    supply_id = models.PositiveBigIntegerField(_("supply id"))
    supply_date = models.DateField(_("expected on"))
    parent = _parent("supply_pegs")

    class Meta:
        verbose_name = _("supply peg")
        verbose_name_plural = _("supply pegs")
        ordering = ["supply_kind", "supply_id", "need_date", "id"]
        indexes = [models.Index(fields=["supply_kind", "supply_id"], name="supply_peg_supply")]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="supply_peg_qty_positive"),
            models.CheckConstraint(
                condition=Q(
                    supply_kind__in=["purchase_order_line", "requisition_line", "production_order"]
                ),
                name="supply_peg_supply_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=PegDemand.Kind.values), name="supply_peg_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.supply_kind} {self.supply_id} → {self.kind} {self.quantity}"


class ExceptionMessage(models.Model):
    """What a run tells the planner to do about open supply: expedite, reschedule in or out,
    cancel, or chase a past-due order."""

    class Kind(models.TextChoices):
        EXPEDITE = "expedite", _("Expedite")
        RESCHEDULE_IN = "reschedule_in", _("Reschedule in")
        RESCHEDULE_OUT = "reschedule_out", _("Reschedule out")
        CANCEL = "cancel", _("Cancel")
        PAST_DUE = "past_due", _("Past due")

    class SupplyKind(models.TextChoices):
        PURCHASE_ORDER_LINE = "purchase_order_line", _("Purchase order")
        REQUISITION_LINE = "requisition_line", _("Purchase requisition")
        PRODUCTION_ORDER = "production_order", _("Production order")
        FIRM_PLANNED_ORDER = "firm_planned_order", _("Firm planned order")

    run = models.ForeignKey(
        MrpRun, verbose_name=_("MRP run"), on_delete=models.CASCADE, related_name="exceptions"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, db_index=True)
    item = models.ForeignKey(
        "erp_core.Item", verbose_name=_("item"), on_delete=models.PROTECT, related_name="+"
    )
    supply_kind = models.CharField(_("supply"), max_length=20, choices=SupplyKind.choices)
    supply_id = models.PositiveBigIntegerField(_("supply id"))
    supply_number = models.CharField(_("document"), max_length=40, blank=True)
    current_date = models.DateField(_("current date"))
    suggested_date = models.DateField(_("suggested date"), null=True, blank=True)
    quantity = models.DecimalField(_("quantity"), **QUANTITY)

    class Meta:
        verbose_name = _("exception message")
        verbose_name_plural = _("exception messages")
        ordering = ["current_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    kind__in=["expedite", "reschedule_in", "reschedule_out", "cancel", "past_due"]
                ),
                name="mrp_exception_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.supply_kind} {self.supply_id}"


class Shortage(models.Model):
    """``quantity`` of ``item`` cannot be had by ``need_date`` within its lead time; the sales
    orders it hurts are in ``sales_order_ids``."""

    run = models.ForeignKey(
        MrpRun, verbose_name=_("MRP run"), on_delete=models.CASCADE, related_name="shortages"
    )
    item = models.ForeignKey(
        "erp_core.Item", verbose_name=_("item"), on_delete=models.PROTECT, related_name="+"
    )
    need_date = models.DateField(_("needed on"))
    quantity = models.DecimalField(_("quantity"), **QUANTITY)
    sales_order_ids = models.JSONField(_("sales orders"), default=list, blank=True)

    class Meta:
        verbose_name = _("shortage")
        verbose_name_plural = _("shortages")
        ordering = ["need_date", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="mrp_shortage_qty_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id} {self.quantity} {self.need_date}"
