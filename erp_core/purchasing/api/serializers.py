"""Serializers of the purchasing API: a read serializer per document, input serializers for
writes and actions.

Input serializers only check shapes; the views hand ``validated_data`` to
``erp_core.purchasing.services``, where the purchasing rules live.
"""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from common.serializers import AnswersWithReadSerializer, DecimalNumberField, ModelSerializer
from erp_core.documents.api import RevisionInputSerializer
from erp_core.models import Item, Partner, TaxCode, Warehouse
from erp_core.purchasing.models import (
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseReceipt,
    PurchaseReceiptLine,
    PurchaseRequisition,
    PurchaseRequisitionLine,
)

QUANTITY = {"max_digits": 18, "decimal_places": 6, "min_value": Decimal("0.000001")}
PRICE = {"max_digits": 18, "decimal_places": 6, "min_value": Decimal("0")}
PERCENT = {"max_digits": 7, "decimal_places": 4, "min_value": Decimal("0")}
MONEY = {"max_digits": 20, "decimal_places": 2}
DOCUMENT_FIELDS = (
    "id",
    "number",
    "date",
    "status",
    "memo",
    "revision",
    "created_by",
    "created_at",
    "approved_by",
    "approved_at",
    "voided_at",
    "void_reason",
)


# --- Requisitions ------------------------------------------------------------------------------


class PurchaseRequisitionLineSerializer(ModelSerializer):
    """A requisition line as the API shows it."""

    item_code = serializers.CharField(source="item.code", read_only=True)
    item_name = serializers.CharField(source="item.name", read_only=True)

    class Meta:
        model = PurchaseRequisitionLine
        fields = (
            "id",
            "line_no",
            "item",
            "item_code",
            "item_name",
            "quantity",
            "needed_by",
            "suggested_supplier",
            "ordered_quantity",
        )
        read_only_fields = fields


class PurchaseRequisitionSerializer(ModelSerializer):
    """A requisition with its lines."""

    lines = PurchaseRequisitionLineSerializer(many=True, read_only=True)

    class Meta:
        model = PurchaseRequisition
        fields = (*DOCUMENT_FIELDS, "requested_by", "lines")
        read_only_fields = fields


class PurchaseRequisitionLineInputSerializer(serializers.Serializer):
    """A line to write: an item, a quantity, when it is needed and from whom it may come."""

    item = serializers.PrimaryKeyRelatedField(queryset=Item.objects.all())
    quantity = DecimalNumberField(**QUANTITY)
    needed_by = serializers.DateField(required=False, allow_null=True)
    suggested_supplier = serializers.PrimaryKeyRelatedField(
        queryset=Partner.objects.all(), required=False, allow_null=True
    )


class PurchaseRequisitionWriteSerializer(AnswersWithReadSerializer, RevisionInputSerializer):
    """Input to create or change a saved requisition; ``lines`` replace all lines."""

    read_serializer = PurchaseRequisitionSerializer

    date = serializers.DateField()
    memo = serializers.CharField(max_length=255, required=False, allow_blank=True)
    lines = PurchaseRequisitionLineInputSerializer(many=True, allow_empty=False)


# --- Orders ------------------------------------------------------------------------------------


class PurchaseOrderLineSerializer(ModelSerializer):
    """An order line with its price, VAT, dates and received quantity."""

    #: What a supplier's user sees of a line (not the requisition behind it).
    partner_fields = (
        "id",
        "line_no",
        "item",
        "item_code",
        "item_name",
        "unit",
        "description",
        "quantity",
        "unit_price",
        "discount_percent",
        "net_unit_price",
        "tax_rate",
        "net_amount",
        "tax_amount",
        "gross_amount",
        "expected_date",
        "confirmed_date",
        "received_quantity",
    )

    item_code = serializers.CharField(source="item.code", read_only=True)
    item_name = serializers.CharField(source="item.name", read_only=True)
    unit = serializers.CharField(source="item.unit.code", read_only=True)
    net_unit_price = DecimalNumberField(max_digits=18, decimal_places=6, read_only=True)

    class Meta:
        model = PurchaseOrderLine
        fields = (
            "id",
            "line_no",
            "item",
            "item_code",
            "item_name",
            "unit",
            "description",
            "quantity",
            "unit_price",
            "discount_percent",
            "net_unit_price",
            "tax_code",
            "tax_rate",
            "net_amount",
            "tax_amount",
            "gross_amount",
            "expected_date",
            "confirmed_date",
            "received_quantity",
            "requisition_line",
        )
        read_only_fields = fields


