"""Serializers of the MES API: machines, cycle times, devices, events, downtime and OEE."""

from django.db import models
from rest_framework import serializers

from common.serializers import AnswersWithReadSerializer, DecimalNumberField
from erp_core.models import Item, WorkCenter
from mes.models import Downtime, DowntimeReason, Machine, MachineCycleTime, MachineEvent


class _ModelSerializer(serializers.ModelSerializer):
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DecimalField: DecimalNumberField,
    }


class MachineSerializer(_ModelSerializer):
    """A machine with its work center, state and since when."""

    work_center_code = serializers.CharField(source="work_center.code", read_only=True)

    class Meta:
        model = Machine
        fields = (
            "id", "work_center", "work_center_code", "code", "name", "state", "state_since",
            "is_active", "ideal_cycle_seconds",
        )  # fmt: skip
        read_only_fields = ("state", "state_since")


class MachineWriteSerializer(AnswersWithReadSerializer, _ModelSerializer):
    """What staff set on a machine; the state comes from its data."""

    read_serializer = MachineSerializer
    work_center = serializers.PrimaryKeyRelatedField(queryset=WorkCenter.objects.all())

    class Meta:
        model = Machine
        fields = ("work_center", "code", "name", "is_active", "ideal_cycle_seconds")
        extra_kwargs: dict[str, dict] = {"code": {"validators": []}}


class MachineCycleTimeSerializer(_ModelSerializer):
    """An item's ideal cycle time on a machine."""

    item_code = serializers.CharField(source="item.code", read_only=True)
    machine = serializers.PrimaryKeyRelatedField(queryset=Machine.objects.all())
    item = serializers.PrimaryKeyRelatedField(queryset=Item.objects.all())

    class Meta:
        model = MachineCycleTime
        fields = ("id", "machine", "item", "item_code", "seconds_per_unit")
        validators: list = []


class MachineEventSerializer(serializers.ModelSerializer):
    """An event as a device posted it, with what it counted since the reading before."""

    machine_code = serializers.CharField(source="machine.code", read_only=True)
    device_name = serializers.CharField(source="device.name", read_only=True)
    item_code = serializers.CharField(source="item.code", read_only=True, default=None)

    class Meta:
        model = MachineEvent
        fields = (
            "id", "device", "device_name", "machine", "machine_code", "event_id", "kind",
            "occurred_at", "received_at", "state", "reason", "item", "item_code", "good",
            "scrap", "good_delta", "scrap_delta", "alarm_code", "alarm_text",
        )  # fmt: skip
        read_only_fields = fields


class MachineEventInSerializer(serializers.Serializer):
    """One event a device posts (documents the body; the service checks it)."""

    event_id = serializers.CharField(max_length=64, help_text="The device's own id of the event.")
    machine = serializers.CharField(help_text="The machine's code.")
    kind = serializers.ChoiceField(choices=MachineEvent.Kind.choices)
    occurred_at = serializers.DateTimeField(help_text="ISO 8601 with a time zone offset.")
    state = serializers.ChoiceField(choices=Machine.State.choices, required=False)
    reason = serializers.ChoiceField(choices=DowntimeReason.choices, required=False)
    good = serializers.IntegerField(required=False, help_text="Raw good counter.")
    scrap = serializers.IntegerField(required=False, help_text="Raw scrap counter.")
    item = serializers.CharField(required=False, help_text="Code of the item being made.")
    code = serializers.CharField(required=False, help_text="Alarm code.")
    text = serializers.CharField(required=False, help_text="Alarm text.")


class MachineEventBatchSerializer(serializers.Serializer):
    """A batch of events (a single event object is taken as a batch of one)."""

    events = MachineEventInSerializer(many=True)


class MachineEventBatchResultSerializer(serializers.Serializer):
    """What a batch did."""

    accepted = serializers.IntegerField()
    duplicates = serializers.ListField(child=serializers.CharField())
    state_changes = serializers.ListField(child=serializers.IntegerField())


class DowntimeSerializer(serializers.ModelSerializer):
    """A stop of a machine, its reason and who corrected it."""

    machine_code = serializers.CharField(source="machine.code", read_only=True)
    minutes = serializers.SerializerMethodField()
    reason_corrected_by = serializers.CharField(
        source="reason_corrected_by.username", read_only=True, default=None
    )

    class Meta:
        model = Downtime
        fields = (
            "id", "machine", "machine_code", "state", "started_at", "ended_at", "minutes",
            "reason", "note", "reason_corrected_by", "reason_corrected_at",
        )  # fmt: skip
        read_only_fields = fields

    def get_minutes(self, obj: Downtime) -> str | None:
        """Length in minutes (one decimal), None while it lasts."""
        if obj.ended_at is None:
            return None
        return f"{(obj.ended_at - obj.started_at).total_seconds() / 60:.1f}"


class DowntimeCorrectInputSerializer(serializers.Serializer):
    """The reason (and a note) the shop floor gives a stop."""

    reason = serializers.ChoiceField(choices=DowntimeReason.choices)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class OEESerializer(serializers.Serializer):
    """OEE of a machine over a shift or a day, with its parts."""

    machine = serializers.IntegerField(source="machine.pk")
    machine_code = serializers.CharField(source="machine.code")
    day = serializers.DateField()
    shift = serializers.IntegerField(allow_null=True)
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    planned_seconds = serializers.DecimalField(18, 3, source="figures.planned")
    run_seconds = serializers.DecimalField(18, 3, source="figures.run")
    good = serializers.IntegerField(source="figures.good")
    scrap = serializers.IntegerField(source="figures.scrap")
    availability = serializers.DecimalField(9, 4, source="figures.availability", allow_null=True)
    performance = serializers.DecimalField(9, 4, source="figures.performance", allow_null=True)
    quality = serializers.DecimalField(9, 4, source="figures.quality", allow_null=True)
    oee = serializers.DecimalField(9, 4, source="figures.oee", allow_null=True)
