"""Purchase requisitions, purchase orders and receipts: what we need, ordered and received.

A receipt books the goods into stock at the order's net unit price (Dr inventory, Cr 材料采购);
the supplier's bill later clears 材料采购 against payables, and ``PurchaseReceiptLine
.billed_quantity`` is kept by the billing services (three-way match).
"""

from decimal import Decimal

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common.limits import POSITIVE_QUANTITY_LIMITS
from erp_core.documents.models import PERCENT, PRICE, QUANTITY, AmountLine, Document

ZERO = Decimal("0")


class PurchaseRequisition(Document):
    """A request to buy (by hand, or from planning): items, quantities and when they are needed."""

    NUMBER_PREFIX = "PR"

    class Status(models.TextChoices):
        DRAFT = "draft", _("Saved")
        APPROVED = "approved", _("Approved")
        ORDERED = "ordered", _("Ordered")
        VOIDED = "voided", _("Voided")

    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    WAITING_ON = {
        Status.DRAFT: _("Waiting for the planner to approve"),
        Status.APPROVED: _("Waiting for the planner to order"),
    }
    requested_by = models.ForeignKey(
        "erp_core.User",
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta(Document.Meta):
        verbose_name = _("purchase requisition")
        verbose_name_plural = _("purchase requisitions")
        permissions = [("approve_purchaserequisition", _("Can approve purchase requisitions"))]


class PurchaseRequisitionLine(models.Model):
    """An item needed by a date, with the supplier it may come from."""

    requisition = models.ForeignKey(
        PurchaseRequisition,
        verbose_name=_("requisition"),
        on_delete=models.CASCADE,
        related_name="lines",
    )
    line_no = models.PositiveSmallIntegerField(_("line"))
    item = models.ForeignKey(
        "erp_core.Item", verbose_name=_("item"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.DecimalField(_("quantity"), **QUANTITY, validators=POSITIVE_QUANTITY_LIMITS)
    needed_by = models.DateField(_("needed by"), null=True, blank=True)
    suggested_supplier = models.ForeignKey(
        "erp_core.Partner",
        verbose_name=_("suggested supplier"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    ordered_quantity = models.DecimalField(_("ordered"), **QUANTITY, default=ZERO, editable=False)

    class Meta:
        verbose_name = _("purchase requisition line")
        verbose_name_plural = _("purchase requisition lines")
        ordering = ["requisition", "line_no"]
        constraints = [
            models.UniqueConstraint(
                fields=["requisition", "line_no"], name="purchasing_requisitionline_unique"
            ),
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="purchasing_requisitionline_qty_pos"
            ),
            models.CheckConstraint(
                condition=Q(ordered_quantity__gte=0),
                name="purchasing_requisitionline_ordered_not_neg",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.requisition_id}/{self.line_no}: {self.item_id} × {self.quantity}"


class PurchaseOrder(Document):
    """An order to a supplier (采购订单): placed by approval, acknowledged by the supplier,
    received in parts within the tolerances, closed.

    Approval places it and publishes ``erp.purchase_order_placed``.
    """

    NUMBER_PREFIX = "PO"

    class Status(models.TextChoices):
        DRAFT = "draft", _("Saved")
        APPROVED = "approved", _("Placed")
        RECEIVED = "received", _("Received")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", _("Cancelled")
        VOIDED = "voided", _("Voided")

    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    WAITING_ON = {
        Status.DRAFT: _("Waiting for the planner to place"),
        Status.APPROVED: _("Waiting for the warehouse to receive"),
    }
    supplier = models.ForeignKey(
        "erp_core.Partner",
        verbose_name=_("supplier"),
        on_delete=models.PROTECT,
        related_name="purchase_orders",
    )
    warehouse = models.ForeignKey(
        "erp_core.Warehouse",
        verbose_name=_("deliver to"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    expected_date = models.DateField(_("expected date"), null=True, blank=True)
    payment_terms_days = models.PositiveIntegerField(_("payment terms (days)"), default=30)
    over_receipt_tolerance = models.DecimalField(
        _("over-receipt tolerance %"),
        **PERCENT,
        default=ZERO,
        help_text=_("How much more than ordered may be received, in per cent."),
    )
    under_receipt_tolerance = models.DecimalField(
        _("under-receipt tolerance %"),
        **PERCENT,
        default=ZERO,
        help_text=_("A line this much short of the order counts as fully received."),
    )
    acknowledged_at = models.DateTimeField(
        _("acknowledged at"), null=True, blank=True, editable=False
    )
    acknowledged_by = models.ForeignKey(
        "erp_core.User",
        verbose_name=_("acknowledged by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    supplier_reference = models.CharField(
        _("supplier's reference"), max_length=64, blank=True, editable=False
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    closed_by = models.ForeignKey(
        "erp_core.User",
        verbose_name=_("closed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True, editable=False)
    cancelled_by = models.ForeignKey(
        "erp_core.User",
        verbose_name=_("cancelled by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    cancel_reason = models.CharField(
        _("reason closed or cancelled"), max_length=255, blank=True, editable=False
    )

    history = HistoricalRecords()

    class Meta(Document.Meta):
        verbose_name = _("purchase order")
        verbose_name_plural = _("purchase orders")
        permissions = [("approve_purchaseorder", _("Can place (approve) purchase orders"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(over_receipt_tolerance__gte=0)
                & Q(under_receipt_tolerance__gte=0)
                & Q(under_receipt_tolerance__lt=100),
                name="purchasing_order_tolerances",
            ),
        ]


class PurchaseOrderLine(AmountLine):
    """An ordered item with its price, VAT and expected date; how much has been received."""

    order = models.ForeignKey(
        PurchaseOrder,
        verbose_name=_("purchase order"),
        on_delete=models.CASCADE,
        related_name="lines",
    )
    expected_date = models.DateField(_("expected date"), null=True, blank=True)
    confirmed_date = models.DateField(
        _("supplier's confirmed date"), null=True, blank=True, editable=False
    )
    requisition_line = models.ForeignKey(
        PurchaseRequisitionLine,
        verbose_name=_("requisition line"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="order_lines",
    )
    received_quantity = models.DecimalField(_("received"), **QUANTITY, default=ZERO, editable=False)

    class Meta(AmountLine.Meta):
        verbose_name = _("purchase order line")
        verbose_name_plural = _("purchase order lines")
        constraints = [
            models.UniqueConstraint(
                fields=["order", "line_no"], name="purchasing_orderline_unique"
            ),
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="purchasing_orderline_qty_pos"
            ),
            models.CheckConstraint(
                condition=Q(received_quantity__gte=0), name="purchasing_orderline_received_not_neg"
            ),
            models.CheckConstraint(
                condition=Q(unit_price__gte=0)
                & Q(discount_percent__gte=0)
                & Q(discount_percent__lte=100)
                & Q(tax_rate__gte=0),
                name="purchasing_orderline_price_valid",
            ),
        ]

    @property
    def net_unit_price(self) -> Decimal:
        """The unit price after the line's discount (what a received unit costs, excl. VAT)."""
        return self.unit_price * (Decimal("100") - self.discount_percent) / Decimal("100")


class PurchaseReceipt(Document):
    """Goods received against a purchase order (收货单/入库单).

    Approval books each line into stock at the order line's net unit price.
    """

    NUMBER_PREFIX = "GR"

    class Status(models.TextChoices):
        DRAFT = "draft", _("Saved")
        APPROVED = "approved", _("Received")
        VOIDED = "voided", _("Voided")

    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    WAITING_ON = {
        Status.DRAFT: _("Waiting for the warehouse to book the receipt"),
    }
    supplier = models.ForeignKey(
        "erp_core.Partner",
        verbose_name=_("supplier"),
        on_delete=models.PROTECT,
        related_name="purchase_receipts",
    )
    purchase_order = models.ForeignKey(
        PurchaseOrder,
        verbose_name=_("purchase order"),
        on_delete=models.PROTECT,
        related_name="receipts",
    )
    warehouse = models.ForeignKey(
        "erp_core.Warehouse",
        verbose_name=_("warehouse"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    delivery_note = models.CharField(_("supplier's delivery note"), max_length=64, blank=True)
    source_event_id = models.CharField(
        _("source event"), max_length=64, null=True, blank=True, unique=True, editable=False
    )
    wms_receipt_id = models.PositiveBigIntegerField(
        _("warehouse receipt"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("The WMS receipt this one was booked from."),
    )

    history = HistoricalRecords()

    class Meta(Document.Meta):
        verbose_name = _("purchase receipt")
        verbose_name_plural = _("purchase receipts")
        permissions = [("receive_purchasereceipt", _("Can book (approve) purchase receipts"))]
        constraints = [
            models.UniqueConstraint(
                fields=["wms_receipt_id"],
                condition=Q(wms_receipt_id__isnull=False),
                name="purchasing_receipt_wms_unique",
            ),
        ]


class PurchaseReceiptLine(models.Model):
    """A quantity of an order line received; ``billed_quantity`` grows as the supplier bills it."""

    receipt = models.ForeignKey(
        PurchaseReceipt, verbose_name=_("receipt"), on_delete=models.CASCADE, related_name="lines"
    )
    line_no = models.PositiveSmallIntegerField(_("line"))
    order_line = models.ForeignKey(
        PurchaseOrderLine,
        verbose_name=_("order line"),
        on_delete=models.PROTECT,
        related_name="receipt_lines",
    )
    item = models.ForeignKey(
        "erp_core.Item", verbose_name=_("item"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.DecimalField(_("quantity"), **QUANTITY, validators=POSITIVE_QUANTITY_LIMITS)
    unit_cost = models.DecimalField(
        _("unit cost"),
        **PRICE,
        default=ZERO,
        editable=False,
        help_text=_("The order line's net unit price, as booked into stock."),
    )
    billed_quantity = models.DecimalField(_("billed"), **QUANTITY, default=ZERO, editable=False)
    stock_move = models.ForeignKey(
        "stock.StockMove",
        verbose_name=_("stock move"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    class Meta:
        verbose_name = _("purchase receipt line")
        verbose_name_plural = _("purchase receipt lines")
        ordering = ["receipt", "line_no"]
        constraints = [
            models.UniqueConstraint(
                fields=["receipt", "line_no"], name="purchasing_receiptline_unique"
            ),
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="purchasing_receiptline_qty_pos"
            ),
            models.CheckConstraint(
                condition=Q(billed_quantity__gte=0) & Q(billed_quantity__lte=F("quantity")),
                name="purchasing_receiptline_billed_within",
            ),
            models.CheckConstraint(
                condition=Q(unit_cost__gte=0), name="purchasing_receiptline_cost_not_neg"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.receipt_id}/{self.line_no}: {self.item_id} × {self.quantity}"

    @property
    def unbilled_quantity(self) -> Decimal:
        """Received and not yet billed."""
        return self.quantity - self.billed_quantity
