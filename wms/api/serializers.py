"""Serializers of the WMS API: read serializers, and the inputs of writes and status steps."""

from django.db import models
from rest_framework import serializers

from common.serializers import DecimalNumberField
from erp_core.models import Item, Warehouse
from wms.models import (
    Bin,
    Count,
    CountLine,
    ExpectedReceipt,
    ExpectedReceiptLine,
    Lot,
    MoveTask,
    Quant,
    ReceiptScan,
    SerialNumber,
    Transfer,
    TransferLine,
    Zone,
)

QTY = {"max_digits": 18, "decimal_places": 6}


class _ModelSerializer(serializers.ModelSerializer):
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DecimalField: DecimalNumberField,
    }


class ZoneSerializer(_ModelSerializer):
    """A zone of a warehouse."""

    class Meta:
        model = Zone
        fields = ("id", "warehouse", "code", "name")


class BinSerializer(_ModelSerializer):
    """A bin with its type, capacity, blocked flag and walking order."""

    class Meta:
        model = Bin
        fields = (
            "id", "warehouse", "zone", "code", "barcode", "bin_type", "capacity_units",
            "capacity_volume", "capacity_weight", "is_blocked", "walking_order",
        )  # fmt: skip


class LotSerializer(_ModelSerializer):
    """A lot with its dates and status."""

    class Meta:
        model = Lot
        fields = ("id", "item", "lot_number", "made_on", "expiry", "status")


class SerialNumberSerializer(_ModelSerializer):
    """A serial number and where the unit is."""

    class Meta:
        model = SerialNumber
        fields = ("id", "item", "serial", "lot", "bin", "status")
        read_only_fields = fields


class QuantSerializer(_ModelSerializer):
    """Stock of an item (of a lot) in a bin."""

    warehouse = serializers.IntegerField(source="bin.warehouse_id", read_only=True)
    item_code = serializers.CharField(source="item.code", read_only=True)
    bin_code = serializers.CharField(source="bin.code", read_only=True)
    lot_number = serializers.CharField(source="lot.lot_number", read_only=True, default=None)
    expiry = serializers.DateField(source="lot.expiry", read_only=True, default=None)

    class Meta:
        model = Quant
        fields = (
            "id", "warehouse", "bin", "bin_code", "item", "item_code", "lot", "lot_number",
            "expiry", "on_hand", "reserved",
        )  # fmt: skip
        read_only_fields = fields


class ReceiptScanSerializer(_ModelSerializer):
    """A scan against a receipt line."""

    lot_number = serializers.CharField(source="lot.lot_number", read_only=True, default=None)

    class Meta:
        model = ReceiptScan
        fields = ("id", "lot", "lot_number", "serial_number", "quantity", "scanned_at")
        read_only_fields = fields


class ExpectedReceiptLineSerializer(_ModelSerializer):
    """A line of an expected receipt with its scans."""

    scans = ReceiptScanSerializer(many=True, read_only=True)

    class Meta:
        model = ExpectedReceiptLine
        fields = (
            "id", "line_no", "purchase_order_line", "item", "quantity", "limit",
            "received_quantity", "cancelled", "scans",
        )  # fmt: skip
        read_only_fields = fields


class ExpectedReceiptSerializer(_ModelSerializer):
    """An expected receipt with its lines."""

    lines = ExpectedReceiptLineSerializer(many=True, read_only=True)

    class Meta:
        model = ExpectedReceipt
        fields = (
            "id", "number", "date", "status", "revision", "warehouse", "supplier",
            "purchase_order", "expected_date", "memo", "lines",
        )  # fmt: skip
        read_only_fields = fields


class ReceiptScanInputSerializer(serializers.Serializer):
    """A scan of arriving goods."""

    barcode = serializers.CharField(max_length=64)
    quantity = DecimalNumberField(**QTY, required=False)
    lot_number = serializers.CharField(max_length=64, required=False, allow_blank=True)
    expiry = serializers.DateField(required=False, allow_null=True)
    made_on = serializers.DateField(required=False, allow_null=True)
    serial = serializers.CharField(max_length=64, required=False, allow_blank=True)


class MoveTaskSerializer(_ModelSerializer):
    """A putaway, replenishment, staging or move task."""

    class Meta:
        model = MoveTask
        fields = (
            "id", "warehouse", "kind", "status", "item", "lot", "quantity", "from_bin",
            "to_bin", "done_bin", "production_order", "created_at", "done_at",
        )  # fmt: skip
        read_only_fields = fields


