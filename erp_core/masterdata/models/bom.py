"""Bills of materials and routings: what an item is made of, and the operations that make it."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from erp_core.masterdata.models.items import QTY, Item, WorkCenter


class _ValidityMixin(models.Model):
    """A version valid from one date to another (``valid_to`` empty: open-ended)."""

    version = models.CharField(_("version"), max_length=20)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("The end of validity is before its start.")})

    def is_valid_on(self, day) -> bool:
        """True when this version is active and ``day`` falls within its validity."""
        return (
            self.is_active
            and self.valid_from <= day
            and (self.valid_to is None or day <= self.valid_to)
        )


class BillOfMaterials(_ValidityMixin):
    """The components of one unit of ``item``, in one version valid over a period."""

    item = models.ForeignKey(
        Item, verbose_name=_("item"), on_delete=models.PROTECT, related_name="boms"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("bill of materials")
        verbose_name_plural = _("bills of materials")
        ordering = ["item__code", "-valid_from", "version"]
        constraints = [
            models.UniqueConstraint(fields=["item", "version"], name="bom_item_version_unique"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="bom_validity_ordered",
            ),
        ]

    def __str__(self) -> str:
        return gettext("%(item)s v%(version)s") % {"item": self.item.code, "version": self.version}


class BomLine(models.Model):
    """A component of a BOM: ``quantity_per`` of it per unit of the parent, plus scrap.

    A phantom component is never built or stocked: its own BOM replaces it in an explosion.
    """

    bom = models.ForeignKey(
        BillOfMaterials,
        verbose_name=_("bill of materials"),
        on_delete=models.CASCADE,
        related_name="lines",
    )
    sequence = models.PositiveIntegerField(_("sequence"), default=10)
    component = models.ForeignKey(
        Item, verbose_name=_("component"), on_delete=models.PROTECT, related_name="used_in_lines"
    )
    quantity_per = models.DecimalField(_("quantity per"), **QTY)
    scrap_percent = models.DecimalField(
        _("scrap %"), max_digits=9, decimal_places=6, default=Decimal(0)
    )
    is_phantom = models.BooleanField(_("phantom"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("BOM line")
        verbose_name_plural = _("BOM lines")
        ordering = ["bom", "sequence", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["bom", "sequence"], name="bomline_sequence_unique"),
            models.CheckConstraint(condition=Q(quantity_per__gt=0), name="bomline_qty_positive"),
            models.CheckConstraint(
                condition=Q(scrap_percent__gte=0) & Q(scrap_percent__lte=100),
                name="bomline_scrap_percent_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sequence}: {self.quantity_per.normalize():f} × {self.component.code}"

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.quantity_per is not None and self.quantity_per <= 0:
            errors["quantity_per"] = _("Must be greater than zero.")
        if self.scrap_percent is not None and not 0 <= self.scrap_percent <= 100:
            errors["scrap_percent"] = _("Between 0 and 100.")
        if errors:
            raise ValidationError(errors)


class Routing(_ValidityMixin):
    """The operations that make ``item``, in one version valid over a period."""

    item = models.ForeignKey(
        Item, verbose_name=_("item"), on_delete=models.PROTECT, related_name="routings"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("routing")
        verbose_name_plural = _("routings")
        ordering = ["item__code", "-valid_from", "version"]
        constraints = [
            models.UniqueConstraint(fields=["item", "version"], name="routing_item_version_unique"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="routing_validity_ordered",
            ),
        ]

    def __str__(self) -> str:
        return gettext("%(item)s v%(version)s") % {"item": self.item.code, "version": self.version}


class RoutingOperation(models.Model):
    """One step of a routing on a work center: a setup once per order, then a time per unit."""

    routing = models.ForeignKey(
        Routing, verbose_name=_("routing"), on_delete=models.CASCADE, related_name="operations"
    )
    sequence = models.PositiveIntegerField(_("sequence"), default=10)
    work_center = models.ForeignKey(
        WorkCenter,
        verbose_name=_("work center"),
        on_delete=models.PROTECT,
        related_name="operations",
    )
    description = models.CharField(_("description"), max_length=200, blank=True)
    setup_minutes = models.DecimalField(
        _("setup minutes"), max_digits=12, decimal_places=2, default=Decimal(0)
    )
    run_minutes_per_unit = models.DecimalField(_("run minutes per unit"), **QTY, default=Decimal(0))
    alternative_work_centers = models.ManyToManyField(
        WorkCenter,
        verbose_name=pgettext_lazy("scheduling", "alternative work centers"),
        blank=True,
        related_name="alternative_operations",
        help_text=pgettext_lazy(
            "scheduling",
            "Other work centers whose machines may run this operation when scheduling.",
        ),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("routing operation")
        verbose_name_plural = _("routing operations")
        ordering = ["routing", "sequence", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["routing", "sequence"], name="routingop_sequence_unique"
            ),
            models.CheckConstraint(
                condition=Q(setup_minutes__gte=0) & Q(run_minutes_per_unit__gte=0),
                name="routingop_times_non_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sequence} {self.work_center.code} {self.description}".strip()

    def clean(self) -> None:
        super().clean()
        errors = {}
        for name in ("setup_minutes", "run_minutes_per_unit"):
            value = getattr(self, name)
            if value is not None and value < 0:
                errors[name] = _("Must not be negative.")
        if errors:
            raise ValidationError(errors)
