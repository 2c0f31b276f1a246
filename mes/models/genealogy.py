"""Lot genealogy: which lots went into which, and where the products went.

A ``ProductionLot`` is a lot number of an item as the shop floor knows it: a material lot
scanned at the line, or an output lot a work order made. ``LotConsumption`` links a work order
(and the operation that ran) to the lots it consumed; ``OperationReport.output_lot`` to the lot
it made; ``LotShipment`` to the customers a lot was shipped to (from ``wms.shipment_dispatched``).
Backward from an output lot: the lots consumed, and theirs in turn. Forward from a material lot:
the lots made from it, and their shipments.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

QUANTITY = {"max_digits": 18, "decimal_places": 6}
ZERO = Decimal("0")


class ProductionLot(models.Model):
    """A lot of an item: bought (scanned as material) or made by a work order (output)."""

    item = models.ForeignKey(
        "erp_core.Item", verbose_name=_("item"), on_delete=models.PROTECT, related_name="+"
    )
    number = models.CharField(_("lot number"), max_length=64)
    work_order = models.ForeignKey(
        "mes.WorkOrder",
        verbose_name=_("made by work order"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="output_lots",
    )
    quantity_made = models.DecimalField(_("quantity made"), **QUANTITY, default=ZERO)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("lot")
        verbose_name_plural = _("lots")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="mes_lot_item_number_unique"),
            models.CheckConstraint(condition=~Q(number=""), name="mes_lot_number_not_empty"),
            models.CheckConstraint(
                condition=Q(quantity_made__gte=0), name="mes_lot_made_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.number


class OutputSerial(models.Model):
    """A serial number a work order made: one unit of its last operation's good output,
    reported with that report (in its output lot). An item's serial number is made once."""

    item = models.ForeignKey(
        "erp_core.Item", verbose_name=_("item"), on_delete=models.PROTECT, related_name="+"
    )
    number = models.CharField(_("serial number"), max_length=64)
    report = models.ForeignKey(
        "mes.OperationReport",
        verbose_name=_("operation report"),
        on_delete=models.PROTECT,
        related_name="serials",
    )
    lot = models.ForeignKey(
        ProductionLot,
        verbose_name=_("output lot"),
        on_delete=models.PROTECT,
        related_name="serials",
    )

    class Meta:
        verbose_name = _("output serial number")
        verbose_name_plural = _("output serial numbers")
        ordering = ["lot", "number"]
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="mes_serial_item_unique"),
            models.CheckConstraint(condition=~Q(number=""), name="mes_serial_not_empty"),
        ]

    def __str__(self) -> str:
        return self.number


class LotConsumption(models.Model):
    """A quantity of a lot consumed by a work order while an operation ran."""

    work_order = models.ForeignKey(
        "mes.WorkOrder",
        verbose_name=_("work order"),
        on_delete=models.PROTECT,
        related_name="consumptions",
    )
    operation = models.ForeignKey(
        "mes.WorkOperation",
        verbose_name=_("operation"),
        on_delete=models.PROTECT,
        related_name="consumptions",
    )
    lot = models.ForeignKey(
        ProductionLot, verbose_name=_("lot"), on_delete=models.PROTECT, related_name="consumptions"
    )
    quantity = models.DecimalField(_("quantity"), **QUANTITY)
    consumed_at = models.DateTimeField(_("consumed at"), auto_now_add=True)
    consumed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("consumed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("lot consumption")
        verbose_name_plural = _("lot consumptions")
        ordering = ["consumed_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="mes_consumption_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.lot_id} × {self.quantity} → {self.work_order_id}"


class LotShipment(models.Model):
    """A quantity of a lot shipped to a customer (from the warehouse's dispatch)."""

    lot = models.ForeignKey(
        ProductionLot, verbose_name=_("lot"), on_delete=models.PROTECT, related_name="shipments"
    )
    shipment_id = models.PositiveBigIntegerField(_("shipment"))
    sales_order = models.ForeignKey(
        "sales.SalesOrder",
        verbose_name=_("sales order"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    customer = models.ForeignKey(
        "erp_core.Partner", verbose_name=_("customer"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.DecimalField(_("quantity"), **QUANTITY)
    shipped_at = models.DateTimeField(_("shipped at"))

    class Meta:
        verbose_name = _("lot shipment")
        verbose_name_plural = _("lot shipments")
        ordering = ["shipped_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["shipment_id", "sales_order", "lot"], name="mes_lot_shipment_unique"
            ),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="mes_lot_shipment_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.lot_id} × {self.quantity} → {self.customer_id}"
