"""Serializers of the sales API: read serializers per resource, input serializers for writes.

Input serializers only validate shapes and resolve ids; the views hand ``validated_data`` to
``erp_core.sales.services``, where the rules live.
"""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from common.serializers import AnswersWithReadSerializer, DecimalNumberField, ModelSerializer
from erp_core.documents.api import RevisionInputSerializer
from erp_core.models import Currency, Item, Partner, TaxCode, Warehouse
from erp_core.sales.models import (
    Delivery,
    DeliveryLine,
    PriceList,
    PriceListItem,
    SalesOrder,
    SalesOrderLine,
)

QUANTITY = {"max_digits": 18, "decimal_places": 6}
POSITIVE = {**QUANTITY, "min_value": Decimal("0.000001")}
NOT_NEGATIVE = {**QUANTITY, "min_value": Decimal("0")}
PERCENT = {"max_digits": 7, "decimal_places": 4, "min_value": Decimal("0"), "max_value": 100}
MONEY = {"max_digits": 18, "decimal_places": 2, "read_only": True}


# --- Price lists -------------------------------------------------------------------------------


class PriceListItemSerializer(ModelSerializer):
    """A row of a price list: an item's price from a minimum quantity on."""

    item_code = serializers.CharField(source="item.code", read_only=True)

    class Meta:
        model = PriceListItem
        fields = ("id", "item", "item_code", "min_quantity", "unit_price")
        read_only_fields = fields


class PriceListSerializer(ModelSerializer):
    """A price list with its rows."""

    items = PriceListItemSerializer(many=True, read_only=True)
    currency_code = serializers.CharField(source="currency.code", read_only=True, allow_null=True)

    class Meta:
        model = PriceList
        fields = (
            "id",
            "code",
            "name",
            "currency",
            "currency_code",
            "valid_from",
            "valid_to",
            "is_default",
            "is_active",
            "items",
        )
        read_only_fields = fields


class PriceListItemInputSerializer(serializers.Serializer):
    """A row to write."""

    item = serializers.PrimaryKeyRelatedField(queryset=Item.objects.all())
    min_quantity = DecimalNumberField(**NOT_NEGATIVE, default=Decimal("0"))
    unit_price = DecimalNumberField(**NOT_NEGATIVE)


class PriceListWriteSerializer(AnswersWithReadSerializer, serializers.Serializer):
    """Input to create or replace a price list with its rows."""

    read_serializer = PriceListSerializer

    code = serializers.CharField(max_length=32)
    name = serializers.CharField(max_length=100)
    currency = serializers.PrimaryKeyRelatedField(
        queryset=Currency.objects.all(), required=False, allow_null=True, default=None
    )
    valid_from = serializers.DateField(required=False, allow_null=True, default=None)
    valid_to = serializers.DateField(required=False, allow_null=True, default=None)
    is_default = serializers.BooleanField(default=False)
    is_active = serializers.BooleanField(default=True)
    items = PriceListItemInputSerializer(many=True, required=False, default=list)


# --- Sales orders ------------------------------------------------------------------------------


class SalesOrderLineSerializer(ModelSerializer):
    """An order line with its amounts and what was delivered."""

    #: What a customer's user sees of a line.
    partner_fields = (
        "id",
        "line_no",
        "item",
        "item_code",
        "item_name",
        "description",
        "quantity",
        "unit_price",
        "discount_percent",
        "tax_code_code",
        "tax_rate",
        "net_amount",
        "tax_amount",
        "gross_amount",
        "requested_date",
        "promised_date",
        "delivered_quantity",
        "closed_quantity",
        "open_quantity",
    )

    item_code = serializers.CharField(source="item.code", read_only=True)
    item_name = serializers.CharField(source="item.name", read_only=True)
    tax_code_code = serializers.CharField(source="tax_code.code", read_only=True, allow_null=True)
    open_quantity = DecimalNumberField(**QUANTITY, read_only=True)

    class Meta:
        model = SalesOrderLine
        fields = (
            "id",
            "line_no",
            "item",
            "item_code",
            "item_name",
            "description",
            "quantity",
            "unit_price",
            "discount_percent",
            "tax_code",
            "tax_code_code",
            "tax_rate",
            "net_amount",
            "tax_amount",
            "gross_amount",
            "requested_date",
            "promised_date",
            "delivered_quantity",
            "closed_quantity",
            "open_quantity",
        )
        read_only_fields = fields


