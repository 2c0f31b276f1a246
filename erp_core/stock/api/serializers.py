"""Serializers of the stock ledger API (read-only: moves are booked by services)."""

from rest_framework import serializers

from common.serializers import ModelSerializer
from erp_core.stock.models import StockBalance, StockMove


class StockMoveSerializer(ModelSerializer):
    """One stock ledger row."""

    item_code = serializers.CharField(source="item.code", read_only=True)
    warehouse_code = serializers.CharField(source="warehouse.code", read_only=True)
    journal_entry_number = serializers.CharField(
        source="journal_entry.number", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = StockMove
        fields = (
            "id", "item", "item_code", "warehouse", "warehouse_code", "moved_at", "reason",
            "quantity", "unit_cost", "value", "receipt_value", "variance", "corrects",
            "source_type", "source_id", "source_event_id", "journal_entry",
            "journal_entry_number", "created_at",
        )  # fmt: skip
        read_only_fields = fields


class StockBalanceSerializer(ModelSerializer):
    """Quantity and value of an item in a warehouse."""

    item_code = serializers.CharField(source="item.code", read_only=True)
    warehouse_code = serializers.CharField(source="warehouse.code", read_only=True)

    class Meta:
        model = StockBalance
        fields = (
            "id", "item", "item_code", "warehouse", "warehouse_code", "quantity", "value",
            "updated_at",
        )  # fmt: skip
        read_only_fields = fields
