"""Serializers of the production order API: read serializers, and input serializers that only
validate shapes (the rules live in ``erp_core.production.services``)."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from common.serializers import AnswersWithReadSerializer, DecimalNumberField, ModelSerializer
from erp_core.documents.api import RevisionInputSerializer
from erp_core.models import BillOfMaterials, Item, Routing, Warehouse
from erp_core.production.models import (
    ProductionOrder,
    ProductionOrderMaterial,
    ProductionOrderOperation,
    ProductionTimeBooking,
)

QUANTITY = {"max_digits": 18, "decimal_places": 6}
POSITIVE = {**QUANTITY, "min_value": Decimal("0.000001")}
NOT_NEGATIVE = {**QUANTITY, "min_value": Decimal("0")}


class ProductionOrderMaterialSerializer(ModelSerializer):
    """A component of the order's snapshot with what was consumed."""

    component_code = serializers.CharField(source="component.code", read_only=True)
    component_name = serializers.CharField(source="component.name", read_only=True)
    unit_code = serializers.CharField(source="unit.code", read_only=True)

    class Meta:
        model = ProductionOrderMaterial
        fields = (
            "id",
            "line_no",
            "component",
            "component_code",
            "component_name",
            "unit_code",
            "via_phantom",
            "quantity_required",
            "planned_unit_cost",
            "quantity_consumed",
            "consumed_value",
            "is_planned",
        )
        read_only_fields = fields


class ProductionOrderOperationSerializer(ModelSerializer):
    """An operation of the order's snapshot with the hours booked."""

    work_center_code = serializers.CharField(source="work_center.code", read_only=True)

    class Meta:
        model = ProductionOrderOperation
        fields = (
            "id",
            "sequence",
            "name",
            "work_center",
            "work_center_code",
            "setup_hours",
            "run_hours_per_unit",
            "planned_hours",
            "machine_rate",
            "labour_rate",
            "actual_machine_hours",
            "actual_labour_hours",
            "actual_machine_cost",
            "actual_labour_cost",
        )
        read_only_fields = fields


class ProductionTimeBookingSerializer(ModelSerializer):
    """Hours booked on an operation and the entry that posted them."""

    journal_entry_number = serializers.CharField(
        source="journal_entry.number", read_only=True, allow_null=True
    )

    class Meta:
        model = ProductionTimeBooking
        fields = (
            "id",
            "operation",
            "machine_hours",
            "labour_hours",
            "machine_amount",
            "labour_amount",
            "journal_entry",
            "journal_entry_number",
            "source_event_id",
            "booked_at",
        )
        read_only_fields = fields


_HEADER_FIELDS = (
    "id",
    "number",
    "date",
    "status",
    "status_display",
    "revision",
    "item",
    "item_code",
    "item_name",
    "unit_code",
    "quantity",
    "quantity_produced",
    "quantity_scrapped",
    "warehouse",
    "component_warehouse",
    "bom",
    "routing",
    "due_date",
    "start_date",
    "memo",
    "planned_cost",
    "planned_unit_cost",
    "output_value",
    "material_cost",
    "machine_cost",
    "labour_cost",
    "actual_cost",
    "standard_cost",
    "variance",
    "closing_entry",
    "approved_at",
    "closed_at",
    "voided_at",
    "void_reason",
    "created_at",
    "updated_at",
)


class ProductionOrderSerializer(ModelSerializer):
    """An order with its materials, operations and time bookings (list and detail alike)."""

    status_display = serializers.CharField(source="get_status_display", read_only=True)
    item_code = serializers.CharField(source="item.code", read_only=True)
    item_name = serializers.CharField(source="item.name", read_only=True)
    unit_code = serializers.CharField(source="item.unit.code", read_only=True)
    materials = ProductionOrderMaterialSerializer(many=True, read_only=True)
    operations = ProductionOrderOperationSerializer(many=True, read_only=True)
    time_bookings = ProductionTimeBookingSerializer(many=True, read_only=True)

    class Meta:
        model = ProductionOrder
        fields = (*_HEADER_FIELDS, "materials", "operations", "time_bookings")
        read_only_fields = fields


class _AnswersWithOrder(AnswersWithReadSerializer):
    """An input serializer whose representation is the order as read (writes match reads)."""

    read_serializer = ProductionOrderSerializer