class SalesOrderSerializer(ModelSerializer):
    """A sales order with its lines and totals.

    A customer's own user sees ``partner_fields``: not who inside the company approved or
    overrode what, the internal memo, the price list or the CRM quote.
    """

    partner_fields = (
        "id",
        "number",
        "status",
        "date",
        "customer",
        "customer_code",
        "customer_name",
        "customer_reference",
        "warehouse_code",
        "requested_date",
        "promised_date",
        "payment_terms_days",
        "revision",
        "created_at",
        "approved_at",
        "closed_at",
        "voided_at",
        "total_net",
        "total_tax",
        "total_gross",
        "lines",
    )

    customer_code = serializers.CharField(source="customer.code", read_only=True)
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    warehouse_code = serializers.CharField(source="warehouse.code", read_only=True)
    lines = SalesOrderLineSerializer(many=True, read_only=True)
    total_net = serializers.SerializerMethodField()
    total_tax = serializers.SerializerMethodField()
    total_gross = serializers.SerializerMethodField()

    class Meta:
        model = SalesOrder
        fields = (
            "id",
            "number",
            "status",
            "date",
            "customer",
            "customer_code",
            "customer_name",
            "customer_reference",
            "price_list",
            "warehouse",
            "warehouse_code",
            "requested_date",
            "promised_date",
            "payment_terms_days",
            "memo",
            "revision",
            "crm_quote_id",
            "created_at",
            "approved_at",
            "approved_by",
            "credit_override_by",
            "credit_override_reason",
            "closed_at",
            "voided_at",
            "void_reason",
            "total_net",
            "total_tax",
            "total_gross",
            "lines",
        )
        read_only_fields = fields

    def _sum(self, order: SalesOrder, field: str) -> str:
        total = sum((getattr(line, field) for line in order.lines.all()), Decimal("0.00"))
        return f"{total:.2f}"

    def get_total_net(self, order: SalesOrder) -> str:
        """Sum of the lines' amounts before VAT."""
        return self._sum(order, "net_amount")

    def get_total_tax(self, order: SalesOrder) -> str:
        """Sum of the lines' VAT."""
        return self._sum(order, "tax_amount")

    def get_total_gross(self, order: SalesOrder) -> str:
        """Sum of the lines' amounts incl. VAT (价税合计)."""
        return self._sum(order, "gross_amount")


class SalesOrderLineInputSerializer(serializers.Serializer):
    """An order line to write; without ``unit_price`` the price list's price is taken."""

    item = serializers.PrimaryKeyRelatedField(queryset=Item.objects.all())
    quantity = DecimalNumberField(**POSITIVE)
    unit_price = DecimalNumberField(**NOT_NEGATIVE, required=False, allow_null=True)
    discount_percent = DecimalNumberField(**PERCENT, default=Decimal("0"))
    tax_code = serializers.PrimaryKeyRelatedField(
        queryset=TaxCode.objects.all(), required=False, allow_null=True, default=None
    )
    description = serializers.CharField(max_length=255, required=False, allow_blank=True)
    requested_date = serializers.DateField(required=False, allow_null=True, default=None)
    promised_date = serializers.DateField(required=False, allow_null=True, default=None)


class SalesOrderWriteSerializer(AnswersWithReadSerializer, serializers.Serializer):
    """Input to create a sales order, or replace a saved one (with ``revision``)."""

    read_serializer = SalesOrderSerializer

    customer = serializers.PrimaryKeyRelatedField(queryset=Partner.objects.all())
    warehouse = serializers.PrimaryKeyRelatedField(queryset=Warehouse.objects.all())
    date = serializers.DateField()
    price_list = serializers.PrimaryKeyRelatedField(
        queryset=PriceList.objects.all(), required=False, allow_null=True, default=None
    )
    customer_reference = serializers.CharField(
        max_length=64, required=False, allow_blank=True, default=""
    )
    requested_date = serializers.DateField(required=False, allow_null=True, default=None)
    promised_date = serializers.DateField(required=False, allow_null=True, default=None)
    payment_terms_days = serializers.IntegerField(
        min_value=0, max_value=3650, required=False, allow_null=True, default=None
    )
    memo = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    lines = SalesOrderLineInputSerializer(many=True, allow_empty=False)
    revision = serializers.IntegerField(
        min_value=1,
        required=False,
        write_only=True,
        help_text=_("On update: the revision you read; a newer one on the server is a 409."),
    )