class PurchaseOrderSerializer(ModelSerializer):
    """A purchase order with its lines and totals.

    A supplier's user sees ``partner_fields``: not the staff who made, placed or acknowledged
    it, nor the internal memo or the reasons written by staff.
    """

    partner_fields = (
        "id",
        "number",
        "date",
        "status",
        "revision",
        "created_at",
        "approved_at",
        "supplier",
        "supplier_code",
        "supplier_name",
        "warehouse_code",
        "expected_date",
        "payment_terms_days",
        "over_receipt_tolerance",
        "under_receipt_tolerance",
        "acknowledged_at",
        "supplier_reference",
        "closed_at",
        "cancelled_at",
        "total_net",
        "total_tax",
        "total_gross",
        "lines",
    )

    supplier_code = serializers.CharField(source="supplier.code", read_only=True)
    supplier_name = serializers.CharField(source="supplier.name", read_only=True)
    warehouse_code = serializers.CharField(source="warehouse.code", read_only=True)
    total_net = DecimalNumberField(**MONEY, read_only=True)
    total_tax = DecimalNumberField(**MONEY, read_only=True)
    total_gross = DecimalNumberField(**MONEY, read_only=True)
    lines = PurchaseOrderLineSerializer(many=True, read_only=True)

    class Meta:
        model = PurchaseOrder
        fields = (
            *DOCUMENT_FIELDS,
            "supplier",
            "supplier_code",
            "supplier_name",
            "warehouse",
            "warehouse_code",
            "expected_date",
            "payment_terms_days",
            "over_receipt_tolerance",
            "under_receipt_tolerance",
            "acknowledged_at",
            "acknowledged_by",
            "supplier_reference",
            "closed_at",
            "cancelled_at",
            "cancel_reason",
            "total_net",
            "total_tax",
            "total_gross",
            "lines",
        )
        read_only_fields = fields


class PurchaseOrderLineInputSerializer(serializers.Serializer):
    """A line to write; what is left out takes the defaults (last price, item VAT, lead time)."""

    item = serializers.PrimaryKeyRelatedField(queryset=Item.objects.all())
    quantity = DecimalNumberField(**QUANTITY)
    unit_price = DecimalNumberField(**PRICE, required=False, allow_null=True)
    discount_percent = DecimalNumberField(**PERCENT, max_value=Decimal("100"), required=False)
    tax_code = serializers.PrimaryKeyRelatedField(
        queryset=TaxCode.objects.all(), required=False, allow_null=True
    )
    tax_rate = DecimalNumberField(
        max_digits=5, decimal_places=4, min_value=Decimal("0"), required=False, allow_null=True
    )
    expected_date = serializers.DateField(required=False, allow_null=True)
    description = serializers.CharField(max_length=255, required=False, allow_blank=True)
    requisition_line = serializers.PrimaryKeyRelatedField(
        queryset=PurchaseRequisitionLine.objects.all(), required=False, allow_null=True
    )


class _OrderHeaderFields(serializers.Serializer):
    expected_date = serializers.DateField(required=False, allow_null=True)
    payment_terms_days = serializers.IntegerField(
        required=False, min_value=0, max_value=3650, allow_null=True
    )
    over_receipt_tolerance = DecimalNumberField(**PERCENT, required=False)
    under_receipt_tolerance = DecimalNumberField(
        **PERCENT, max_value=Decimal("99.9999"), required=False
    )
    memo = serializers.CharField(max_length=255, required=False, allow_blank=True)


class PurchaseOrderWriteSerializer(
    AnswersWithReadSerializer, RevisionInputSerializer, _OrderHeaderFields
):
    """Input to create or change a saved order; ``lines`` replace all lines."""

    read_serializer = PurchaseOrderSerializer

    supplier = serializers.PrimaryKeyRelatedField(queryset=Partner.objects.all())
    date = serializers.DateField()
    warehouse = serializers.PrimaryKeyRelatedField(queryset=Warehouse.objects.all())
    lines = PurchaseOrderLineInputSerializer(many=True, allow_empty=False)


class RequisitionLineOrderSerializer(serializers.Serializer):
    """A requisition line to order; the quantity defaults to what is left, rounded up."""

    requisition_line = serializers.PrimaryKeyRelatedField(
        queryset=PurchaseRequisitionLine.objects.all()
    )
    quantity = DecimalNumberField(**QUANTITY, required=False)
    unit_price = DecimalNumberField(**PRICE, required=False, allow_null=True)
    discount_percent = DecimalNumberField(**PERCENT, max_value=Decimal("100"), required=False)
    tax_code = serializers.PrimaryKeyRelatedField(
        queryset=TaxCode.objects.all(), required=False, allow_null=True
    )
    expected_date = serializers.DateField(required=False, allow_null=True)


