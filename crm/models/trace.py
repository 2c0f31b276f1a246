"""CRM's own read model of lot genealogy, so that a service ticket shows where its lot came
from and where else it went. MES owns genealogy and WMS the shipments; CRM never reads their
tables: it keeps what their events say (``mes.output_reported``, ``mes.materials_consumed``,
``wms.shipment_dispatched``)."""

from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

QUANTITY: dict[str, Any] = {"max_digits": 18, "decimal_places": 6}


class TracedLot(models.Model):
    """A lot the shop floor made: the item, the production order and work order that made it,
    when it was first reported and how much of it."""

    item = models.ForeignKey(
        "erp_core.Item", verbose_name=_("item"), on_delete=models.PROTECT, related_name="+"
    )
    number = models.CharField(_("lot number"), max_length=64)
    production_order_id = models.PositiveBigIntegerField(_("ERP production order"))
    production_order_number = models.CharField(_("production order"), max_length=32, blank=True)
    work_order_id = models.PositiveBigIntegerField(_("MES work order"))
    made_at = models.DateTimeField(_("made on"))
    quantity = models.DecimalField(_("quantity made"), **QUANTITY)

    class Meta:
        verbose_name = _("traced lot")
        verbose_name_plural = _("traced lots")
        ordering = ["-made_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="crm_traced_lot_unique"),
        ]

    def __str__(self) -> str:
        return self.number


class TracedSerial(models.Model):
    """A serial-numbered unit the shop floor made, and the lot (so the production order) it was
    made in: a serial number shipped without a lot still leads back to its order."""

    item = models.ForeignKey(
        "erp_core.Item", verbose_name=_("item"), on_delete=models.PROTECT, related_name="+"
    )
    serial = models.CharField(_("serial number"), max_length=64)
    lot = models.ForeignKey(
        TracedLot, verbose_name=_("lot"), on_delete=models.CASCADE, related_name="serials"
    )

    class Meta:
        verbose_name = _("traced serial number")
        verbose_name_plural = _("traced serial numbers")
        ordering = ["serial", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["item", "serial"], name="crm_traced_serial_unique"),
        ]

    def __str__(self) -> str:
        return self.serial


class TracedInput(models.Model):
    """A material lot a work order consumed: the input lots of what that work order made."""

    work_order_id = models.PositiveBigIntegerField(_("MES work order"), db_index=True)
    item = models.ForeignKey(
        "erp_core.Item", verbose_name=_("item"), on_delete=models.PROTECT, related_name="+"
    )
    lot_number = models.CharField(_("lot number"), max_length=64)
    quantity = models.DecimalField(_("quantity"), **QUANTITY)

    class Meta:
        verbose_name = _("traced input lot")
        verbose_name_plural = _("traced input lots")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["work_order_id", "item", "lot_number"], name="crm_traced_input_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.lot_number} → {self.work_order_id}"


class TracedShipment(models.Model):
    """A quantity of a lot (or one serial number of it) shipped to a customer on an order."""

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
    item = models.ForeignKey(
        "erp_core.Item", verbose_name=_("item"), on_delete=models.PROTECT, related_name="+"
    )
    lot_number = models.CharField(_("lot number"), max_length=64, blank=True, db_index=True)
    serial = models.CharField(_("serial number"), max_length=64, blank=True, db_index=True)
    quantity = models.DecimalField(_("quantity"), **QUANTITY)
    shipped_at = models.DateTimeField(_("shipped at"))

    class Meta:
        verbose_name = _("traced shipment")
        verbose_name_plural = _("traced shipments")
        ordering = ["shipped_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["shipment_id", "sales_order", "item", "lot_number", "serial"],
                name="crm_traced_shipment_unique",
            ),
            models.CheckConstraint(
                condition=~Q(lot_number="") | ~Q(serial=""), name="crm_traced_shipment_has_lot"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.lot_number or self.serial} → {self.customer_id}"
