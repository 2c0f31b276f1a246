"""Viewsets of the MES API: machines, their cycle times, machine data from devices, downtime
and OEE."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotAuthenticated
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from erp_core.api.permissions import RESOURCE_PERMISSIONS, STEP_PERMISSIONS
from erp_core.models import User
from mes import selectors
from mes.api import serializers as s
from mes.api.auth import DeviceRateThrottle, DeviceTokenAuthentication, IsDevice
from mes.models import Downtime, Machine, MachineDevice
from mes.services.downtime import downtime_reason_correct
from mes.services.machine_events import machine_events_record
from mes.services.machines import cycle_time_delete, cycle_time_set, machine_save

MODULE = "mes.access_mes"
#: The longest span of days the OEE endpoint computes at once.
OEE_MAX_DAYS = 93


class MachineViewSet(viewsets.ModelViewSet):
    """Machines of the work centers; created and changed through ``machine_save`` (creating one
    announces it to planning). Their state comes from the machine data."""

    permission_classes = (IsAuthenticated, *RESOURCE_PERMISSIONS)
    module_permission = MODULE
    queryset = Machine.objects.select_related("work_center").order_by("code")
    serializer_class = s.MachineSerializer
    filterset_fields = ("work_center", "state", "is_active")
    search_fields = ("code", "name")
    http_method_names = ("get", "post", "patch", "head", "options")

    def get_serializer_class(self):
        """The write serializer for create and update."""
        if self.action in ("create", "partial_update", "update"):
            return s.MachineWriteSerializer
        return s.MachineSerializer

    def perform_create(self, serializer) -> None:
        """Create through the service."""
        serializer.instance = machine_save(data=dict(serializer.validated_data))

    def perform_update(self, serializer) -> None:
        """Change through the service."""
        serializer.instance = machine_save(
            data=dict(serializer.validated_data), instance=serializer.instance
        )


class MachineCycleTimeViewSet(viewsets.ModelViewSet):
    """Ideal cycle times per machine × item; setting one for a pair that has one replaces it."""

    permission_classes = (IsAuthenticated, *RESOURCE_PERMISSIONS)
    module_permission = MODULE
    queryset = selectors.cycle_time_list().order_by("machine__code", "item__code")
    serializer_class = s.MachineCycleTimeSerializer
    filterset_fields = ("machine", "item")
    http_method_names = ("get", "post", "delete", "head", "options")

    def perform_create(self, serializer) -> None:
        """Set through the service."""
        data = serializer.validated_data
        serializer.instance = cycle_time_set(
            machine=data["machine"], item=data["item"], seconds_per_unit=data["seconds_per_unit"]
        )

    def perform_destroy(self, instance) -> None:
        """Remove through the service."""
        cycle_time_delete(cycle_time=instance)


class MachineEventViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Machine data. Devices ``POST`` events (``Authorization: Device <token>``); staff read them.

    A body is one event, a list of events, or ``{"events": [...]}`` (at most 1,000). The batch
    is all or nothing: a bad event → 400 naming its position and id; a machine the device may
    not post for → 403; nothing is written either way. Events the device sent before (same
    ``event_id``) are skipped and listed as ``duplicates``: 201 when something was accepted,
    200 when all were duplicates.
    """

    permission_classes = (IsAuthenticated, *RESOURCE_PERMISSIONS)
    module_permission = MODULE
    queryset = selectors.event_list()
    serializer_class = s.MachineEventSerializer
    filterset_fields = ("machine", "device", "kind", "state", "reason")

    def initialize_request(self, request, *args, **kwargs):
        """Remember the method: a POST is a device's, authenticated by its own token."""
        self._device_call = request.method == "POST"
        return super().initialize_request(request, *args, **kwargs)

    def get_authenticators(self):
        """The device token for POST; the users' authentication otherwise."""
        if getattr(self, "_device_call", False):
            return [DeviceTokenAuthentication()]
        return super().get_authenticators()

    def get_permissions(self):
        """A device for POST; staff with the module and the view permission otherwise."""
        if self.action == "create":
            return [IsDevice()]
        return super().get_permissions()

    def get_throttles(self):
        """Devices are throttled per device."""
        if self.action == "create":
            return [DeviceRateThrottle()]
        return super().get_throttles()

    @extend_schema(
        request=s.MachineEventBatchSerializer,
        responses={
            201: s.MachineEventBatchResultSerializer,
            200: s.MachineEventBatchResultSerializer,
        },
        auth=[{"DeviceToken": []}],  # type: ignore[list-item]
    )
    def create(self, request: Request, *args, **kwargs) -> Response:
        """Record one event or a batch posted by a device."""
        body = request.data
        if isinstance(body, dict) and "events" in body:
            events = body["events"]
        elif isinstance(body, dict):
            events = [body]
        else:
            events = body
        device = request.auth
        if not isinstance(device, MachineDevice):
            raise NotAuthenticated
        result = machine_events_record(device=device, events=events)
        data = s.MachineEventBatchResultSerializer(result).data
        return Response(
            data, status=status.HTTP_201_CREATED if result.accepted else status.HTTP_200_OK
        )


