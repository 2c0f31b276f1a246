"""Counting: cycle-count plans, and counts taken against a snapshot of the quants.

A count snapshots the quants of its bins when it starts, with the last journal row at that
moment. Each line remembers the last journal row when it was counted, so the quantity the
books expected at that instant is the snapshot plus the moves in between: work may go on in a
bin while it is counted, and the variance is still the count's own.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from erp_core.documents.models import Document
from wms.models.layout import QUANTITY, Bin, ItemPlacement, Zone
from wms.models.stock import Lot


class CountPlan(models.Model):
    """Which bins to count how often: a zone, one bin, or the bins holding an ABC class."""

    warehouse = models.ForeignKey(
        "erp_core.Warehouse",
        verbose_name=_("warehouse"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=100)
    zone = models.ForeignKey(
        Zone,
        verbose_name=_("zone"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    bin = models.ForeignKey(
        Bin,
        verbose_name=_("bin"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    abc_class = models.CharField(
        _("ABC class"), max_length=1, choices=ItemPlacement.AbcClass.choices, blank=True
    )
    frequency_days = models.PositiveIntegerField(_("every (days)"), default=30)
    blind = models.BooleanField(_("blind count"), default=True)
    next_due = models.DateField(_("next due"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cycle-count plan")
        verbose_name_plural = _("cycle-count plans")
        ordering = ["warehouse", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(frequency_days__gte=1), name="wms_countplan_frequency_pos"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Count(Document):
    """A count of some bins: started (snapshot), counted by scan, reviewed, approved."""

    NUMBER_PREFIX = "WC"

    class Status(models.TextChoices):
        DRAFT = "draft", _("Counting")
        SUBMITTED = "submitted", _("In review")
        APPROVED = "approved", _("Approved")
        VOIDED = "voided", _("Cancelled")

    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    WAITING_ON = {
        Status.DRAFT: _("Waiting for the warehouse to count"),
        Status.SUBMITTED: _("Waiting for the warehouse manager to approve"),
    }
    warehouse = models.ForeignKey(
        "erp_core.Warehouse",
        verbose_name=_("warehouse"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    plan = models.ForeignKey(
        CountPlan,
        verbose_name=_("plan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="counts",
    )
    blind = models.BooleanField(_("blind count"), default=True)
    bins = models.ManyToManyField(Bin, verbose_name=_("bins"), related_name="+")
    snapshot_move_id = models.BigIntegerField(_("snapshot after journal row"), default=0)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)

    history = HistoricalRecords(m2m_fields=[])

    class Meta(Document.Meta):
        verbose_name = _("count")
        verbose_name_plural = _("counts")
        permissions = [("approve_count", _("Can approve count variances"))]


class CountLine(models.Model):
    """A bin × item × lot of a count: what the books held at the snapshot, what was counted."""

    count = models.ForeignKey(
        Count, verbose_name=_("count"), on_delete=models.CASCADE, related_name="lines"
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
    snapshot_quantity = models.DecimalField(_("booked at start"), **QUANTITY, default=0)
    counted_quantity = models.DecimalField(_("counted"), **QUANTITY, null=True, blank=True)
    counted_move_id = models.BigIntegerField(_("counted after journal row"), null=True, blank=True)
    expected_quantity = models.DecimalField(
        _("booked when counted"), **QUANTITY, null=True, blank=True
    )
    variance = models.DecimalField(_("variance"), **QUANTITY, null=True, blank=True)
    counted_at = models.DateTimeField(_("counted at"), null=True, blank=True)
    counted_by = models.ForeignKey(
        "erp_core.User",
        verbose_name=_("counted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("count line")
        verbose_name_plural = _("count lines")
        ordering = ["count", "bin", "item", "lot"]
        constraints = [
            models.UniqueConstraint(
                fields=["count", "bin", "item", "lot"],
                condition=Q(lot__isnull=False),
                name="wms_countline_lot_unique",
            ),
            models.UniqueConstraint(
                fields=["count", "bin", "item"],
                condition=Q(lot__isnull=True),
                name="wms_countline_nolot_unique",
            ),
            models.CheckConstraint(
                condition=Q(counted_quantity__isnull=True) | Q(counted_quantity__gte=0),
                name="wms_countline_counted_gte_0",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.count_id}: {self.bin_id} {self.item_id}"


class CountSerial(models.Model):
    """A serial number scanned in a count line's bin: counting a serial-tracked item is
    scanning each unit. Serials the books hold in the bin but nobody scanned are missing; those
    scanned but not booked there are extra (found, or moved here from another bin)."""

    line = models.ForeignKey(
        CountLine, verbose_name=_("count line"), on_delete=models.CASCADE, related_name="serials"
    )
    serial = models.CharField(_("serial number"), max_length=64)

    class Meta:
        verbose_name = _("counted serial number")
        verbose_name_plural = _("counted serial numbers")
        ordering = ["line", "serial"]
        constraints = [
            models.UniqueConstraint(fields=["line", "serial"], name="wms_countserial_unique"),
        ]

    def __str__(self) -> str:
        return self.serial
