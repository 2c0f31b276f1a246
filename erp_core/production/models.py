"""Production orders (生产任务单): what to make, how much, by when, and what it cost.

An order carries a snapshot of its bill of materials (``ProductionOrderMaterial``) and routing
(``ProductionOrderOperation``), taken when it is saved and rebuilt while it is planned; once
released, later changes to the BOM or routing no longer touch it. Consumption, output and time
booked against it post to work in progress (WIP); closing it rolls up the actual cost against
the standard and posts the variance.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common.limits import HOURS_LIMITS, POSITIVE_QUANTITY_LIMITS
from erp_core.documents.models import MONEY, PRICE, QUANTITY, Document

ZERO = Decimal("0")
HOURS = {"max_digits": 18, "decimal_places": 6}


class ProductionOrder(Document):
    """An order to make ``quantity`` of ``item`` into ``warehouse`` by ``due_date``.

    Status flow: planned (draft) → released (审核, published to the shop floor) → in progress
    (first consumption, output or time) → done → closed (cost rolled up, variance posted).
    A planned order may be voided (作废); a released one may go back to planned (反审核) while
    nothing was consumed, reported or booked against it.
    """

    NUMBER_PREFIX = "MO"

    class Status(models.TextChoices):
        DRAFT = "draft", _("Planned")
        RELEASED = "released", _("Released")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        CLOSED = "closed", _("Closed")
        VOIDED = "voided", _("Voided")

    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    WAITING_ON = {
        Status.DRAFT: _("Waiting for the planner to release"),
        Status.RELEASED: _("Waiting for the shop floor to report"),
        Status.IN_PROGRESS: _("Waiting for the shop floor to report"),
        Status.DONE: _("Waiting for finance to close"),
    }
    item = models.ForeignKey(
        "erp_core.Item",
        verbose_name=_("item"),
        on_delete=models.PROTECT,
        related_name="production_orders",
    )
    quantity = models.DecimalField(_("quantity"), **QUANTITY, validators=POSITIVE_QUANTITY_LIMITS)
    warehouse = models.ForeignKey(
        "erp_core.Warehouse",
        verbose_name=_("output warehouse"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    component_warehouse = models.ForeignKey(
        "erp_core.Warehouse",
        verbose_name=_("component warehouse"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Materials are issued from here unless a consumption names another."),
    )
    bom = models.ForeignKey(
        "erp_core.BillOfMaterials",
        verbose_name=_("bill of materials"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    routing = models.ForeignKey(
        "erp_core.Routing",
        verbose_name=_("routing"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    due_date = models.DateField(_("due date"))
    start_date = models.DateField(_("planned start"), null=True, blank=True)
    quantity_produced = models.DecimalField(_("quantity produced"), **QUANTITY, default=ZERO)
    quantity_scrapped = models.DecimalField(_("quantity scrapped"), **QUANTITY, default=ZERO)
    planned_cost = models.DecimalField(
        _("planned cost"),
        **MONEY,
        default=ZERO,
        help_text=_("Materials at their standard cost plus planned hours at the rates."),
    )
    planned_unit_cost = models.DecimalField(_("planned unit cost"), **PRICE, default=ZERO)
    output_value = models.DecimalField(
        _("output value"),
        **MONEY,
        default=ZERO,
        help_text=_("What the output reported so far took out of work in progress."),
    )
    material_cost = models.DecimalField(_("material cost"), **MONEY, null=True, blank=True)
    machine_cost = models.DecimalField(_("machine cost"), **MONEY, null=True, blank=True)
    labour_cost = models.DecimalField(_("labour cost"), **MONEY, null=True, blank=True)
    actual_cost = models.DecimalField(_("actual cost"), **MONEY, null=True, blank=True)
    standard_cost = models.DecimalField(_("standard cost"), **MONEY, null=True, blank=True)
    variance = models.DecimalField(
        _("variance"),
        **MONEY,
        null=True,
        blank=True,
        help_text=_("Actual cost minus the output value; positive: actual above standard."),
    )
    closing_entry = models.ForeignKey(
        "ledger.JournalEntry",
        verbose_name=_("closing entry"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    history = HistoricalRecords()

    class Meta(Document.Meta):
        verbose_name = _("production order")
        verbose_name_plural = _("production orders")
        permissions = [
            ("release_productionorder", _("Can release and unrelease production orders")),
            ("void_productionorder", _("Can void production orders")),
            ("report_productionorder", _("Can report consumption, output and time")),
            ("close_productionorder", _("Can close production orders")),
            (
                "override_production_limits",
                _("Can report beyond the limits of production (tolerance, done orders, hours)"),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    status__in=["draft", "released", "in_progress", "done", "closed", "voided"]
                ),
                name="production_order_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="production_order_quantity_positive"
            ),
            models.CheckConstraint(
                condition=Q(quantity_produced__gte=0) & Q(quantity_scrapped__gte=0),
                name="production_order_reported_not_negative",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_date"], name="production_order_status_due"),
        ]

    @property
    def is_released(self) -> bool:
        """Released and not yet started."""
        return self.status == self.Status.RELEASED

    @property
    def is_open_for_reports(self) -> bool:
        """Consumption, output and time may still be booked (released, in progress or done)."""
        return self.status in (self.Status.RELEASED, self.Status.IN_PROGRESS, self.Status.DONE)

    @property
    def is_closed(self) -> bool:
        """Closed: the cost is rolled up and the variance posted."""
        return self.status == self.Status.CLOSED

    @property
    def quantity_open(self) -> Decimal:
        """What is still to be produced (never below zero)."""
        return max(self.quantity - self.quantity_produced, ZERO)


class ProductionOrderMaterial(models.Model):
    """A component of the order's snapshot: what it needs, what it consumed and at what value.

    ``quantity_required`` is the BOM exploded for the order quantity (scrap included, phantoms
    replaced by their own components). A component consumed without being in the snapshot gets
    a row of its own with ``is_planned`` off.
    """

    order = models.ForeignKey(
        ProductionOrder,
        verbose_name=_("production order"),
        on_delete=models.CASCADE,
        related_name="materials",
    )
    line_no = models.PositiveSmallIntegerField(_("line"))
    component = models.ForeignKey(
        "erp_core.Item", verbose_name=_("component"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "erp_core.UnitOfMeasure", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    via_phantom = models.ForeignKey(
        "erp_core.Item",
        verbose_name=_("via phantom"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    quantity_required = models.DecimalField(_("quantity required"), **QUANTITY, default=ZERO)
    planned_unit_cost = models.DecimalField(_("planned unit cost"), **PRICE, default=ZERO)
    quantity_consumed = models.DecimalField(_("quantity consumed"), **QUANTITY, default=ZERO)
    consumed_value = models.DecimalField(_("consumed value"), **MONEY, default=ZERO)
    is_planned = models.BooleanField(_("planned"), default=True)

    class Meta:
        verbose_name = _("production order material")
        verbose_name_plural = _("production order materials")
        ordering = ["order", "line_no"]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "component"], name="production_material_component_unique"
            ),
            models.UniqueConstraint(
                fields=["order", "line_no"], name="production_material_line_unique"
            ),
            models.CheckConstraint(
                condition=Q(quantity_required__gte=0) & Q(planned_unit_cost__gte=0),
                name="production_material_planned_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.line_no}: {self.component_id} × {self.quantity_required}"

    @property
    def planned_value(self) -> Decimal:
        """Quantity required × planned unit cost, unrounded."""
        return self.quantity_required * self.planned_unit_cost

    @property
    def quantity_open(self) -> Decimal:
        """What is still to be consumed (never below zero)."""
        return max(self.quantity_required - self.quantity_consumed, ZERO)


class ProductionOrderOperation(models.Model):
    """An operation of the order's snapshot: planned hours, the rates, the hours booked.

    Machine and labour rates are copied from the work center when the order is released, so
    that a later change of the rates does not re-price the order's time.
    """

    order = models.ForeignKey(
        ProductionOrder,
        verbose_name=_("production order"),
        on_delete=models.CASCADE,
        related_name="operations",
    )
    sequence = models.PositiveIntegerField(_("sequence"))
    name = models.CharField(_("name"), max_length=200, blank=True)
    work_center = models.ForeignKey(
        "erp_core.WorkCenter",
        verbose_name=_("work center"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    setup_hours = models.DecimalField(_("setup hours"), **HOURS, default=ZERO)
    run_hours_per_unit = models.DecimalField(_("run hours per unit"), **HOURS, default=ZERO)
    planned_hours = models.DecimalField(_("planned hours"), **HOURS, default=ZERO)
    machine_rate = models.DecimalField(_("machine rate per hour"), **MONEY, default=ZERO)
    labour_rate = models.DecimalField(_("labour rate per hour"), **MONEY, default=ZERO)
    actual_machine_hours = models.DecimalField(_("machine hours"), **HOURS, default=ZERO)
    actual_labour_hours = models.DecimalField(_("labour hours"), **HOURS, default=ZERO)
    actual_machine_cost = models.DecimalField(_("machine cost"), **MONEY, default=ZERO)
    actual_labour_cost = models.DecimalField(_("labour cost"), **MONEY, default=ZERO)

    class Meta:
        verbose_name = _("production order operation")
        verbose_name_plural = _("production order operations")
        ordering = ["order", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "sequence"], name="production_operation_sequence_unique"
            ),
            models.CheckConstraint(
                condition=Q(setup_hours__gte=0)
                & Q(run_hours_per_unit__gte=0)
                & Q(planned_hours__gte=0)
                & Q(actual_machine_hours__gte=0)
                & Q(actual_labour_hours__gte=0)
                & Q(machine_rate__gte=0)
                & Q(labour_rate__gte=0),
                name="production_operation_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sequence} {self.name}".strip()

    @property
    def planned_cost(self) -> Decimal:
        """Planned hours × (machine rate + labour rate), unrounded."""
        return self.planned_hours * (self.machine_rate + self.labour_rate)


class ProductionTimeBooking(models.Model):
    """Machine and labour hours booked on an operation, with the entry that posted them to WIP."""

    order = models.ForeignKey(
        ProductionOrder,
        verbose_name=_("production order"),
        on_delete=models.CASCADE,
        related_name="time_bookings",
    )
    operation = models.ForeignKey(
        ProductionOrderOperation,
        verbose_name=_("operation"),
        on_delete=models.PROTECT,
        related_name="time_bookings",
    )
    machine_hours = models.DecimalField(
        _("machine hours"), **HOURS, default=ZERO, validators=HOURS_LIMITS
    )
    labour_hours = models.DecimalField(
        _("labour hours"), **HOURS, default=ZERO, validators=HOURS_LIMITS
    )
    machine_amount = models.DecimalField(_("machine amount"), **MONEY, default=ZERO)
    labour_amount = models.DecimalField(_("labour amount"), **MONEY, default=ZERO)
    journal_entry = models.ForeignKey(
        "ledger.JournalEntry",
        verbose_name=_("journal entry"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    source_event_id = models.UUIDField(_("source event"), null=True, blank=True)
    booked_at = models.DateTimeField(_("booked at"), auto_now_add=True)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("booked by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    override_reason = models.CharField(
        _("override reason"),
        max_length=255,
        blank=True,
        help_text=_("Why a supervisor took this booking beyond the limits of production."),
    )

    class Meta:
        verbose_name = _("production time booking")
        verbose_name_plural = _("production time bookings")
        ordering = ["order", "booked_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(machine_hours__gte=0) & Q(labour_hours__gte=0),
                name="production_time_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(machine_hours__gt=0) | Q(labour_hours__gt=0),
                name="production_time_some_hours",
            ),
        ]

    def __str__(self) -> str:
        hours = f"{self.machine_hours} h + {self.labour_hours} h"
        return f"{self.order_id}/{self.operation_id}: {hours}"

    @property
    def amount(self) -> Decimal:
        """Machine and labour amounts together."""
        return self.machine_amount + self.labour_amount


class ProductionCostAdjustment(models.Model):
    """Cost a month-end close put on an order after the fact: its share of the manufacturing
    overhead not absorbed by machine time, or a late revaluation of its consumption (a
    backdated stock move after the order closed), with the entry that posted it.

    Kept per order so that the order's WIP and its close see it; a reopened month reverses the
    entry, and an adjustment whose entry is reversed no longer counts.
    """

    class Kind(models.TextChoices):
        OVERHEAD = "overhead", _("Overhead allocated")
        LATE_COST = "late_cost", _("Late cost of consumption")

    order = models.ForeignKey(
        ProductionOrder,
        verbose_name=_("production order"),
        on_delete=models.PROTECT,
        related_name="cost_adjustments",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    amount = models.DecimalField(_("amount"), **MONEY)
    to_wip = models.BooleanField(
        _("to work in progress"),
        help_text=_("On the order's WIP (an open order); else on its variance account."),
    )
    stock_move = models.ForeignKey(
        "stock.StockMove",
        verbose_name=_("revaluation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    journal_entry = models.ForeignKey(
        "ledger.JournalEntry",
        verbose_name=_("journal entry"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("production cost adjustment")
        verbose_name_plural = _("production cost adjustments")
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["overhead", "late_cost"]),
                name="production_adjustment_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(kind="overhead", stock_move__isnull=True)
                | Q(kind="late_cost", stock_move__isnull=False),
                name="production_adjustment_late_cost_has_move",
            ),
        ]
        indexes = [models.Index(fields=["stock_move"], name="production_adj_move_idx")]

    def __str__(self) -> str:
        return f"{self.order} {self.get_kind_display()} {self.amount}"
