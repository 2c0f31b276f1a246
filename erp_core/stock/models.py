"""Stock ledger rows and the balance per item × warehouse kept with them."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

QUANTITY = {"max_digits": 18, "decimal_places": 6}
MONEY = {"max_digits": 18, "decimal_places": 2}
UNIT_COST = {"max_digits": 18, "decimal_places": 6}


class StockMove(models.Model):
    """One booked move of an item in a warehouse: quantity (+ in, − out) and what it was worth.

    Rows are immutable once written: a move whose value changes because an earlier move was
    backdated gets a revaluation row (quantity 0) that corrects it, with its own journal entry.
    A standard-cost change is a row of quantity 0 too (``cost_change``): ``unit_cost`` is the old
    standard, ``receipt_unit_cost`` the new one, ``value`` what the stock on hand was revalued by.
    A value adjustment is a row of quantity 0 as well (``value_adjustment``: a supplier's price
    difference or credit on goods received at an actual cost): ``receipt_value`` is the amount,
    ``basis_quantity`` the quantity it is for, ``value`` the share that re-valued the stock on
    hand and ``variance`` the rest (the share of goods no longer on hand: cost of sales).
    """

    class Reason(models.TextChoices):
        RECEIPT = "receipt", _("Receipt")
        ISSUE = "issue", _("Issue")
        PRODUCTION_CONSUMPTION = "production_consumption", _("Production consumption")
        PRODUCTION_OUTPUT = "production_output", _("Production output")
        SHIPMENT = "shipment", _("Shipment")
        ADJUSTMENT = "adjustment", _("Adjustment")
        TRANSFER = "transfer", _("Transfer")
        REVALUATION = "revaluation", _("Revaluation")
        COST_CHANGE = "cost_change", _("Standard cost change")
        OPENING = "opening", _("Opening balance")
        VALUE_ADJUSTMENT = "value_adjustment", _("Value adjustment")

    item = models.ForeignKey(
        "erp_core.Item", verbose_name=_("item"), on_delete=models.PROTECT, related_name="+"
    )
    warehouse = models.ForeignKey(
        "erp_core.Warehouse",
        verbose_name=_("warehouse"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    moved_at = models.DateTimeField(_("moved at"), db_index=True)
    reason = models.CharField(_("reason"), max_length=32, choices=Reason.choices)
    quantity = models.DecimalField(_("quantity"), **QUANTITY)
    unit_cost = models.DecimalField(_("unit cost"), **UNIT_COST)
    value = models.DecimalField(_("value"), **MONEY)
    receipt_value = models.DecimalField(
        _("receipt cost"),
        **MONEY,
        null=True,
        blank=True,
        help_text=_("What a receipt cost; re-valuing later moves starts from it."),
    )
    receipt_unit_cost = models.DecimalField(
        _("receipt unit cost"),
        **UNIT_COST,
        null=True,
        blank=True,
        help_text=_(
            "The unit cost a receipt was given (a standard cost change: the new standard); "
            "re-valuing later moves uses it."
        ),
    )
    basis_quantity = models.DecimalField(
        _("basis quantity"),
        **QUANTITY,
        null=True,
        blank=True,
        help_text=_("The quantity a value adjustment's amount is for (what was billed)."),
    )
    variance = models.DecimalField(
        _("variance"),
        **MONEY,
        default=0,
        help_text=_("Actual cost minus standard value (standard-cost items), or a revaluation."),
    )
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("corrects"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
    )
    transfer_from = models.ForeignKey(
        "self",
        verbose_name=_("transferred from"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("A transfer's incoming leg: its outgoing leg, whose value it takes in."),
    )
    source_type = models.CharField(_("source document type"), max_length=50, blank=True)
    source_id = models.CharField(_("source document"), max_length=50, blank=True)
    source_event_id = models.UUIDField(_("source event"), null=True, blank=True)
    # Written by a person (an adjustment's reason); a default in the database too, because
    # revaluation rows are copied in without it.
    note = models.CharField(_("note"), max_length=255, blank=True, default="", db_default="")
    abnormal_loss = models.BooleanField(
        _("abnormal loss"),
        default=False,
        db_default=False,
        help_text=_(
            "A count loss beyond the norms (theft, mismanagement, spoilage): cleared from "
            "待处理财产损溢 to 营业外支出 with its input VAT transferred out."
        ),
    )
    journal_entry = models.ForeignKey(
        "ledger.JournalEntry",
        verbose_name=_("journal entry"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("stock move")
        verbose_name_plural = _("stock moves")
        permissions = [("adjust_stock", _("Can book stock adjustments"))]
        ordering = ["item", "warehouse", "moved_at", "pk"]
        indexes = [
            models.Index(fields=["item", "warehouse", "moved_at", "id"], name="stockmove_seq_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(reason="revaluation", quantity=0, corrects__isnull=False))
                | Q(
                    reason__in=["cost_change", "value_adjustment"],
                    quantity=0,
                    corrects__isnull=True,
                )
                | (
                    ~Q(reason__in=["revaluation", "cost_change"])
                    & ~Q(quantity=0)
                    & Q(corrects__isnull=True)
                ),
                name="stockmove_quantity_or_revaluation",
            ),
            models.CheckConstraint(condition=Q(unit_cost__gte=0), name="stockmove_unit_cost_gte_0"),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} {self.quantity} × {self.item_id} @ {self.warehouse_id}"


class StockBalance(models.Model):
    """Quantity and value of an item in a warehouse, kept in step with the ledger.

    ``layers`` holds the open FIFO layers as ``[[quantity, value], …]`` decimal strings.
    """

    item = models.ForeignKey(
        "erp_core.Item", verbose_name=_("item"), on_delete=models.PROTECT, related_name="+"
    )
    warehouse = models.ForeignKey(
        "erp_core.Warehouse",
        verbose_name=_("warehouse"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    quantity = models.DecimalField(_("quantity"), **QUANTITY, default=0)
    value = models.DecimalField(_("value"), **MONEY, default=0)
    layers = models.JSONField(_("FIFO layers"), default=list, blank=True)
    last_unit_cost = models.DecimalField(_("last unit cost"), **UNIT_COST, default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("stock balance")
        verbose_name_plural = _("stock balances")
        constraints = [
            models.UniqueConstraint(fields=["item", "warehouse"], name="stockbalance_item_wh_uniq"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id} @ {self.warehouse_id}: {self.quantity} = {self.value}"
