"""Internal work: move tasks (putaway, replenishment, staging, bin-to-bin), warehouse
transfers with their in-transit state, and the min/max rules of pick bins."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common.limits import POSITIVE_QUANTITY_LIMITS, QUANTITY_MAX
from erp_core.documents.models import Document
from wms.models.layout import QUANTITY, Bin
from wms.models.stock import Lot

ZERO = Decimal("0")


class MoveTask(models.Model):
    """A move the warehouse is asked to make: from a bin to a (suggested) bin, confirmed by scan."""

    class Kind(models.TextChoices):
        PUTAWAY = "putaway", _("Putaway")
        REPLENISHMENT = "replenishment", _("Replenishment")
        STAGING = "staging", _("Production staging")
        MOVE = "move", _("Bin-to-bin move")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    warehouse = models.ForeignKey(
        "erp_core.Warehouse",
        verbose_name=_("warehouse"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OPEN, db_index=True
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
    quantity = models.DecimalField(_("quantity"), **QUANTITY)
    from_bin = models.ForeignKey(
        Bin, verbose_name=_("from bin"), on_delete=models.PROTECT, related_name="+"
    )
    to_bin = models.ForeignKey(
        Bin,
        verbose_name=_("to bin"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The suggested bin; the scan confirms the bin used."),
    )
    done_bin = models.ForeignKey(
        Bin,
        verbose_name=_("put into"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    production_order = models.ForeignKey(
        "production.ProductionOrder",
        verbose_name=_("production order"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    source_type = models.CharField(_("source type"), max_length=50, blank=True)
    source_id = models.CharField(_("source"), max_length=50, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        "erp_core.User",
        verbose_name=_("done by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("move task")
        verbose_name_plural = _("move tasks")
        ordering = ["status", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="wms_movetask_qty_pos"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class ReplenishmentRule(models.Model):
    """Keep a pick bin between ``minimum`` and ``maximum`` of an item, refilled from storage."""

    bin = models.ForeignKey(
        Bin, verbose_name=_("pick bin"), on_delete=models.PROTECT, related_name="+"
    )
    item = models.ForeignKey(
        "erp_core.Item", verbose_name=_("item"), on_delete=models.PROTECT, related_name="+"
    )
    minimum = models.DecimalField(
        _("minimum"),
        **QUANTITY,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(QUANTITY_MAX)],
    )
    maximum = models.DecimalField(_("maximum"), **QUANTITY, validators=POSITIVE_QUANTITY_LIMITS)
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("replenishment rule")
        verbose_name_plural = _("replenishment rules")
        ordering = ["bin", "item"]
        constraints = [
            models.UniqueConstraint(fields=["bin", "item"], name="wms_replenishment_unique"),
            models.CheckConstraint(
                condition=Q(minimum__gte=0) & Q(maximum__gt=F("minimum")),
                name="wms_replenishment_min_below_max",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_id} @ {self.bin_id}: {self.minimum}–{self.maximum}"


class Transfer(Document):
    """Stock sent from one WMS-run warehouse to another: shipped (in transit), then received.

    While in transit the goods lie in the source warehouse's in-transit bin, so the source
    warehouse still holds them in both WMS and the ERP; receiving them at the destination
    publishes ``wms.stock_moved`` (a transfer) and the ERP books it.
    """

    NUMBER_PREFIX = "WT"

    class Status(models.TextChoices):
        DRAFT = "draft", _("Saved")
        IN_TRANSIT = "in_transit", _("In transit")
        APPROVED = "approved", _("Received")
        VOIDED = "voided", _("Cancelled")

    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    WAITING_ON = {
        Status.DRAFT: _("Waiting for the warehouse to ship"),
        Status.IN_TRANSIT: _("Waiting for the receiving warehouse"),
    }
    from_warehouse = models.ForeignKey(
        "erp_core.Warehouse",
        verbose_name=_("from warehouse"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_warehouse = models.ForeignKey(
        "erp_core.Warehouse",
        verbose_name=_("to warehouse"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    shipped_at = models.DateTimeField(_("shipped at"), null=True, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta(Document.Meta):
        verbose_name = _("warehouse transfer")
        verbose_name_plural = _("warehouse transfers")
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_warehouse=F("to_warehouse")), name="wms_transfer_two_warehouses"
            ),
        ]


class TransferLine(models.Model):
    """An item (of a lot) taken from a bin of the source warehouse."""

    transfer = models.ForeignKey(
        Transfer, verbose_name=_("transfer"), on_delete=models.CASCADE, related_name="lines"
    )
    line_no = models.PositiveSmallIntegerField(_("line"))
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
    from_bin = models.ForeignKey(
        Bin, verbose_name=_("from bin"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.DecimalField(_("quantity"), **QUANTITY)

    class Meta:
        verbose_name = _("transfer line")
        verbose_name_plural = _("transfer lines")
        ordering = ["transfer", "line_no"]
        constraints = [
            models.UniqueConstraint(fields=["transfer", "line_no"], name="wms_transferline_unique"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="wms_transferline_qty_pos"),
        ]

    def __str__(self) -> str:
        return f"{self.transfer_id}/{self.line_no}: {self.item_id} × {self.quantity}"
