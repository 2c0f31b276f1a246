"""Master data: units and conversions, item categories, taxes, currencies and rates, items,
partner addresses and contacts, warehouses and work centers.

Every fact here is owned by the ERP; the front modules refer to these rows by foreign key.
"""

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common.limits import POSITIVE_QUANTITY_LIMITS, TAX_RATE_LIMITS, TOLERANCE_LIMITS
from erp_core.masterdata.models.partners import Partner

# Decimal shapes used across the ERP: quantities and rates carry 6 places, money 2.
QTY: dict[str, Any] = {"max_digits": 18, "decimal_places": 6}
#: The most decimal places a unit may allow: those of every quantity column.
MAX_UNIT_DECIMALS = 6
MONEY: dict[str, Any] = {"max_digits": 18, "decimal_places": 2}
RATE: dict[str, Any] = {"max_digits": 18, "decimal_places": 6}

BASE_CURRENCY_CODE = "CNY"
ZERO = Decimal("0")

_working_days_validator = RegexValidator(
    r"^[01]{7}$", _("Seven characters 0 or 1, Monday first, e.g. 1111100.")
)
_currency_code_validator = RegexValidator(r"^[A-Z]{3}$", _("Three capital letters (ISO 4217)."))


class UnitOfMeasure(models.Model):
    """A unit items are counted, weighed or measured in (PCS, KG, M, BOX…)."""

    class Category(models.TextChoices):
        COUNT = "count", _("Count")
        MASS = "mass", _("Mass")
        LENGTH = "length", _("Length")
        AREA = "area", _("Area")
        VOLUME = "volume", _("Volume")
        TIME = "time", _("Time")

    code = models.CharField(_("code"), max_length=16)
    name = models.CharField(_("name"), max_length=64)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    decimals = models.PositiveSmallIntegerField(
        _("decimals"),
        default=MAX_UNIT_DECIMALS,
        validators=[MaxValueValidator(MAX_UNIT_DECIMALS)],
        help_text=_(
            "How many decimal places a quantity in this unit may have: 0 for units that count "
            "pieces (PCS, EA), 3 for kilograms, 2 for metres."
        ),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("unit of measure")
        verbose_name_plural = _("units of measure")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["code"], name="uom_code_unique"),
            models.CheckConstraint(
                condition=Q(category__in=["count", "mass", "length", "area", "volume", "time"]),
                name="uom_category_valid",
            ),
            models.CheckConstraint(
                condition=Q(decimals__lte=MAX_UNIT_DECIMALS), name="uom_decimals_at_most_six"
            ),
        ]

    def __str__(self) -> str:
        return self.code


