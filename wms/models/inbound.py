"""Inbound: the receipts WMS expects from placed purchase orders, and what was scanned in.

An expected receipt is made from ``erp.purchase_order_placed`` for a warehouse run by WMS. The
warehouse scans what arrives against it (item, lot and expiry, serials, quantity); completing it
puts the goods into the receiving bin, creates putaway tasks and publishes
``wms.receipt_completed``, from which the ERP books its purchase receipt.
"""

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from erp_core.documents.models import Document
from wms.models.layout import QUANTITY
from wms.models.stock import Lot, SerialNumber

ZERO = Decimal("0")


class ExpectedReceipt(Document):
    """Goods expected from a supplier against one purchase order, received by scan."""

    NUMBER_PREFIX = "WR"

    class Status(models.TextChoices):
        DRAFT = "draft", _("Expected")
        APPROVED = "approved", _("Received")
        VOIDED = "voided", _("Cancelled")

    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    WAITING_ON = {Status.DRAFT: _("Waiting for the warehouse to receive")}
    warehouse = models.ForeignKey(
        "erp_core.Warehouse",
        verbose_name=_("warehouse"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    supplier = models.ForeignKey(
        "erp_core.Partner",
        verbose_name=_("supplier"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    purchase_order = models.ForeignKey(
        "purchasing.PurchaseOrder",
        verbose_name=_("purchase order"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    expected_date = models.DateField(_("expected date"), null=True, blank=True)
    source_event_id = models.UUIDField(_("source event"), null=True, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta(Document.Meta):
        verbose_name = _("expected receipt")
        verbose_name_plural = _("expected receipts")
        permissions = [("receive_expectedreceipt", _("Can receive goods in the warehouse"))]


class ExpectedReceiptLine(models.Model):
    """A purchase order line as the warehouse expects it: how much, and how much is scanned.

    ``limit`` is the most this receipt may take of the line: ordered × (1 + the order's
    over-receipt tolerance %) less what was received before it.
    """

    receipt = models.ForeignKey(
        ExpectedReceipt,
        verbose_name=_("expected receipt"),
        on_delete=models.CASCADE,
        related_name="lines",
    )
    line_no = models.PositiveSmallIntegerField(_("line"))
    purchase_order_line = models.ForeignKey(
        "purchasing.PurchaseOrderLine",
        verbose_name=_("purchase order line"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    item = models.ForeignKey(
        "erp_core.Item", verbose_name=_("item"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.DecimalField(_("expected"), **QUANTITY)
    limit = models.DecimalField(_("receipt limit"), **QUANTITY)
    received_quantity = models.DecimalField(_("received"), **QUANTITY, default=ZERO)
    cancelled = models.BooleanField(_("no longer expected"), default=False)

    class Meta:
        verbose_name = _("expected receipt line")
        verbose_name_plural = _("expected receipt lines")
        ordering = ["receipt", "line_no"]
        constraints = [
            models.UniqueConstraint(fields=["receipt", "line_no"], name="wms_receiptline_unique"),
            models.CheckConstraint(condition=Q(quantity__gte=0), name="wms_receiptline_qty_gte_0"),
            models.CheckConstraint(
                condition=Q(received_quantity__gte=0) & Q(received_quantity__lte=models.F("limit")),
                name="wms_receiptline_received_within_limit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.receipt_id}/{self.line_no}: {self.item_id} × {self.quantity}"


class ReceiptScan(models.Model):
    """One scan of goods against an expected receipt line: a quantity of a lot, or one serial."""

    line = models.ForeignKey(
        ExpectedReceiptLine,
        verbose_name=_("line"),
        on_delete=models.CASCADE,
        related_name="scans",
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
    serial_number = models.CharField(_("serial number"), max_length=64, blank=True)
    quantity = models.DecimalField(_("quantity"), **QUANTITY)
    scanned_at = models.DateTimeField(_("scanned at"), auto_now_add=True)
    scanned_by = models.ForeignKey(
        "erp_core.User",
        verbose_name=_("scanned by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("receipt scan")
        verbose_name_plural = _("receipt scans")
        ordering = ["line", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="wms_receiptscan_qty_pos"),
        ]

    def __str__(self) -> str:
        return f"{self.line_id}: {self.quantity}"