class ProductionOrderWriteSerializer(_AnswersWithOrder, serializers.Serializer):
    """Input to create a planned order (BOM and routing default to the versions valid on the
    order date; the component warehouse to the output warehouse)."""

    item = serializers.PrimaryKeyRelatedField(queryset=Item.objects.all())
    quantity = DecimalNumberField(**POSITIVE)
    due_date = serializers.DateField()
    warehouse = serializers.PrimaryKeyRelatedField(queryset=Warehouse.objects.all())
    component_warehouse = serializers.PrimaryKeyRelatedField(
        queryset=Warehouse.objects.all(), required=False, allow_null=True
    )
    date = serializers.DateField(required=False)
    start_date = serializers.DateField(required=False, allow_null=True)
    bom = serializers.PrimaryKeyRelatedField(
        queryset=BillOfMaterials.objects.all(), required=False, allow_null=True
    )
    routing = serializers.PrimaryKeyRelatedField(
        queryset=Routing.objects.all(), required=False, allow_null=True
    )
    memo = serializers.CharField(max_length=255, required=False, allow_blank=True)


class ProductionOrderUpdateSerializer(ProductionOrderWriteSerializer):
    """Input to change a planned order: any of the create fields, and the revision read."""

    revision = serializers.IntegerField(
        required=False, min_value=1, help_text=_("Refused with 409 when the order changed.")
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False


class ConsumeInputSerializer(serializers.Serializer):
    """A component consumed by the order (from the component warehouse unless named)."""

    item = serializers.PrimaryKeyRelatedField(queryset=Item.objects.all())
    quantity = DecimalNumberField(**POSITIVE)
    warehouse = serializers.PrimaryKeyRelatedField(
        queryset=Warehouse.objects.all(), required=False, allow_null=True
    )
    source_event_id = serializers.UUIDField(required=False, allow_null=True)
    override_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=255,
        help_text=_(
            "A supervisor's reason to take the report beyond the limits (tolerance, a done "
            "order, the calendar's hours); needs production.override_production_limits."
        ),
    )


class ReportOutputInputSerializer(serializers.Serializer):
    """Good output (into the order's warehouse) and scrap; at least one above zero."""

    quantity = DecimalNumberField(**NOT_NEGATIVE)
    scrap_quantity = DecimalNumberField(**NOT_NEGATIVE, default=Decimal("0"))
    source_event_id = serializers.UUIDField(required=False, allow_null=True)
    override_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=255,
        help_text=_(
            "A supervisor's reason to take the report beyond the limits (tolerance, a done "
            "order, the calendar's hours); needs production.override_production_limits."
        ),
    )

    def validate(self, attrs: dict) -> dict:
        """Something must be reported."""
        if attrs["quantity"] == 0 and attrs.get("scrap_quantity", 0) == 0:
            raise serializers.ValidationError({"quantity": _("Report a good or a scrap quantity.")})
        return attrs


class BookTimeInputSerializer(serializers.Serializer):
    """Machine and labour hours on one of the order's operations (by id)."""

    operation = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    machine_hours = DecimalNumberField(**NOT_NEGATIVE, default=Decimal("0"))
    labour_hours = DecimalNumberField(**NOT_NEGATIVE, default=Decimal("0"))
    source_event_id = serializers.UUIDField(required=False, allow_null=True)
    override_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=255,
        help_text=_(
            "A supervisor's reason to take the report beyond the limits (tolerance, a done "
            "order, the calendar's hours); needs production.override_production_limits."
        ),
    )

    def validate(self, attrs: dict) -> dict:
        """Some hours must be booked."""
        if attrs.get("machine_hours", 0) == 0 and attrs.get("labour_hours", 0) == 0:
            raise serializers.ValidationError({"machine_hours": _("Book machine or labour hours.")})
        return attrs


class ReleaseInputSerializer(RevisionInputSerializer):
    """Release (审核) the planned order; ``revision`` guards against a stale read."""


class UnreleaseInputSerializer(RevisionInputSerializer):
    """Take the release back (反审核)."""


class CompleteInputSerializer(RevisionInputSerializer):
    """Declare production finished."""


class CloseInputSerializer(RevisionInputSerializer):
    """Close the done order: roll up its cost and post the variance."""