class MoveTaskConfirmInputSerializer(serializers.Serializer):
    """The bin scanned where the goods were put."""

    bin_barcode = serializers.CharField(max_length=64)
    any_bin = serializers.BooleanField(required=False, default=False)


class TransferLineSerializer(_ModelSerializer):
    """A line of a transfer."""

    class Meta:
        model = TransferLine
        fields = ("id", "line_no", "item", "lot", "from_bin", "quantity")


class TransferSerializer(_ModelSerializer):
    """A transfer between warehouses with its lines."""

    lines = TransferLineSerializer(many=True, read_only=True)

    class Meta:
        model = Transfer
        fields = (
            "id", "number", "date", "status", "revision", "from_warehouse", "to_warehouse",
            "shipped_at", "memo", "lines",
        )  # fmt: skip
        read_only_fields = fields


class TransferLineInputSerializer(serializers.Serializer):
    """A line of a new transfer."""

    item = serializers.PrimaryKeyRelatedField(queryset=Item.objects.all())
    lot = serializers.PrimaryKeyRelatedField(
        queryset=Lot.objects.all(), required=False, allow_null=True
    )
    from_bin = serializers.PrimaryKeyRelatedField(queryset=Bin.objects.all())
    quantity = DecimalNumberField(**QTY)


class TransferWriteSerializer(serializers.Serializer):
    """A new transfer."""

    from_warehouse = serializers.PrimaryKeyRelatedField(queryset=Warehouse.objects.all())
    to_warehouse = serializers.PrimaryKeyRelatedField(queryset=Warehouse.objects.all())
    memo = serializers.CharField(max_length=255, required=False, allow_blank=True)
    lines = TransferLineInputSerializer(many=True)


class CountLineSerializer(_ModelSerializer):
    """A line of a count (what the books held is hidden while a blind count is counted)."""

    class Meta:
        model = CountLine
        fields = (
            "id", "bin", "item", "lot", "snapshot_quantity", "counted_quantity",
            "expected_quantity", "variance", "counted_at",
        )  # fmt: skip
        read_only_fields = fields

    def to_representation(self, instance) -> dict:
        data = super().to_representation(instance)
        count = instance.count
        if count.blind and count.status == Count.Status.DRAFT:
            data["snapshot_quantity"] = None
        return data


class CountSerializer(_ModelSerializer):
    """A count with its lines."""

    lines = CountLineSerializer(many=True, read_only=True)

    class Meta:
        model = Count
        fields = (
            "id", "number", "date", "status", "revision", "warehouse", "plan", "blind",
            "started_at", "bins", "memo", "lines",
        )  # fmt: skip
        read_only_fields = fields


class CountWriteSerializer(serializers.Serializer):
    """A new count: bins of a warehouse (or a plan)."""

    warehouse = serializers.PrimaryKeyRelatedField(queryset=Warehouse.objects.all())
    bins = serializers.PrimaryKeyRelatedField(queryset=Bin.objects.all(), many=True, required=False)
    blind = serializers.BooleanField(required=False, allow_null=True, default=None)


class CountRecordInputSerializer(serializers.Serializer):
    """What a counter found in a bin."""

    bin_barcode = serializers.CharField(max_length=64)
    barcode = serializers.CharField(max_length=64)
    quantity = DecimalNumberField(**QTY, required=False)
    lot_number = serializers.CharField(max_length=64, required=False, allow_blank=True)
    serial = serializers.CharField(
        max_length=64,
        required=False,
        allow_blank=True,
        help_text="A serial-tracked item: one unit's serial number per call.",
    )


class CountRecordSerialsInputSerializer(serializers.Serializer):
    """A handheld's batch of serial scans of one item in one bin (the service checks them)."""

    bin_barcode = serializers.CharField(max_length=64)
    barcode = serializers.CharField(max_length=64)
    serials = serializers.ListField(
        child=serializers.CharField(max_length=64, allow_blank=True),
        allow_empty=False,
        help_text="The units' serial numbers, at most 1,000; all recorded or none.",
    )


class ReasonInputSerializer(serializers.Serializer):
    """Why a document is cancelled."""

    reason = serializers.CharField(max_length=255)
