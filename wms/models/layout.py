"""Where stock lies in a warehouse: zones, bins, the warehouse's WMS set-up and item placement.

Bins belong to an ERP warehouse (a foreign key to master data): the ERP values stock per
warehouse, WMS says in which bin of it each unit lies.
"""

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

QUANTITY = {"max_digits": 18, "decimal_places": 6}
MEASURE = {"max_digits": 14, "decimal_places": 3}


class Zone(models.Model):
    """A named area of a warehouse (cold store, rack aisle A…) that bins are grouped in."""

    warehouse = models.ForeignKey(
        "erp_core.Warehouse",
        verbose_name=_("warehouse"),
        on_delete=models.PROTECT,
        related_name="wms_zones",
    )
    code = models.CharField(_("code"), max_length=16)
    name = models.CharField(_("name"), max_length=100)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("zone")
        verbose_name_plural = _("zones")
        ordering = ["warehouse", "code"]
        constraints = [
            models.UniqueConstraint(fields=["warehouse", "code"], name="wms_zone_code_unique"),
        ]

    def __str__(self) -> str:
        return self.code


class Bin(models.Model):
    """A place that holds stock: a shelf, a pallet place, a dock; scanned by its barcode.

    Capacity is given in units, volume (m³) and weight (kg); an empty capacity is unlimited.
    ``walking_order`` orders bins along a pick route.
    """

    class Type(models.TextChoices):
        RECEIVING = "receiving", _("Receiving")
        STORAGE = "storage", _("Storage")
        PICKING = "picking", _("Picking")
        PRODUCTION_STAGING = "production_staging", _("Production staging")
        SHIPPING = "shipping", _("Shipping")
        QUARANTINE = "quarantine", _("Quarantine")
        TRANSIT = "transit", _("In transit")

    warehouse = models.ForeignKey(
        "erp_core.Warehouse",
        verbose_name=_("warehouse"),
        on_delete=models.PROTECT,
        related_name="wms_bins",
    )
    zone = models.ForeignKey(
        Zone,
        verbose_name=_("zone"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bins",
    )
    code = models.CharField(_("code"), max_length=32)
    barcode = models.CharField(_("barcode"), max_length=64, unique=True)
    bin_type = models.CharField(
        _("type"), max_length=24, choices=Type.choices, default=Type.STORAGE
    )
    capacity_units = models.DecimalField(_("capacity (units)"), **QUANTITY, null=True, blank=True)
    capacity_volume = models.DecimalField(
        _("capacity (volume, m³)"), **MEASURE, null=True, blank=True
    )
    capacity_weight = models.DecimalField(
        _("capacity (weight, kg)"), **MEASURE, null=True, blank=True
    )
    is_blocked = models.BooleanField(_("blocked"), default=False)
    walking_order = models.PositiveIntegerField(_("walking order"), default=0)

    history = HistoricalRecords()

    # What a bin holds (units, m³, kg): annotated by ``wms.selectors.bins_with_fill``.
    fill: Decimal
    fill_volume: Decimal
    fill_weight: Decimal

    class Meta:
        verbose_name = _("bin")
        verbose_name_plural = _("bins")
        ordering = ["warehouse", "walking_order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["warehouse", "code"], name="wms_bin_code_unique"),
            models.CheckConstraint(
                condition=(Q(capacity_units__isnull=True) | Q(capacity_units__gte=0))
                & (Q(capacity_volume__isnull=True) | Q(capacity_volume__gte=0))
                & (Q(capacity_weight__isnull=True) | Q(capacity_weight__gte=0)),
                name="wms_bin_capacity_not_negative",
            ),
        ]
        indexes = [models.Index(fields=["warehouse", "bin_type"], name="wms_bin_type_idx")]

    def __str__(self) -> str:
        return self.code

    @property
    def takes_putaway(self) -> bool:
        """A bin putaway may fill: a storage or picking bin that is not blocked."""
        return not self.is_blocked and self.bin_type in (self.Type.STORAGE, self.Type.PICKING)


class WarehouseSetup(models.Model):
    """An ERP warehouse run by WMS: once ``live``, its stock is touched in WMS only.

    The ERP's own receive and ship steps give way for a live warehouse (see
    ``erp_core.registry.register_stock_operator``); its existing stock was adopted into
    ``default_bin`` when it went live.
    """

    warehouse = models.OneToOneField(
        "erp_core.Warehouse",
        verbose_name=_("warehouse"),
        on_delete=models.PROTECT,
        related_name="wms_setup",
    )
    live = models.BooleanField(_("run by WMS"), default=False)
    live_since = models.DateTimeField(_("live since"), null=True, blank=True, editable=False)
    receiving_bin = models.ForeignKey(
        Bin, verbose_name=_("receiving bin"), on_delete=models.PROTECT, related_name="+"
    )
    default_bin = models.ForeignKey(
        Bin,
        verbose_name=_("default bin"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Where the ERP's stock is put when the warehouse is taken over."),
    )
    transit_bin = models.ForeignKey(
        Bin,
        verbose_name=_("in-transit bin"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Holds what left for another warehouse and has not arrived yet."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("warehouse set-up")
        verbose_name_plural = _("warehouse set-ups")
        ordering = ["warehouse"]

    def __str__(self) -> str:
        return str(self.warehouse_id)


class ItemPlacement(models.Model):
    """Where an item goes in a warehouse: its fixed bin, its preferred zone, its ABC class.

    WMS's own settings of an ERP item (WMS adds no fields to ERP tables).
    """

    class AbcClass(models.TextChoices):
        A = "A", "A"
        B = "B", "B"
        C = "C", "C"

    item = models.ForeignKey(
        "erp_core.Item", verbose_name=_("item"), on_delete=models.PROTECT, related_name="+"
    )
    warehouse = models.ForeignKey(
        "erp_core.Warehouse",
        verbose_name=_("warehouse"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    fixed_bin = models.ForeignKey(
        Bin,
        verbose_name=_("fixed bin"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    preferred_zone = models.ForeignKey(
        Zone,
        verbose_name=_("preferred zone"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    abc_class = models.CharField(
        _("ABC class"), max_length=1, choices=AbcClass.choices, default=AbcClass.C
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("item placement")
        verbose_name_plural = _("item placements")
        ordering = ["warehouse", "item"]
        constraints = [
            models.UniqueConstraint(fields=["item", "warehouse"], name="wms_itemplacement_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id} @ {self.warehouse_id}"


class ItemMeasure(models.Model):
    """An item's weight (kg) and volume (m³) per unit, as the warehouse measures it, so that a
    bin's weight and volume capacity can be checked.

    The ERP item has neither field and WMS adds none to ERP tables; an item without a measure
    (or with one left empty) takes no weight or volume: only unit capacity binds it.
    """

    item = models.OneToOneField(
        "erp_core.Item",
        verbose_name=_("item"),
        on_delete=models.CASCADE,
        related_name="wms_measure",
    )
    unit_weight = models.DecimalField(_("weight per unit (kg)"), **MEASURE, null=True, blank=True)
    unit_volume = models.DecimalField(
        _("volume per unit (m³)"), max_digits=14, decimal_places=6, null=True, blank=True
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("item measure")
        verbose_name_plural = _("item measures")
        ordering = ["item"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(unit_weight__isnull=True) | Q(unit_weight__gte=0))
                & (Q(unit_volume__isnull=True) | Q(unit_volume__gte=0)),
                name="wms_itemmeasure_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.unit_weight} kg, {self.unit_volume} m³"
