"""Outbound: what a confirmed sales order asks the warehouse to ship, and how it is shipped.

An outbound order is made from ``erp.sales_order_confirmed`` for a warehouse run by WMS. Its
lines are allocated first-expiry-first-out to quants (each allocation reserves stock in one
bin, of one lot, or one serial number); allocations are grouped with those of other orders on a
pick list (a wave) in the bins' walking order and picked by scan into the shipping bin; what was
picked is packed into packages with their weight; dispatching the packages takes the stock out
of the shipping bin and publishes ``wms.shipment_dispatched``, from which the ERP books the
delivery, the cost of goods sold and the invoice. What could not be allocated stays open on the
line (back-ordered) until stock comes.
"""

from decimal import Decimal

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from erp_core.documents.models import Document
from wms.models.layout import MEASURE, QUANTITY, Bin
from wms.models.stock import Lot, Quant, SerialNumber

ZERO = Decimal("0")


class OutboundOrder(Document):
    """The warehouse's copy of a confirmed sales order: what to pick, pack and dispatch."""

    NUMBER_PREFIX = "WO"

    class Status(models.TextChoices):
        DRAFT = "draft", _("Open")
        APPROVED = "approved", _("Dispatched")
        VOIDED = "voided", _("Cancelled")

    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    WAITING_ON = {Status.DRAFT: _("Waiting for the warehouse to pick and dispatch")}
    warehouse = models.ForeignKey(
        "erp_core.Warehouse",
        verbose_name=_("warehouse"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    customer = models.ForeignKey(
        "erp_core.Partner",
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    sales_order = models.ForeignKey(
        "sales.SalesOrder",
        verbose_name=_("sales order"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    promised_date = models.DateField(_("promised date"), null=True, blank=True)
    shipping_bin = models.ForeignKey(
        Bin,
        verbose_name=_("shipping bin"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Where the order's picks wait to be dispatched."),
    )
    source_event_id = models.UUIDField(
        _("source event"), null=True, blank=True, unique=True, editable=False
    )

    history = HistoricalRecords()

    class Meta(Document.Meta):
        verbose_name = _("outbound order")
        verbose_name_plural = _("outbound orders")
        permissions = [("pick_outboundorder", _("Can pick, pack and dispatch outbound orders"))]


class OutboundLine(models.Model):
    """A sales order line as the warehouse ships it.

    ``quantity`` is what the order asks; ``picked_quantity`` what was picked into the shipping
    bin (dispatched or not), ``shipped_quantity`` what left, ``cancelled_quantity`` what the
    ERP no longer wants. What is neither allocated nor picked nor cancelled is back-ordered.
    """

    order = models.ForeignKey(
        OutboundOrder,
        verbose_name=_("outbound order"),
        on_delete=models.CASCADE,
        related_name="lines",
    )
    line_no = models.PositiveSmallIntegerField(_("line"))
    sales_order_line = models.ForeignKey(
        "sales.SalesOrderLine",
        verbose_name=_("sales order line"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    item = models.ForeignKey(
        "erp_core.Item", verbose_name=_("item"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.DecimalField(_("ordered"), **QUANTITY)
    allocated_quantity = models.DecimalField(_("allocated, to pick"), **QUANTITY, default=ZERO)
    picked_quantity = models.DecimalField(_("picked"), **QUANTITY, default=ZERO)
    shipped_quantity = models.DecimalField(_("shipped"), **QUANTITY, default=ZERO)
    cancelled_quantity = models.DecimalField(_("cancelled"), **QUANTITY, default=ZERO)

    class Meta:
        verbose_name = _("outbound line")
        verbose_name_plural = _("outbound lines")
        ordering = ["order", "line_no"]
        constraints = [
            models.UniqueConstraint(fields=["order", "line_no"], name="wms_outboundline_unique"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="wms_outboundline_qty_pos"),
            models.CheckConstraint(
                condition=Q(allocated_quantity__gte=0)
                & Q(shipped_quantity__gte=0)
                & Q(cancelled_quantity__gte=0)
                & Q(picked_quantity__gte=F("shipped_quantity")),
                name="wms_outboundline_quantities_valid",
            ),
            models.CheckConstraint(
                condition=Q(
                    quantity__gte=F("allocated_quantity")
                    + F("picked_quantity")
                    + F("cancelled_quantity")
                ),
                name="wms_outboundline_within_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order_id}/{self.line_no}: {self.item_id} × {self.quantity}"

    @property
    def backordered_quantity(self) -> Decimal:
        """What is still wanted and not yet allocated or picked."""
        return (
            self.quantity - self.allocated_quantity - self.picked_quantity - self.cancelled_quantity
        )


class PickList(Document):
    """A wave: the allocations of one or more outbound orders, picked in walking order."""

    NUMBER_PREFIX = "PL"

    class Status(models.TextChoices):
        DRAFT = "draft", _("To pick")
        APPROVED = "approved", _("Picked")
        VOIDED = "voided", _("Cancelled")

    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    WAITING_ON = {Status.DRAFT: _("Waiting for the warehouse to pick")}
    warehouse = models.ForeignKey(
        "erp_core.Warehouse",
        verbose_name=_("warehouse"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    orders = models.ManyToManyField(
        OutboundOrder, verbose_name=_("outbound orders"), related_name="pick_lists", blank=True
    )

    history = HistoricalRecords()

    class Meta(Document.Meta):
        verbose_name = _("pick list")
        verbose_name_plural = _("pick lists")


class Allocation(models.Model):
    """Stock of one quant (one bin, one lot, or one serial number) reserved for an outbound
    line; on a pick list it is a pick task, done by scan.

    ``quantity`` stays reserved in ``bin`` until picked; a pick moves it, still reserved, into
    the shipping bin (``picked_quantity``). A short pick or a release gives the rest back.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("To pick")
        PICKED = "picked", _("Picked")
        SHORT = "short", _("Picked short")
        RELEASED = "released", _("Released")

    line = models.ForeignKey(
        OutboundLine,
        verbose_name=_("outbound line"),
        on_delete=models.CASCADE,
        related_name="allocations",
    )
    quant = models.ForeignKey(
        Quant, verbose_name=_("quant"), on_delete=models.PROTECT, related_name="+"
    )
    bin = models.ForeignKey(Bin, verbose_name=_("bin"), on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(
        "erp_core.Item", verbose_name=_("item"), on_delete=models.PROTECT, related_name="+"
    )
    lot = models.ForeignKey(
        Lot,
        verbose_name=_("lot"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    serial = models.ForeignKey(
        SerialNumber,
        verbose_name=_("serial number"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    quantity = models.DecimalField(_("allocated"), **QUANTITY)
    picked_quantity = models.DecimalField(_("picked"), **QUANTITY, default=ZERO)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    pick_list = models.ForeignKey(
        PickList,
        verbose_name=_("pick list"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tasks",
    )
    sequence = models.PositiveIntegerField(_("pick sequence"), default=0)
    released_back = models.BooleanField(
        _("picked stock released"),
        default=False,
        help_text=_("What was picked was freed in the shipping bin when the order was cancelled."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    picked_at = models.DateTimeField(_("picked at"), null=True, blank=True)
    picked_by = models.ForeignKey(
        "erp_core.User",
        verbose_name=_("picked by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        ordering = ["pick_list", "sequence", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="wms_allocation_qty_pos"),
            models.CheckConstraint(
                condition=Q(picked_quantity__gte=0) & Q(picked_quantity__lte=F("quantity")),
                name="wms_allocation_picked_within",
            ),
        ]
        indexes = [models.Index(fields=["line", "status"], name="wms_allocation_line_idx")]

    def __str__(self) -> str:
        return f"{self.item_id} × {self.quantity} @ {self.bin_id}"

    @property
    def open_quantity(self) -> Decimal:
        """What is still to pick (nothing once picked, short or released)."""
        if self.status != self.Status.OPEN:
            return ZERO
        return self.quantity - self.picked_quantity


class Shipment(Document):
    """What leaves the warehouse for a customer at once: packages of one outbound order."""

    NUMBER_PREFIX = "WS"

    class Status(models.TextChoices):
        DRAFT = "draft", _("Packing")
        APPROVED = "approved", _("Dispatched")
        VOIDED = "voided", _("Cancelled")

    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    WAITING_ON = {Status.DRAFT: _("Waiting for the warehouse to dispatch")}
    order = models.ForeignKey(
        OutboundOrder,
        verbose_name=_("outbound order"),
        on_delete=models.PROTECT,
        related_name="shipments",
    )
    warehouse = models.ForeignKey(
        "erp_core.Warehouse",
        verbose_name=_("warehouse"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    carrier = models.CharField(_("carrier"), max_length=100, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=100, blank=True)
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True, editable=False)
    event_id = models.UUIDField(_("published event"), null=True, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta(Document.Meta):
        verbose_name = _("shipment")
        verbose_name_plural = _("shipments")


class Package(models.Model):
    """A box or pallet of picked goods of one outbound order, with its gross weight."""

    order = models.ForeignKey(
        OutboundOrder,
        verbose_name=_("outbound order"),
        on_delete=models.PROTECT,
        related_name="packages",
    )
    shipment = models.ForeignKey(
        Shipment,
        verbose_name=_("shipment"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="packages",
    )
    code = models.CharField(_("package"), max_length=40, unique=True)
    weight = models.DecimalField(_("weight (kg)"), **MEASURE)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        "erp_core.User",
        verbose_name=_("packed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("package")
        verbose_name_plural = _("packages")
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(weight__gt=0), name="wms_package_weight_pos"),
        ]

    def __str__(self) -> str:
        return self.code


class PackageContent(models.Model):
    """A quantity of an outbound line (of a lot, or one serial number) in a package."""

    package = models.ForeignKey(
        Package, verbose_name=_("package"), on_delete=models.CASCADE, related_name="contents"
    )
    line = models.ForeignKey(
        OutboundLine, verbose_name=_("outbound line"), on_delete=models.PROTECT, related_name="+"
    )
    item = models.ForeignKey(
        "erp_core.Item", verbose_name=_("item"), on_delete=models.PROTECT, related_name="+"
    )
    lot = models.ForeignKey(
        Lot,
        verbose_name=_("lot"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    serial = models.ForeignKey(
        SerialNumber,
        verbose_name=_("serial number"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    quantity = models.DecimalField(_("quantity"), **QUANTITY)

    class Meta:
        verbose_name = _("package content")
        verbose_name_plural = _("package contents")
        ordering = ["package", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="wms_packagecontent_qty_pos"),
        ]

    def __str__(self) -> str:
        return f"{self.package_id}: {self.item_id} × {self.quantity}"
