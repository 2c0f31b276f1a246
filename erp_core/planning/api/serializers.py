"""Serializers of the planning API: read shapes, and input serializers that only validate
shapes (the rules live in ``erp_core.planning.services``)."""

from rest_framework import serializers

from common.serializers import AnswersWithReadSerializer, DecimalNumberField, ModelSerializer
from erp_core.models import Item, Warehouse
from erp_core.planning.models import (
    ExceptionMessage,
    Forecast,
    MrpRun,
    PlannedOrder,
    PlannedOrderPeg,
    Shortage,
    SupplyPeg,
)
from erp_core.planning.services.orders import MAX_BULK


class MrpRunSerializer(ModelSerializer):
    """A run with its status, progress and what it produced."""

    class Meta:
        model = MrpRun
        fields = (
            "id", "kind", "status", "progress", "stage", "plan_date", "created_at",
            "started_at", "finished_at", "items_planned", "planned_order_count",
            "exception_count", "shortage_count", "error_code", "error_args",
        )  # fmt: skip
        read_only_fields = fields


class MrpRunStartSerializer(AnswersWithReadSerializer, serializers.Serializer):
    """Start a regenerative run (no fields): the answer is the queued run."""

    read_serializer = MrpRunSerializer


class PlannedOrderPegSerializer(ModelSerializer):
    """What a planned order serves: a sales order line, a forecast, a production order's
    component, another planned order's component, or the safety stock."""

    sales_order = serializers.IntegerField(source="sales_order_line.order_id", read_only=True)
    sales_order_number = serializers.CharField(
        source="sales_order_line.order.number", read_only=True, default=None
    )

    class Meta:
        model = PlannedOrderPeg
        fields = (
            "id", "kind", "quantity", "need_date", "sales_order_line", "sales_order",
            "sales_order_number", "forecast", "production_order", "parent",
        )  # fmt: skip
        read_only_fields = fields


class PlannedOrderSerializer(ModelSerializer):
    """A planned order with its item and, in detail, its pegs."""

    item_code = serializers.CharField(source="item.code", read_only=True)
    item_name = serializers.CharField(source="item.name", read_only=True)
    pegs = PlannedOrderPegSerializer(many=True, read_only=True)

    class Meta:
        model = PlannedOrder
        fields = (
            "id", "run", "item", "item_code", "item_name", "kind", "status", "quantity",
            "start_date", "due_date", "is_short", "firmed_at", "released_at",
            "requisition_line", "production_order", "pegs",
        )  # fmt: skip
        read_only_fields = fields


class PlannedOrderBulkSerializer(serializers.Serializer):
    """The planned orders to firm, unfirm or release (at most 500 at a time)."""

    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        min_length=1,
        max_length=MAX_BULK,
    )


class PlannedOrderReleaseSerializer(PlannedOrderBulkSerializer):
    """The planned orders to release, and the warehouse of the production orders made."""

    warehouse = serializers.PrimaryKeyRelatedField(
        queryset=Warehouse.objects.filter(is_active=True), required=False
    )


class ExceptionMessageSerializer(ModelSerializer):
    """An exception message of the current plan."""

    item_code = serializers.CharField(source="item.code", read_only=True)

    class Meta:
        model = ExceptionMessage
        fields = (
            "id", "run", "kind", "item", "item_code", "supply_kind", "supply_id",
            "supply_number", "current_date", "suggested_date", "quantity",
        )  # fmt: skip
        read_only_fields = fields


class SupplyPegSerializer(ModelSerializer):
    """What an open purchase order or requisition line or production order serves, and when
    the supply is expected."""

    item_code = serializers.CharField(source="item.code", read_only=True)
    sales_order = serializers.IntegerField(source="sales_order_line.order_id", read_only=True)
    sales_order_number = serializers.CharField(
        source="sales_order_line.order.number", read_only=True, default=None
    )

    class Meta:
        model = SupplyPeg
        fields = (
            "id", "supply_kind", "supply_id", "supply_date", "item", "item_code", "kind",
            "quantity", "need_date", "sales_order_line", "sales_order", "sales_order_number",
            "forecast", "production_order", "parent",
        )  # fmt: skip
        read_only_fields = fields


class ShortageSerializer(ModelSerializer):
    """A shortage of the current plan and the sales orders it hurts."""

    item_code = serializers.CharField(source="item.code", read_only=True)

    class Meta:
        model = Shortage
        fields = ("id", "run", "item", "item_code", "need_date", "quantity", "sales_order_ids")
        read_only_fields = fields


class ForecastSerializer(ModelSerializer):
    """A forecast of an item over a period."""

    item_code = serializers.CharField(source="item.code", read_only=True)

    class Meta:
        model = Forecast
        fields = (
            "id", "item", "item_code", "period_start", "period_end", "quantity", "memo",
            "created_at", "updated_at",
        )  # fmt: skip
        read_only_fields = fields


class ForecastWriteSerializer(AnswersWithReadSerializer, serializers.Serializer):
    """Input of a forecast: the service checks the period and the quantity."""

    read_serializer = ForecastSerializer

    item = serializers.PrimaryKeyRelatedField(queryset=Item.objects.all())
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    quantity = DecimalNumberField(max_digits=18, decimal_places=6)
    memo = serializers.CharField(max_length=255, required=False, allow_blank=True)
