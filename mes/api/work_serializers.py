"""Serializers of work orders, operations, lots and genealogy, and the inputs of the
operations' steps."""

from django.db import models
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from common.serializers import DecimalNumberField
from mes.models import Machine, OperationReport, ProductionLot, WorkOperation, WorkOrder
from mes.selectors_work import LotNode

QTY = {"max_digits": 18, "decimal_places": 6}
#: The two ways of a genealogy: to the lots consumed, to the lots made and the customers.
GENEALOGY_DIRECTIONS = (("backward", "backward"), ("forward", "forward"))


class _ModelSerializer(serializers.ModelSerializer):
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DecimalField: DecimalNumberField,
    }


class WorkOperationSerializer(_ModelSerializer):
    """An operation of a work order: where it is queued, its status and what was reported."""

    number = serializers.CharField(source="work_order.number", read_only=True)
    work_center_code = serializers.CharField(source="work_center.code", read_only=True)
    machine_code = serializers.CharField(source="machine.code", read_only=True, default=None)

    class Meta:
        model = WorkOperation
        fields = (
            "id", "work_order", "number", "sequence", "name", "work_center", "work_center_code",
            "machine", "machine_code", "status", "planned_start", "planned_end",
            "quantity_good", "quantity_scrap", "started_at", "finished_at",
            "production_order_operation",
        )  # fmt: skip


class _OperationRowSerializer(_ModelSerializer):
    class Meta:
        model = WorkOperation
        fields = ("id", "sequence", "name", "work_center", "machine", "status", "quantity_good",
                  "quantity_scrap", "planned_start")  # fmt: skip


class WorkOrderSerializer(_ModelSerializer):
    """A work order: the released production order MES runs, with its operations."""

    number = serializers.CharField(source="production_order.number", read_only=True)
    item_code = serializers.CharField(source="item.code", read_only=True)
    operations = _OperationRowSerializer(many=True, read_only=True)

    class Meta:
        model = WorkOrder
        fields = (
            "id", "number", "production_order", "item", "item_code", "quantity", "due_date",
            "status", "staged", "staged_at", "operations",
        )  # fmt: skip


class ProductionLotSerializer(_ModelSerializer):
    """A lot the shop floor knows: bought (consumed) or made by a work order."""

    item_code = serializers.CharField(source="item.code", read_only=True)

    class Meta:
        model = ProductionLot
        fields = ("id", "number", "item", "item_code", "work_order", "quantity_made", "created_at")


class OperationStartInputSerializer(serializers.Serializer):
    """Start: on a machine of the work center (default: where it is queued); a supervisor may
    give a reason to start against the predecessor or material rule."""

    machine = serializers.PrimaryKeyRelatedField(
        queryset=Machine.objects.all(), required=False, allow_null=True
    )
    override_reason = serializers.CharField(
        required=False, allow_blank=True, max_length=255, default=""
    )


class OperationReportInputSerializer(serializers.Serializer):
    """Report good and scrap (scrap with its reason); the last operation's good output goes
    into ``lot_number`` (made up from the order's number when not given), with the ``serials``
    of its units (one per unit) when given."""

    quantity_good = DecimalNumberField(**QTY, required=False, default="0")
    quantity_scrap = DecimalNumberField(**QTY, required=False, default="0")
    scrap_reason = serializers.ChoiceField(
        choices=OperationReport.ScrapReason.choices, required=False, allow_blank=True, default=""
    )
    lot_number = serializers.CharField(required=False, allow_blank=True, max_length=64, default="")
    serials = serializers.ListField(
        child=serializers.CharField(max_length=64),
        required=False,
        max_length=10000,
    )


class OperationConsumeInputSerializer(serializers.Serializer):
    """A material lot scanned at the line: the item's code or barcode, the lot, the quantity."""

    item = serializers.CharField(max_length=64)
    lot_number = serializers.CharField(max_length=64)
    quantity = DecimalNumberField(**QTY)


def lot_node_data(node: LotNode) -> dict:
    """A genealogy tree as plain data (lots, quantities, work orders, shipments, children)."""
    return {
        "lot": node.lot.pk,
        "lot_number": node.lot.number,
        "item": node.lot.item_id,
        "item_code": node.lot.item.code,
        "quantity": None if node.quantity is None else str(node.quantity),
        "work_order": node.work_order.pk if node.work_order else None,
        "work_order_number": node.work_order.number if node.work_order else None,
        "shipments": [
            {
                "shipment_id": shipment.shipment_id,
                "sales_order": shipment.sales_order_id,
                "sales_order_number": shipment.sales_order.number,
                "customer": shipment.customer_id,
                "customer_code": shipment.customer.code,
                "customer_name": shipment.customer.name,
                "quantity": str(shipment.quantity),
                "shipped_at": shipment.shipped_at.isoformat(),
            }
            for shipment in node.shipments
        ],
        "children": [lot_node_data(child) for child in node.children],
    }


@extend_schema_field(
    {
        "type": "object",
        "description": "A lot with its quantity, work order, shipments and children (the same).",
    }
)
class LotNodeField(serializers.DictField):
    """A genealogy tree."""


class GenealogySerializer(serializers.Serializer):
    """Backward (the lots consumed) or forward (the lots made and the customers shipped to)."""

    direction = serializers.CharField(help_text="backward or forward")
    tree = LotNodeField()
    customers = serializers.ListField(child=serializers.DictField(), required=False)