class UnitConversion(models.Model):
    """``1 from_unit = factor × to_unit``, for every item or for one item (1 BOX = 12 PCS).

    A general conversion joins units of one category (KG → G); across categories (PCS → KG)
    only an item-specific one makes sense, since the weight of a piece depends on the item.
    """

    from_unit = models.ForeignKey(
        UnitOfMeasure, verbose_name=_("from unit"), on_delete=models.PROTECT, related_name="+"
    )
    to_unit = models.ForeignKey(
        UnitOfMeasure, verbose_name=_("to unit"), on_delete=models.PROTECT, related_name="+"
    )
    factor = models.DecimalField(_("factor"), **RATE, help_text=_("1 from-unit = factor to-units."))
    item = models.ForeignKey(
        "erp_core.Item",
        verbose_name=_("item"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="unit_conversions",
        help_text=_("Empty: valid for every item."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("unit conversion")
        verbose_name_plural = _("unit conversions")
        ordering = ["from_unit__code", "to_unit__code"]
        constraints = [
            models.CheckConstraint(condition=Q(factor__gt=0), name="uomconv_factor_positive"),
            models.CheckConstraint(
                condition=~Q(from_unit=F("to_unit")), name="uomconv_units_differ"
            ),
            models.UniqueConstraint(
                fields=["from_unit", "to_unit"],
                condition=Q(item__isnull=True),
                name="uomconv_general_unique",
            ),
            models.UniqueConstraint(
                fields=["from_unit", "to_unit", "item"],
                condition=Q(item__isnull=False),
                name="uomconv_item_unique",
            ),
        ]

    def __str__(self) -> str:
        suffix = f" ({self.item.code})" if self.item_id and self.item else ""
        return f"1 {self.from_unit} = {self.factor.normalize()} {self.to_unit}{suffix}"

    def clean(self) -> None:
        """Refuse a factor not above zero, a unit to itself, a general cross-category one."""
        super().clean()
        if self.factor is not None and self.factor <= 0:
            raise ValidationError({"factor": _("Must be greater than zero.")})
        if self.from_unit_id and self.from_unit_id == self.to_unit_id:
            raise ValidationError({"to_unit": _("Convert to another unit.")})
        if (
            self.item_id is None
            and self.from_unit_id
            and self.to_unit_id
            and self.from_unit.category != self.to_unit.category
        ):
            raise ValidationError(
                {"item": _("Units of different categories convert only for a given item.")}
            )


class ItemCategory(models.Model):
    """A node of the item category tree (raw materials › steel › sheet)."""

    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=100)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("item category")
        verbose_name_plural = _("item categories")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["code"], name="itemcategory_code_unique"),
            models.CheckConstraint(
                condition=~Q(parent=F("id")), name="itemcategory_not_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        """Refuse a parent that is the category itself or one of its descendants."""
        super().clean()
        seen = {self.pk} if self.pk else set()
        node = self.parent
        while node is not None:
            if node.pk in seen:
                raise ValidationError(
                    {"parent": _("A category cannot be placed under itself or its descendants.")}
                )
            seen.add(node.pk)
            node = node.parent


class TaxCode(models.Model):
    """A VAT rate as a code (VAT13, VAT9, VAT6, VAT0); ``rate`` is a fraction, 0.13 for 13 %."""

    code = models.CharField(_("code"), max_length=16)
    name = models.CharField(_("name"), max_length=100)
    rate = models.DecimalField(
        _("rate"), **RATE, validators=TAX_RATE_LIMITS, help_text=_("A fraction: 0.13 for 13 %.")
    )
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tax code")
        verbose_name_plural = _("tax codes")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["code"], name="taxcode_code_unique"),
            models.CheckConstraint(
                condition=Q(rate__gte=0) & Q(rate__lt=1), name="taxcode_rate_fraction"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.percent.normalize():f} %)"

    def clean(self) -> None:
        """A rate is a fraction: from 0 up to (not including) 1."""
        super().clean()
        if self.rate is not None and not 0 <= self.rate < 1:
            raise ValidationError({"rate": _("Give the rate as a fraction from 0 to 1: 0.13.")})

    @property
    def percent(self) -> Decimal:
        """The rate as a percentage (13 for 0.13)."""
        return self.rate * 100


class Currency(models.Model):
    """A currency by ISO 4217 code; CNY is the base currency of the books."""

    code = models.CharField(_("code"), max_length=3, validators=[_currency_code_validator])
    name = models.CharField(_("name"), max_length=64)
    decimals = models.PositiveSmallIntegerField(_("decimals"), default=2)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("currency")
        verbose_name_plural = _("currencies")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["code"], name="currency_code_unique"),
            models.CheckConstraint(condition=Q(decimals__lte=4), name="currency_decimals_max"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_base(self) -> bool:
        """True for the currency the books are kept in."""
        return self.code == BASE_CURRENCY_CODE


class ExchangeRate(models.Model):
    """How many CNY one unit of ``currency`` is worth from ``date`` on (until the next rate)."""

    currency = models.ForeignKey(
        Currency, verbose_name=_("currency"), on_delete=models.PROTECT, related_name="rates"
    )
    date = models.DateField(_("date"))
    rate = models.DecimalField(_("rate"), **RATE, help_text=_("CNY per one unit."))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        ordering = ["currency__code", "-date"]
        constraints = [
            models.UniqueConstraint(fields=["currency", "date"], name="exrate_currency_date"),
            models.CheckConstraint(condition=Q(rate__gt=0), name="exrate_rate_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.currency} {self.date}: {self.rate.normalize()}"

    def clean(self) -> None:
        """A rate is above zero."""
        super().clean()
        if self.rate is not None and self.rate <= 0:
            raise ValidationError({"rate": _("Must be greater than zero.")})


class Item(models.Model):
    """Anything we buy, make, stock or sell: the one record of a material or product.

    ``pinyin_initials`` (助记码) lets a person find 钢板料 by typing GBL.
    """

    class ItemType(models.TextChoices):
        RAW_MATERIAL = "raw", _("Raw material")
        SEMI_FINISHED = "semi", _("Semi-finished")
        FINISHED_GOOD = "finished", _("Finished good")
        CONSUMABLE = "consumable", _("Consumable")
        SERVICE = "service", _("Service")

    class MakeOrBuy(models.TextChoices):
        MAKE = "make", _("Make")
        BUY = "buy", _("Buy")

    class Tracking(models.TextChoices):
        NONE = "none", _("None")
        LOT = "lot", _("Lot")
        SERIAL = "serial", _("Serial number")

    class LotSizing(models.TextChoices):
        LOT_FOR_LOT = "lot_for_lot", _("Lot for lot")
        FIXED = "fixed", _("Fixed quantity")
        MIN_MULTIPLE = "min_multiple", _("Minimum and multiple")
        PERIOD = "period", _("Period order quantity")

    class CostingMethod(models.TextChoices):
        STANDARD = "standard", _("Standard cost")
        MOVING_AVERAGE = "moving_average", _("Moving average")
        FIFO = "fifo", _("FIFO")

    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    specification = models.CharField(_("specification"), max_length=200, blank=True)
    category = models.ForeignKey(
        ItemCategory,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="items",
    )
    item_type = models.CharField(_("item type"), max_length=16, choices=ItemType.choices)
    make_or_buy = models.CharField(
        _("make or buy"), max_length=8, choices=MakeOrBuy.choices, default=MakeOrBuy.BUY
    )
    unit = models.ForeignKey(
        UnitOfMeasure, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="items"
    )
    tracking = models.CharField(
        _("tracking"), max_length=8, choices=Tracking.choices, default=Tracking.NONE
    )
    shelf_life_days = models.PositiveIntegerField(_("shelf life (days)"), null=True, blank=True)
    costing_method = models.CharField(
        _("costing method"),
        max_length=16,
        choices=CostingMethod.choices,
        default=CostingMethod.MOVING_AVERAGE,
    )
    standard_cost = models.DecimalField(_("standard cost"), **MONEY, default=ZERO)
    list_price = models.DecimalField(_("list price"), **MONEY, default=ZERO)
    vat = models.ForeignKey(
        TaxCode,
        verbose_name=_("VAT"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="items",
    )
    purchase_lead_time_days = models.PositiveIntegerField(_("purchase lead time (days)"), default=0)
    production_lead_time_days = models.PositiveIntegerField(
        _("production lead time (days)"), default=0
    )
    safety_stock = models.DecimalField(_("safety stock"), **QTY, default=ZERO)
    reorder_point = models.DecimalField(_("reorder point"), **QTY, default=ZERO)
    min_order_qty = models.DecimalField(_("minimum order quantity"), **QTY, default=Decimal(1))
    order_multiple = models.DecimalField(_("order multiple"), **QTY, default=Decimal(1))
    lot_sizing = models.CharField(
        _("lot sizing"),
        max_length=16,
        choices=LotSizing.choices,
        default=LotSizing.LOT_FOR_LOT,
        help_text=_("How planning sizes the orders it proposes for this item."),
    )
    fixed_order_qty = models.DecimalField(
        _("fixed order quantity"),
        **QTY,
        null=True,
        blank=True,
        validators=POSITIVE_QUANTITY_LIMITS,
        help_text=_("The quantity of each planned order when lot sizing is fixed."),
    )
    period_order_days = models.PositiveSmallIntegerField(
        _("period of supply (days)"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("With period order quantity, one order covers the needs of this many days."),
    )
    output_tolerance_percent = models.DecimalField(
        _("production output tolerance %"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        validators=TOLERANCE_LIMITS,
        help_text=_(
            "How far past a production order's quantity output of this item may be reported; "
            "empty: the company's setting."
        ),
    )
    barcode = models.CharField(_("barcode"), max_length=64, blank=True)
    pinyin_initials = models.CharField(
        _("pinyin initials"),
        max_length=64,
        blank=True,
        help_text=_("Mnemonic code; computed from the name when left empty."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("item")
        verbose_name_plural = _("items")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["code"], name="item_code_unique"),
            models.UniqueConstraint(
                fields=["barcode"], condition=~Q(barcode=""), name="item_barcode_unique"
            ),
            models.CheckConstraint(
                condition=Q(item_type__in=["raw", "semi", "finished", "consumable", "service"]),
                name="item_type_valid",
            ),
            models.CheckConstraint(
                condition=Q(standard_cost__gte=0) & Q(list_price__gte=0),
                name="item_prices_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(safety_stock__gte=0) & Q(reorder_point__gte=0),
                name="item_stock_levels_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(min_order_qty__gt=0) & Q(order_multiple__gt=0),
                name="item_order_quantities_positive",
            ),
            models.CheckConstraint(
                condition=Q(lot_sizing__in=["lot_for_lot", "fixed", "min_multiple", "period"]),
                name="item_lot_sizing_valid",
            ),
            models.CheckConstraint(
                condition=~Q(lot_sizing="fixed")
                | (Q(fixed_order_qty__isnull=False) & Q(fixed_order_qty__gt=0)),
                name="item_fixed_lot_has_quantity",
            ),
            models.CheckConstraint(
                condition=Q(fixed_order_qty__isnull=True) | Q(fixed_order_qty__gt=0),
                name="item_fixed_order_qty_positive",
            ),
            models.CheckConstraint(
                condition=Q(period_order_days__gte=1) & Q(period_order_days__lte=365),
                name="item_period_order_days_range",
            ),
        ]
        indexes = [models.Index(fields=["pinyin_initials"], name="item_pinyin_idx")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_service(self) -> bool:
        """A service is bought or sold but never stocked."""
        return self.item_type == self.ItemType.SERVICE

    def clean(self) -> None:
        """Quantities positive; a service carries no tracking or stock fields."""
        super().clean()
        errors = {}
        for name in ("min_order_qty", "order_multiple"):
            value = getattr(self, name)
            if value is not None and value <= 0:
                errors[name] = _("Must be greater than zero.")
        for name in ("standard_cost", "list_price", "safety_stock", "reorder_point"):
            value = getattr(self, name)
            if value is not None and value < 0:
                errors[name] = _("Must not be negative.")
        if self.is_service:
            if self.tracking != self.Tracking.NONE:
                errors["tracking"] = _("A service is not tracked by lot or serial number.")
            if self.shelf_life_days:
                errors["shelf_life_days"] = _("A service has no shelf life.")
            for name in ("safety_stock", "reorder_point"):
                if getattr(self, name):
                    errors[name] = _("A service is not stocked.")
        if self.lot_sizing == self.LotSizing.FIXED and not self.fixed_order_qty:
            errors["fixed_order_qty"] = _("Give the quantity of each order for fixed lot sizing.")
        if self.fixed_order_qty is not None and self.fixed_order_qty <= 0:
            errors["fixed_order_qty"] = _("Must be greater than zero.")
        if self.period_order_days is not None and not 1 <= self.period_order_days <= 365:
            errors["period_order_days"] = _("Between 1 and 365 days.")
        if self.shelf_life_days is not None and self.shelf_life_days == 0:
            errors["shelf_life_days"] = _("Leave empty when the item does not expire.")
        if errors:
            raise ValidationError(errors)


class PartnerAddress(models.Model):
    """A billing or shipping address of a partner; one default per kind."""

    class Kind(models.TextChoices):
        BILLING = "billing", _("Billing")
        SHIPPING = "shipping", _("Shipping")

    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), on_delete=models.CASCADE, related_name="addresses"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    address = models.CharField(_("address"), max_length=300)
    contact = models.CharField(_("contact"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    is_default = models.BooleanField(_("default"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("partner address")
        verbose_name_plural = _("partner addresses")
        ordering = ["partner", "kind", "-is_default", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["billing", "shipping"]), name="partneraddress_kind_valid"
            ),
            models.UniqueConstraint(
                fields=["partner", "kind"],
                condition=Q(is_default=True),
                name="partneraddress_one_default_per_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.address}"


class PartnerContact(models.Model):
    """A person at a partner: buyer, accountant, engineer…"""

    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("name"), max_length=100)
    role = models.CharField(_("role"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("partner contact")
        verbose_name_plural = _("partner contacts")
        ordering = ["partner", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.role})" if self.role else self.name


class Warehouse(models.Model):
    """A stock location as the ERP values it; bins and lots inside it belong to WMS."""

    code = models.CharField(_("code"), max_length=16)
    name = models.CharField(_("name"), max_length=100)
    address = models.CharField(_("address"), max_length=300, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    allow_negative_stock = models.BooleanField(_("allow negative stock"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("warehouse")
        verbose_name_plural = _("warehouses")
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["code"], name="warehouse_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class WorkCenter(models.Model):
    """A group of alike machines (or a line) that operations are planned on, with its calendar.

    Capacity of a working day = machines × shifts per day × hours per shift.
    """

    code = models.CharField(_("code"), max_length=16)
    name = models.CharField(_("name"), max_length=100)
    machines = models.PositiveSmallIntegerField(_("machines"), default=1)
    hours_per_shift = models.DecimalField(
        _("hours per shift"), max_digits=5, decimal_places=2, default=Decimal(8)
    )
    shifts_per_day = models.PositiveSmallIntegerField(_("shifts per day"), default=1)
    working_days = models.CharField(
        _("working days"),
        max_length=7,
        default="1111100",
        validators=[_working_days_validator],
        help_text=_("Monday to Sunday, 1 for a working day: 1111100 is Monday to Friday."),
    )
    machine_rate_per_hour = models.DecimalField(_("machine rate per hour"), **MONEY, default=ZERO)
    labour_rate_per_hour = models.DecimalField(_("labour rate per hour"), **MONEY, default=ZERO)
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("work center")
        verbose_name_plural = _("work centers")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["code"], name="workcenter_code_unique"),
            models.CheckConstraint(condition=Q(machines__gte=1), name="workcenter_machines_min"),
            models.CheckConstraint(
                condition=Q(shifts_per_day__gte=1), name="workcenter_shifts_min"
            ),
            models.CheckConstraint(
                condition=Q(hours_per_shift__gt=0) & Q(hours_per_shift__lte=24),
                name="workcenter_hours_per_shift_range",
            ),
            models.CheckConstraint(
                condition=Q(machine_rate_per_hour__gte=0) & Q(labour_rate_per_hour__gte=0),
                name="workcenter_rates_non_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        """A day has 24 hours: shifts × hours per shift may not exceed them."""
        super().clean()
        if self.machines is not None and self.machines < 1:
            raise ValidationError({"machines": _("A work center has at least one machine.")})
        if self.hours_per_shift is not None and not 0 < self.hours_per_shift <= 24:
            raise ValidationError({"hours_per_shift": _("Between 0 and 24 hours.")})
        if self.shifts_per_day is not None and self.shifts_per_day < 1:
            raise ValidationError({"shifts_per_day": _("At least one shift a day.")})
        if (
            self.hours_per_shift is not None
            and self.shifts_per_day
            and self.hours_per_shift * self.shifts_per_day > 24
        ):
            raise ValidationError(
                {"shifts_per_day": _("Shifts × hours per shift exceed 24 hours a day.")}
            )

    @property
    def capacity_hours_per_day(self) -> Decimal:
        """Machine hours available on a working day."""
        return self.machines * self.shifts_per_day * self.hours_per_shift

    def is_working_day(self, day) -> bool:
        """True when ``day`` (a date) is a working day of the shift calendar."""
        return self.working_days[day.weekday()] == "1"