class PurchaseOrderFromRequisitionsSerializer(AnswersWithReadSerializer, _OrderHeaderFields):
    """Input to make a draft order from lines of approved requisitions."""

    read_serializer = PurchaseOrderSerializer

    supplier = serializers.PrimaryKeyRelatedField(queryset=Partner.objects.all())
    warehouse = serializers.PrimaryKeyRelatedField(queryset=Warehouse.objects.all())
    date = serializers.DateField(required=False)
    requisition_lines = RequisitionLineOrderSerializer(many=True, allow_empty=False)


class AcknowledgedLineSerializer(serializers.Serializer):
    """A date the supplier confirms for one order line."""

    order_line = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    confirmed_date = serializers.DateField()


class PurchaseOrderAcknowledgeInputSerializer(RevisionInputSerializer):
    """The supplier's acknowledgement: its reference and, optionally, dates per line."""

    supplier_reference = serializers.CharField(max_length=64, required=False, allow_blank=True)
    lines = AcknowledgedLineSerializer(many=True, required=False)


class PurchaseOrderCloseInputSerializer(RevisionInputSerializer):
    """Why the rest of an order is no longer expected (optional)."""

    reason = serializers.CharField(max_length=255, required=False, allow_blank=True)


class PurchaseOrderCancelInputSerializer(RevisionInputSerializer):
    """Why a placed order is cancelled."""

    reason = serializers.CharField(
        max_length=255, allow_blank=False, help_text=_("Kept on the order.")
    )


# --- Receipts ----------------------------------------------------------------------------------


class PurchaseReceiptLineSerializer(ModelSerializer):
    """A receipt line: the order line, the quantity, the cost it was booked at, billed so far."""

    #: What a supplier's user sees of a line: not the stock cost or the stock move.
    partner_fields = (
        "id",
        "line_no",
        "order_line",
        "order_line_no",
        "item",
        "item_code",
        "quantity",
        "billed_quantity",
    )

    item_code = serializers.CharField(source="item.code", read_only=True)
    order_line_no = serializers.IntegerField(source="order_line.line_no", read_only=True)

    class Meta:
        model = PurchaseReceiptLine
        fields = (
            "id",
            "line_no",
            "order_line",
            "order_line_no",
            "item",
            "item_code",
            "quantity",
            "unit_cost",
            "billed_quantity",
            "stock_move",
        )
        read_only_fields = fields


class PurchaseReceiptSerializer(ModelSerializer):
    """A receipt with its lines; a supplier's user sees ``partner_fields``."""

    partner_fields = (
        "id",
        "number",
        "date",
        "status",
        "created_at",
        "approved_at",
        "supplier",
        "supplier_code",
        "purchase_order",
        "purchase_order_number",
        "warehouse_code",
        "delivery_note",
        "lines",
    )

    supplier_code = serializers.CharField(source="supplier.code", read_only=True)
    purchase_order_number = serializers.CharField(source="purchase_order.number", read_only=True)
    warehouse_code = serializers.CharField(source="warehouse.code", read_only=True)
    lines = PurchaseReceiptLineSerializer(many=True, read_only=True)

    class Meta:
        model = PurchaseReceipt
        fields = (
            *DOCUMENT_FIELDS,
            "supplier",
            "supplier_code",
            "purchase_order",
            "purchase_order_number",
            "warehouse",
            "warehouse_code",
            "delivery_note",
            "wms_receipt_id",
            "lines",
        )
        read_only_fields = fields


class PurchaseReceiptLineInputSerializer(serializers.Serializer):
    """A quantity received on a line of the order."""

    order_line = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    quantity = DecimalNumberField(**QUANTITY)


class PurchaseReceiptUpdateSerializer(AnswersWithReadSerializer, RevisionInputSerializer):
    """Input to change a saved receipt; ``lines`` replace all lines."""

    read_serializer = PurchaseReceiptSerializer

    date = serializers.DateField(required=False)
    warehouse = serializers.PrimaryKeyRelatedField(queryset=Warehouse.objects.all(), required=False)
    delivery_note = serializers.CharField(max_length=64, required=False, allow_blank=True)
    memo = serializers.CharField(max_length=255, required=False, allow_blank=True)
    lines = PurchaseReceiptLineInputSerializer(many=True, allow_empty=False, required=False)


class PurchaseReceiptWriteSerializer(PurchaseReceiptUpdateSerializer):
    """Input to save a receipt against a placed order."""

    purchase_order = serializers.PrimaryKeyRelatedField(queryset=PurchaseOrder.objects.all())
    lines = PurchaseReceiptLineInputSerializer(many=True, allow_empty=False)
