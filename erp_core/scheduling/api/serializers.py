"""Serializers of the schedule API."""

from rest_framework import serializers

from common.limits import QUANTITY_MAX, QUANTITY_MIN
from erp_core.masterdata.models import Item, Warehouse, WorkCenter
from erp_core.scheduling.models import (
    Holiday,
    MaintenanceWindow,
    PromiseSlip,
    Resource,
    Schedule,
    ScheduleChange,
    ScheduledOperation,
    WorkCenterShift,
)
from erp_core.scheduling.services import DEFAULT_SECONDS, MAX_SECONDS, MIN_SECONDS


class ScheduleSerializer(serializers.ModelSerializer):
    """A run of the scheduler and how good its plan is."""

    class Meta:
        model = Schedule
        fields = (
            "id",
            "created_at",
            "created_by",
            "reason",
            "machine_id",
            "origin",
            "method",
            "is_current",
            "operation_count",
            "late_count",
            "weighted_tardiness_minutes",
            "makespan_end",
            "moved_count",
            "seconds",
        )
        read_only_fields = fields


class ScheduledOperationSerializer(serializers.ModelSerializer):
    """Where and when an operation runs: a machine MES reported, or a slot of the work center."""

    production_order = serializers.SerializerMethodField()
    production_order_number = serializers.CharField(source="order_number", read_only=True)
    machine_id = serializers.IntegerField(
        source="resource.machine_id", read_only=True, allow_null=True, default=None
    )
    machine = serializers.CharField(source="machine_label", read_only=True)

    class Meta:
        model = ScheduledOperation
        fields = (
            "id",
            "schedule",
            "operation",
            "planned_order",
            "production_order",
            "production_order_number",
            "sequence",
            "name",
            "work_center",
            "machine_id",
            "slot",
            "machine",
            "start",
            "end",
            "due",
            "is_frozen",
            "is_late",
        )
        read_only_fields = fields

    def get_production_order(self, row: ScheduledOperation) -> int | None:
        """The production order: the operation's, or the one a planned order became."""
        return _production_order_id(row)


def _production_order_id(row: ScheduledOperation | ScheduleChange) -> int | None:
    if row.operation_id:
        return row.operation.order_id
    return row.planned_order.production_order_id


class ScheduleChangeSerializer(serializers.ModelSerializer):
    """An operation moved by a schedule, from where to where, and why."""

    production_order = serializers.SerializerMethodField()
    reason_display = serializers.CharField(source="get_reason_display", read_only=True)

    class Meta:
        model = ScheduleChange
        fields = (
            "id",
            "schedule",
            "operation",
            "planned_order",
            "sequence",
            "production_order",
            "reason",
            "reason_display",
            "from_machine",
            "to_machine",
            "from_start",
            "to_start",
        )
        read_only_fields = fields

    def get_production_order(self, row: ScheduleChange) -> int | None:
        """The production order: the operation's, or the one a planned order became."""
        return _production_order_id(row)


class PromiseSlipSerializer(serializers.ModelSerializer):
    """A sales order line the schedule meets after its promised date."""

    sales_order = serializers.IntegerField(source="sales_order_line.order_id", read_only=True)

    class Meta:
        model = PromiseSlip
        fields = (
            "id",
            "schedule",
            "sales_order",
            "sales_order_line",
            "promised_date",
            "expected_date",
        )
        read_only_fields = fields


class ScheduleRunInputSerializer(serializers.Serializer):
    """Run the scheduler over the open operations, searching at most ``seconds``."""

    seconds = serializers.DecimalField(
        max_digits=6,
        decimal_places=2,
        min_value=MIN_SECONDS,
        max_value=MAX_SECONDS,
        default=DEFAULT_SECONDS,
    )


class RescheduleInputSerializer(serializers.Serializer):
    """A machine's new state, as the shop floor reports it (what MES's event carries)."""

    machine_id = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    work_center = serializers.PrimaryKeyRelatedField(queryset=WorkCenter.objects.all())
    state = serializers.ChoiceField(choices=Resource.State.choices)
    changed_at = serializers.DateTimeField(required=False)


class PromiseLineSerializer(serializers.Serializer):
    """A line to promise: an item and its quantity."""

    item = serializers.PrimaryKeyRelatedField(queryset=Item.objects.all())
    quantity = serializers.DecimalField(
        max_digits=18, decimal_places=6, min_value=QUANTITY_MIN, max_value=QUANTITY_MAX
    )


class PromiseDatesInputSerializer(serializers.Serializer):
    """Lines to promise, no earlier than ``requested_date``, from stock of ``warehouse``."""

    lines = PromiseLineSerializer(many=True, allow_empty=False, max_length=200)
    requested_date = serializers.DateField(required=False, allow_null=True, default=None)
    warehouse = serializers.PrimaryKeyRelatedField(
        queryset=Warehouse.objects.all(), required=False, allow_null=True, default=None
    )


class PromiseSerializer(serializers.Serializer):
    """The date a line can be promised and what it rests on (stock, capacity, lead time)."""

    item = serializers.IntegerField(source="item_id")
    quantity = serializers.DecimalField(max_digits=18, decimal_places=6)
    date = serializers.DateField()
    basis = serializers.CharField()


class MaintenanceWindowSerializer(serializers.ModelSerializer):
    """A planned stop of a work center, or of one of its machines (``machine_id``)."""

    class Meta:
        model = MaintenanceWindow
        fields = ("id", "work_center", "machine_id", "start", "end", "note")
        read_only_fields = ("id",)
        extra_kwargs = {"machine_id": {"min_value": 1, "max_value": 2**31 - 1}}


class WorkCenterShiftSerializer(serializers.ModelSerializer):
    """A shift of a work center on a weekday (0 Monday … 6 Sunday); an end at or before the
    start runs into the next day."""

    # Declared, so that the schema does not carry the database's integer range (which differs
    # between PostgreSQL and SQLite) beside the weekday's choices.
    weekday = serializers.ChoiceField(choices=WorkCenterShift._meta.get_field("weekday").choices)

    class Meta:
        model = WorkCenterShift
        fields = ("id", "work_center", "weekday", "start", "end")
        read_only_fields = ("id",)
        # The services say why a duplicate is refused (the unique constraint backs them).
        validators: list = []


class HolidaySerializer(serializers.ModelSerializer):
    """A day nobody works: at every work center (``work_center`` null) or at one."""

    class Meta:
        model = Holiday
        fields = ("id", "date", "work_center", "name")
        read_only_fields = ("id",)
        validators: list = []
