"""Price lists, sales orders and deliveries: what a customer ordered and what shipped.

A delivery is what leaves the warehouse; invoices are made from deliveries (what shipped is what
is billed), and ``DeliveryLine.invoiced_quantity`` is kept by the invoicing services.
"""

from decimal import Decimal

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common.limits import POSITIVE_QUANTITY_LIMITS
from erp_core.documents.models import PRICE, QUANTITY, AmountLine, Document

ZERO = Decimal("0")


class PriceList(models.Model):
    """Selling prices per item (with quantity breaks), valid over a date range."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    currency = models.ForeignKey(
        "erp_core.Currency",
        verbose_name=_("currency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty means the base currency, CNY."),
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    is_default = models.BooleanField(
        _("default"), default=False, help_text=_("Used when an order names no price list.")
    )
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("price list")
        verbose_name_plural = _("price lists")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=Q(is_default=True),
                name="sales_pricelist_one_default",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=F("valid_from")),
                name="sales_pricelist_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class PriceListItem(models.Model):
    """The unit price (excl. VAT) of an item from a minimum quantity on."""

    price_list = models.ForeignKey(
        PriceList, verbose_name=_("price list"), on_delete=models.CASCADE, related_name="items"
    )
    item = models.ForeignKey(
        "erp_core.Item", verbose_name=_("item"), on_delete=models.PROTECT, related_name="+"
    )
    min_quantity = models.DecimalField(_("from quantity"), **QUANTITY, default=ZERO)
    unit_price = models.DecimalField(_("unit price (excl. VAT)"), **PRICE)

    class Meta:
        verbose_name = _("price list item")
        verbose_name_plural = _("price list items")
        ordering = ["price_list", "item", "min_quantity"]
        constraints = [
            models.UniqueConstraint(
                fields=["price_list", "item", "min_quantity"], name="sales_pricelistitem_unique"
            ),
            models.CheckConstraint(
                condition=Q(min_quantity__gte=0) & Q(unit_price__gte=0),
                name="sales_pricelistitem_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.price_list_id}: {self.item_id} ≥ {self.min_quantity} @ {self.unit_price}"


class SalesOrder(Document):
    """A customer's order: saved, confirmed by approval (审核), delivered in parts, closed.

    Confirmation checks the customer's credit limit (a Finance user may override it with a
    reason) and publishes ``erp.sales_order_confirmed``.
    """

    NUMBER_PREFIX = "SO"

    class Status(models.TextChoices):
        DRAFT = "draft", _("Saved")
        APPROVED = "approved", _("Confirmed")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", _("Cancelled")
        VOIDED = "voided", _("Voided")

    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    WAITING_ON = {
        Status.DRAFT: _("Waiting for sales to confirm"),
        Status.APPROVED: _("Waiting for the warehouse to ship"),
    }
    customer = models.ForeignKey(
        "erp_core.Partner",
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        related_name="sales_orders",
    )
    customer_reference = models.CharField(_("customer's PO number"), max_length=64, blank=True)
    price_list = models.ForeignKey(
        PriceList,
        verbose_name=_("price list"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    warehouse = models.ForeignKey(
        "erp_core.Warehouse",
        verbose_name=_("ship from"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_date = models.DateField(_("requested date"), null=True, blank=True)
    promised_date = models.DateField(_("promised date"), null=True, blank=True)
    payment_terms_days = models.PositiveIntegerField(_("payment terms (days)"), default=30)
    credit_override_by = models.ForeignKey(
        "erp_core.User",
        verbose_name=_("credit limit overridden by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    credit_override_reason = models.CharField(
        _("credit override reason"), max_length=255, blank=True, editable=False
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    crm_quote_id = models.PositiveBigIntegerField(
        _("CRM quote"),
        null=True,
        blank=True,
        db_index=True,
        editable=False,
        help_text=_("The accepted quote the order came from."),
    )
    source_event_id = models.CharField(
        _("source event"), max_length=64, null=True, blank=True, unique=True, editable=False
    )

    history = HistoricalRecords()

    class Meta(Document.Meta):
        verbose_name = _("sales order")
        verbose_name_plural = _("sales orders")
        permissions = [
            ("approve_salesorder", _("Can confirm (approve) sales orders")),
            ("override_credit_limit", _("Can confirm over the customer's credit limit")),
        ]


class SalesOrderLine(AmountLine):
    """An ordered item with its price, discount and VAT; how much of it has been delivered."""

    order = models.ForeignKey(
        SalesOrder, verbose_name=_("sales order"), on_delete=models.CASCADE, related_name="lines"
    )
    requested_date = models.DateField(_("requested date"), null=True, blank=True)
    promised_date = models.DateField(_("promised date"), null=True, blank=True)
    delivered_quantity = models.DecimalField(
        _("delivered"), **QUANTITY, default=ZERO, editable=False
    )
    closed_quantity = models.DecimalField(
        _("closed short"),
        **QUANTITY,
        default=ZERO,
        editable=False,
        help_text=_("Open quantity given up when the order was closed or cancelled."),
    )

    class Meta(AmountLine.Meta):
        verbose_name = _("sales order line")
        verbose_name_plural = _("sales order lines")
        constraints = [
            models.UniqueConstraint(fields=["order", "line_no"], name="sales_orderline_unique"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="sales_orderline_qty_pos"),
            models.CheckConstraint(
                condition=Q(delivered_quantity__gte=0), name="sales_orderline_delivered_not_neg"
            ),
            models.CheckConstraint(
                condition=Q(closed_quantity__gte=0)
                & Q(quantity__gte=F("delivered_quantity") + F("closed_quantity")),
                name="sales_orderline_within_ordered",
            ),
        ]

    @property
    def open_quantity(self) -> Decimal:
        """Ordered, not yet delivered and not closed short (never below zero)."""
        return max(self.quantity - self.delivered_quantity - self.closed_quantity, ZERO)


class Delivery(Document):
    """Goods shipped to a customer against a sales order (送货单).

    Approval ships it: each line is issued from the warehouse as a shipment (cost of goods sold
    posted by the stock ledger) and counted as delivered on its order line.
    """

    NUMBER_PREFIX = "DN"

    class Status(models.TextChoices):
        DRAFT = "draft", _("Saved")
        APPROVED = "approved", _("Shipped")
        VOIDED = "voided", _("Voided")

    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    WAITING_ON = {
        Status.DRAFT: _("Waiting for the warehouse to ship"),
    }
    customer = models.ForeignKey(
        "erp_core.Partner",
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        related_name="deliveries",
    )
    sales_order = models.ForeignKey(
        SalesOrder,
        verbose_name=_("sales order"),
        on_delete=models.PROTECT,
        related_name="deliveries",
    )
    warehouse = models.ForeignKey(
        "erp_core.Warehouse",
        verbose_name=_("warehouse"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    shipment_reference = models.CharField(
        _("shipment reference"),
        max_length=64,
        blank=True,
        help_text=_("The warehouse's shipment, when it came from WMS."),
    )
    source_event_id = models.CharField(
        _("source event"), max_length=64, null=True, blank=True, unique=True, editable=False
    )

    history = HistoricalRecords()

    class Meta(Document.Meta):
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        permissions = [("ship_delivery", _("Can ship (approve) deliveries"))]


class DeliveryLine(models.Model):
    """A quantity of an order line shipped; ``invoiced_quantity`` grows as it is invoiced."""

    delivery = models.ForeignKey(
        Delivery, verbose_name=_("delivery"), on_delete=models.CASCADE, related_name="lines"
    )
    line_no = models.PositiveSmallIntegerField(_("line"))
    sales_order_line = models.ForeignKey(
        SalesOrderLine,
        verbose_name=_("order line"),
        on_delete=models.PROTECT,
        related_name="delivery_lines",
    )
    item = models.ForeignKey(
        "erp_core.Item", verbose_name=_("item"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.DecimalField(_("quantity"), **QUANTITY, validators=POSITIVE_QUANTITY_LIMITS)
    invoiced_quantity = models.DecimalField(_("invoiced"), **QUANTITY, default=ZERO, editable=False)
    stock_move = models.ForeignKey(
        "stock.StockMove",
        verbose_name=_("stock move"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    class Meta:
        verbose_name = _("delivery line")
        verbose_name_plural = _("delivery lines")
        ordering = ["delivery", "line_no"]
        constraints = [
            models.UniqueConstraint(
                fields=["delivery", "line_no"], name="sales_deliveryline_unique"
            ),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="sales_deliveryline_qty_pos"),
            models.CheckConstraint(
                condition=Q(invoiced_quantity__gte=0) & Q(invoiced_quantity__lte=F("quantity")),
                name="sales_deliveryline_invoiced_within",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.delivery_id}/{self.line_no}: {self.item_id} × {self.quantity}"

    @property
    def uninvoiced_quantity(self) -> Decimal:
        """Shipped and not yet invoiced."""
        return self.quantity - self.invoiced_quantity