class DowntimeViewSet(viewsets.ReadOnlyModelViewSet):
    """Downtime derived from the machine data; the shop floor corrects a stop's reason with
    ``POST …/{id}/correct/``. ``?reason=none`` lists stops without a reason."""

    permission_classes = STEP_PERMISSIONS
    module_permission = MODULE
    step_actions = ("correct",)
    action_permissions = {"correct": "mes.change_downtime"}
    queryset = selectors.downtime_list()
    serializer_class = s.DowntimeSerializer
    filterset_fields = ("machine", "state")

    def get_queryset(self):
        """Filtered by ``?reason=`` (``none`` for stops without one) and ``?open=true``."""
        reason = self.request.query_params.get("reason")
        return selectors.downtime_list(
            reason="" if reason == "none" else reason or None,
            open_only=self.request.query_params.get("open") == "true",
        )

    @extend_schema(request=s.DowntimeCorrectInputSerializer, responses=s.DowntimeSerializer)
    @action(detail=True, methods=["post"])
    def correct(self, request: Request, pk=None) -> Response:
        """Give or correct the reason of a stop."""
        downtime: Downtime = self.get_object()
        body = s.DowntimeCorrectInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        actor = request.user if isinstance(request.user, User) else None
        record = downtime_reason_correct(downtime=downtime, actor=actor, **body.validated_data)
        return Response(s.DowntimeSerializer(record).data)


def _day(request: Request, name: str, default: date) -> date:
    value = request.query_params.get(name)
    if not value:
        return default
    try:
        day = parse_date(value) if len(value) <= 10 else None
    except ValueError:
        day = None
    if day is None:
        raise ValidationError({name: _("Give a date as YYYY-MM-DD.")})
    return day


class OEEViewSet(viewsets.GenericViewSet):
    """OEE per machine per shift or per day (computed from the machine data, never stored).

    ``?from=`` and ``?to=`` (dates, today by default, at most 93 days), ``?by=shift|day``,
    ``?machine=`` (an id), ``?work_center=``.
    """

    permission_classes = (IsAuthenticated, *RESOURCE_PERMISSIONS)
    module_permission = MODULE
    queryset = Machine.objects.select_related("work_center").order_by("code")
    serializer_class = s.OEESerializer
    pagination_class = None
    filter_backends: tuple = ()

    @extend_schema(
        parameters=[
            OpenApiParameter("from", str, description="First day (YYYY-MM-DD), today by default."),
            OpenApiParameter("to", str, description="Last day (YYYY-MM-DD), today by default."),
            OpenApiParameter("by", str, enum=["shift", "day"]),
            OpenApiParameter("machine", int),
            OpenApiParameter("work_center", int),
        ],
        responses=s.OEESerializer(many=True),
    )
    def list(self, request: Request) -> Response:
        """OEE rows, by machine code, day and shift."""
        today = timezone.localdate()
        first = _day(request, "from", today)
        last = _day(request, "to", first if "from" in request.query_params else today)
        if last < first:
            raise ValidationError({"to": _("The last day comes after the first.")})
        if last - first > timedelta(days=OEE_MAX_DAYS - 1):
            raise ValidationError(
                {"to": _("Ask for at most %(days)s days at once.") % {"days": OEE_MAX_DAYS}}
            )
        by = request.query_params.get("by", "day")
        if by not in ("shift", "day"):
            raise ValidationError({"by": _("Give shift or day.")})
        machines = self.get_queryset().filter(is_active=True)
        for name in ("machine", "work_center"):
            value = request.query_params.get(name)
            if value is not None:
                if not value.isdigit() or len(value) > 12:
                    raise ValidationError({name: _("Give an id.")})
                machines = machines.filter(**{"pk" if name == "machine" else name: int(value)})
        rows = selectors.oee_rows(machines=list(machines), first=first, last=last, by=by)
        return Response(s.OEESerializer(rows, many=True).data)
