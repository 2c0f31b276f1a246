"""Serializers of the WMS API: read serializers, and the inputs of the outbound verbs."""

from rest_framework import serializers

from common.serializers import DecimalNumberField
from wms.models import (
    Allocation,
    OutboundLine,
    OutboundOrder,
    Package,
    PackageContent,
    PickList,
    Shipment,
)


class OutboundLineSerializer(serializers.ModelSerializer):
    """A line of an outbound order and how far it got."""

    item_code = serializers.CharField(source="item.code", read_only=True)
    backordered_quantity = serializers.DecimalField(max_digits=18, decimal_places=6, read_only=True)

    class Meta:
        model = OutboundLine
        fields = (
            "id", "line_no", "sales_order_line", "item", "item_code", "quantity",
            "allocated_quantity", "picked_quantity", "shipped_quantity", "cancelled_quantity",
            "backordered_quantity",
        )  # fmt: skip
        read_only_fields = fields


class OutboundOrderSerializer(serializers.ModelSerializer):
    """An outbound order with its lines."""

    lines = OutboundLineSerializer(many=True, read_only=True)
    sales_order_number = serializers.CharField(source="sales_order.number", read_only=True)

    class Meta:
        model = OutboundOrder
        fields = (
            "id", "number", "date", "status", "revision", "warehouse", "customer",
            "sales_order", "sales_order_number", "promised_date", "shipping_bin", "lines",
        )  # fmt: skip
        read_only_fields = fields


class PickTaskSerializer(serializers.ModelSerializer):
    """A pick on a list: where, what, which lot or serial number, how much."""

    bin_code = serializers.CharField(source="bin.code", read_only=True)
    item_code = serializers.CharField(source="item.code", read_only=True)
    lot_number = serializers.CharField(source="lot.lot_number", read_only=True, default=None)
    serial = serializers.CharField(source="serial.serial", read_only=True, default=None)
    order = serializers.IntegerField(source="line.order_id", read_only=True)

    class Meta:
        model = Allocation
        fields = (
            "id", "sequence", "status", "order", "line", "bin", "bin_code", "item",
            "item_code", "lot", "lot_number", "serial", "quantity", "picked_quantity",
        )  # fmt: skip
        read_only_fields = fields


class PickListSerializer(serializers.ModelSerializer):
    """A pick list (a wave) with its orders and its picks in walking order."""

    tasks = PickTaskSerializer(many=True, read_only=True)

    class Meta:
        model = PickList
        fields = ("id", "number", "date", "status", "revision", "warehouse", "orders", "tasks")
        read_only_fields = fields


class PickListCreateSerializer(serializers.Serializer):
    """The outbound orders to pick together."""

    orders = serializers.PrimaryKeyRelatedField(
        many=True, queryset=OutboundOrder.objects.all(), allow_empty=False
    )


class PickInputSerializer(serializers.Serializer):
    """One scan: the bin, the item (barcode or code), its lot or serial, the quantity."""

    bin = serializers.CharField(max_length=64, help_text="The bin's barcode, as scanned.")
    item = serializers.CharField(max_length=64, help_text="The item's barcode or code.")
    lot = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
    serial = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
    quantity = DecimalNumberField(max_digits=18, decimal_places=6)
    task = serializers.IntegerField(required=False, allow_null=True, default=None)


class ShortPickInputSerializer(serializers.Serializer):
    """A pick whose bin holds less than asked: what was found there."""

    task = serializers.IntegerField()
    found_quantity = DecimalNumberField(max_digits=18, decimal_places=6)


class PackageContentSerializer(serializers.ModelSerializer):
    """What of a line (lot, serial number) lies in a package."""

    lot_number = serializers.CharField(source="lot.lot_number", read_only=True, default=None)
    serial = serializers.CharField(source="serial.serial", read_only=True, default=None)
    item_code = serializers.CharField(source="item.code", read_only=True)

    class Meta:
        model = PackageContent
        fields = ("id", "line", "item", "item_code", "lot", "lot_number", "serial", "quantity")
        read_only_fields = fields


class PackageSerializer(serializers.ModelSerializer):
    """A package with its weight and contents."""

    contents = PackageContentSerializer(many=True, read_only=True)

    class Meta:
        model = Package
        fields = ("id", "code", "order", "shipment", "weight", "created_at", "contents")
        read_only_fields = fields


class PackageContentInputSerializer(serializers.Serializer):
    """A quantity of an outbound line to pack (of a lot or one serial number)."""

    line = serializers.IntegerField()
    quantity = DecimalNumberField(max_digits=18, decimal_places=6)
    lot_number = serializers.CharField(max_length=64, required=False, allow_blank=True)
    serial = serializers.CharField(max_length=64, required=False, allow_blank=True)


class PackageCreateSerializer(serializers.Serializer):
    """Pack picked goods of an order: everything not yet packed, or the contents given."""

    order = serializers.PrimaryKeyRelatedField(queryset=OutboundOrder.objects.all())
    weight = DecimalNumberField(max_digits=14, decimal_places=3)
    contents = PackageContentInputSerializer(many=True, required=False, allow_null=True)


class ShipmentSerializer(serializers.ModelSerializer):
    """A shipment and its packages."""

    sales_order = serializers.IntegerField(source="order.sales_order_id", read_only=True)

    class Meta:
        model = Shipment
        fields = (
            "id", "number", "date", "status", "revision", "order", "sales_order", "warehouse",
            "carrier", "tracking_number", "dispatched_at", "packages",
        )  # fmt: skip
        read_only_fields = fields


class ShipmentCreateSerializer(serializers.Serializer):
    """The packages of an order to ship together (all not yet shipped, when none are named)."""

    order = serializers.PrimaryKeyRelatedField(queryset=OutboundOrder.objects.all())
    packages = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Package.objects.all(), required=False
    )
    carrier = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    tracking_number = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default=""
    )
