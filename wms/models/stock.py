"""Which stock and how much: lots, serial numbers, quants and the journal of quant changes.

A quant is the quantity of an item (of a lot) in a bin, with what of it is reserved. Quants are
changed only by ``wms.services.stock``, which locks them in primary-key order and writes one
``QuantMove`` per change. The database refuses a negative quantity and a reservation above what
is on hand, whatever the code does.
"""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from wms.models.layout import QUANTITY, Bin


class Lot(models.Model):
    """A batch of an item made or received together, with its dates and whether it may be used."""

    class Status(models.TextChoices):
        AVAILABLE = "available", _("Available")
        QUARANTINE = "quarantine", _("Quarantine")
        BLOCKED = "blocked", _("Blocked")

    item = models.ForeignKey(
        "erp_core.Item", verbose_name=_("item"), on_delete=models.PROTECT, related_name="+"
    )
    lot_number = models.CharField(_("lot number"), max_length=64)
    made_on = models.DateField(_("made on"), null=True, blank=True)
    expiry = models.DateField(_("expiry"), null=True, blank=True, db_index=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.AVAILABLE
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("lot")
        verbose_name_plural = _("lots")
        ordering = ["item", "expiry", "lot_number"]
        constraints = [
            models.UniqueConstraint(fields=["item", "lot_number"], name="wms_lot_number_unique"),
            models.CheckConstraint(
                condition=Q(made_on__isnull=True)
                | Q(expiry__isnull=True)
                | Q(expiry__gte=F("made_on")),
                name="wms_lot_expiry_after_made",
            ),
        ]

    def __str__(self) -> str:
        return self.lot_number


class SerialNumber(models.Model):
    """One unit of a serial-tracked item: where it is now, and whether it is free, held or gone.

    It has one bin at a time by construction; a unit in stock always lies in a bin.
    """

    class Status(models.TextChoices):
        IN_STOCK = "in_stock", _("In stock")
        RESERVED = "reserved", _("Reserved")
        SHIPPED = "shipped", _("Shipped")
        CONSUMED = "consumed", _("Consumed")
        REMOVED = "removed", _("Written off")

    item = models.ForeignKey(
        "erp_core.Item", verbose_name=_("item"), on_delete=models.PROTECT, related_name="+"
    )
    serial = models.CharField(_("serial number"), max_length=64)
    lot = models.ForeignKey(
        Lot,
        verbose_name=_("lot"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="serials",
    )
    bin = models.ForeignKey(
        Bin,
        verbose_name=_("bin"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="serials",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.IN_STOCK
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("serial number")
        verbose_name_plural = _("serial numbers")
        ordering = ["item", "serial"]
        constraints = [
            models.UniqueConstraint(fields=["item", "serial"], name="wms_serial_unique"),
            models.CheckConstraint(
                condition=(Q(status__in=["in_stock", "reserved"]) & Q(bin__isnull=False))
                | (Q(status__in=["shipped", "consumed", "removed"]) & Q(bin__isnull=True)),
                name="wms_serial_in_stock_has_bin",
            ),
        ]

    def __str__(self) -> str:
        return self.serial


class Quant(models.Model):
    """How much of an item (of a lot, when lot-tracked) lies in a bin, and how much is reserved."""

    bin = models.ForeignKey(
        Bin, verbose_name=_("bin"), on_delete=models.PROTECT, related_name="quants"
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
        related_name="quants",
    )
    on_hand = models.DecimalField(_("on hand"), **QUANTITY, default=0)
    reserved = models.DecimalField(_("reserved"), **QUANTITY, default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("quant")
        verbose_name_plural = _("quants")
        ordering = ["bin", "item", "lot"]
        constraints = [
            # Two partial constraints: a NULL lot is never equal to another in a plain one.
            models.UniqueConstraint(
                fields=["bin", "item", "lot"],
                condition=Q(lot__isnull=False),
                name="wms_quant_bin_item_lot_unique",
            ),
            models.UniqueConstraint(
                fields=["bin", "item"],
                condition=Q(lot__isnull=True),
                name="wms_quant_bin_item_nolot_unique",
            ),
            models.CheckConstraint(condition=Q(on_hand__gte=0), name="wms_quant_on_hand_gte_0"),
            models.CheckConstraint(
                condition=Q(reserved__gte=0) & Q(reserved__lte=F("on_hand")),
                name="wms_quant_reserved_within_on_hand",
            ),
        ]
        indexes = [models.Index(fields=["item", "bin"], name="wms_quant_item_bin_idx")]

    def __str__(self) -> str:
        return f"{self.item_id} @ {self.bin_id} ({self.lot_id}): {self.on_hand}"

    @property
    def available(self):
        """On hand and not reserved."""
        return self.on_hand - self.reserved


class QuantMove(models.Model):
    """One change of a quant, as it happened: the WMS movement journal (never edited).

    ``quantity`` is positive; the kind says what it did: added to ``to_bin``, removed from
    ``from_bin``, moved between them, reserved or released in ``from_bin``.
    """

    class Kind(models.TextChoices):
        ADD = "add", _("Added")
        REMOVE = "remove", _("Removed")
        MOVE = "move", _("Moved")
        RESERVE = "reserve", _("Reserved")
        UNRESERVE = "unreserve", _("Released")

    class Reason(models.TextChoices):
        ADOPTION = "adoption", _("Taken over from the ERP")
        RECEIPT = "receipt", _("Receipt")
        PUTAWAY = "putaway", _("Putaway")
        MOVE = "move", _("Bin-to-bin move")
        TRANSFER = "transfer", _("Warehouse transfer")
        REPLENISHMENT = "replenishment", _("Replenishment")
        STAGING = "staging", _("Production staging")
        COUNT = "count", _("Count")
        ADJUSTMENT = "adjustment", _("Adjustment")
        PICK = "pick", _("Pick")
        SHIPMENT = "shipment", _("Shipment")
        CONSUMPTION = "consumption", _("Consumption")
        OUTPUT = "output", _("Production output")
        RESERVATION = "reservation", _("Reservation")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    reason = models.CharField(_("reason"), max_length=24, choices=Reason.choices)
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
    from_bin = models.ForeignKey(
        Bin,
        verbose_name=_("from bin"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    to_bin = models.ForeignKey(
        Bin,
        verbose_name=_("to bin"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    quantity = models.DecimalField(_("quantity"), **QUANTITY)
    source_type = models.CharField(_("source type"), max_length=50, blank=True)
    source_id = models.CharField(_("source"), max_length=50, blank=True)
    event_id = models.UUIDField(_("published event"), null=True, blank=True)
    actor = models.ForeignKey(
        "erp_core.User",
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    moved_at = models.DateTimeField(_("moved at"), db_index=True)

    class Meta:
        verbose_name = _("quant move")
        verbose_name_plural = _("quant moves")
        ordering = ["-moved_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="wms_quantmove_qty_pos"),
            models.CheckConstraint(
                condition=Q(from_bin__isnull=False) | Q(to_bin__isnull=False),
                name="wms_quantmove_has_bin",
            ),
        ]
        indexes = [
            models.Index(fields=["from_bin", "moved_at"], name="wms_quantmove_from_idx"),
            models.Index(fields=["to_bin", "moved_at"], name="wms_quantmove_to_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.quantity} × {self.item_id}"


class CustomerShelfLife(models.Model):
    """The shortest remaining shelf life a customer accepts (days), used when allocating lots."""

    partner = models.OneToOneField(
        "erp_core.Partner",
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        related_name="wms_shelf_life",
    )
    min_remaining_days = models.PositiveIntegerField(_("minimum remaining shelf life (days)"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("customer shelf life")
        verbose_name_plural = _("customer shelf lives")
        ordering = ["partner"]

    def __str__(self) -> str:
        return f"{self.partner_id}: {self.min_remaining_days}"