class SalesOrderApproveInputSerializer(RevisionInputSerializer):
    """Confirm an order; a Finance user may override the credit limit with a reason."""

    override_credit = serializers.BooleanField(default=False)
    override_reason = serializers.CharField(
        max_length=255, required=False, allow_blank=True, default=""
    )


# --- Deliveries --------------------------------------------------------------------------------


class DeliveryLineSerializer(ModelSerializer):
    """A delivered quantity of an order line, and how much of it was invoiced."""

    partner_fields = (
        "id",
        "line_no",
        "sales_order_line",
        "order_line_no",
        "item",
        "item_code",
        "item_name",
        "quantity",
        "invoiced_quantity",
    )

    item_code = serializers.CharField(source="item.code", read_only=True)
    item_name = serializers.CharField(source="item.name", read_only=True)
    order_line_no = serializers.IntegerField(source="sales_order_line.line_no", read_only=True)

    class Meta:
        model = DeliveryLine
        fields = (
            "id",
            "line_no",
            "sales_order_line",
            "order_line_no",
            "item",
            "item_code",
            "item_name",
            "quantity",
            "invoiced_quantity",
            "stock_move",
        )
        read_only_fields = fields


class DeliverySerializer(ModelSerializer):
    """A delivery (送货单) with its lines; a customer's user sees ``partner_fields``."""

    partner_fields = (
        "id",
        "number",
        "status",
        "date",
        "customer",
        "customer_code",
        "customer_name",
        "sales_order",
        "sales_order_number",
        "warehouse_code",
        "shipment_reference",
        "revision",
        "created_at",
        "approved_at",
        "voided_at",
        "lines",
    )

    customer_code = serializers.CharField(source="customer.code", read_only=True)
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    sales_order_number = serializers.CharField(source="sales_order.number", read_only=True)
    warehouse_code = serializers.CharField(source="warehouse.code", read_only=True)
    lines = DeliveryLineSerializer(many=True, read_only=True)

    class Meta:
        model = Delivery
        fields = (
            "id",
            "number",
            "status",
            "date",
            "customer",
            "customer_code",
            "customer_name",
            "sales_order",
            "sales_order_number",
            "warehouse",
            "warehouse_code",
            "shipment_reference",
            "memo",
            "revision",
            "created_at",
            "approved_at",
            "voided_at",
            "void_reason",
            "lines",
        )
        read_only_fields = fields


class DeliveryLineInputSerializer(serializers.Serializer):
    """A line to deliver: an order line (by id) and a quantity."""

    sales_order_line = serializers.PrimaryKeyRelatedField(queryset=SalesOrderLine.objects.all())
    quantity = DecimalNumberField(**POSITIVE)


class DeliveryWriteSerializer(AnswersWithReadSerializer, serializers.Serializer):
    """Input to create a delivery of a confirmed order."""

    read_serializer = DeliverySerializer

    sales_order = serializers.PrimaryKeyRelatedField(queryset=SalesOrder.objects.all())
    date = serializers.DateField()
    warehouse = serializers.PrimaryKeyRelatedField(
        queryset=Warehouse.objects.all(), required=False, allow_null=True, default=None
    )
    memo = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    shipment_reference = serializers.CharField(
        max_length=64, required=False, allow_blank=True, default=""
    )
    lines = DeliveryLineInputSerializer(many=True, allow_empty=False)


class DeliveryUpdateSerializer(AnswersWithReadSerializer, serializers.Serializer):
    """Input to replace a saved delivery's date, warehouse, memo and lines."""

    read_serializer = DeliverySerializer

    date = serializers.DateField()
    warehouse = serializers.PrimaryKeyRelatedField(queryset=Warehouse.objects.all())
    memo = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    shipment_reference = serializers.CharField(
        max_length=64, required=False, allow_blank=True, default=""
    )
    lines = DeliveryLineInputSerializer(many=True, allow_empty=False)
    revision = serializers.IntegerField(min_value=1, required=False, write_only=True)
