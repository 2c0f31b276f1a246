"""Viewsets of the schedule API under /api/v1/erp/: runs, their operations and changes, slips,
rescheduling a machine's state, and promise dates for new lines."""

from collections.abc import Callable

from django.db.models import Model
from django.utils import timezone
from django.utils.translation import pgettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from erp_core.api.permissions import HasActionPermission, HasModulePermission, ModelPermissions
from erp_core.models import User
from erp_core.scheduling import selectors, services
from erp_core.scheduling.api import serializers as s
from erp_core.scheduling.promise import promise_dates

MODULE = "erp_core.access_erp"
RUN = "scheduling.run_schedule"
PERMISSIONS = (IsAuthenticated, HasModulePermission, ModelPermissions, HasActionPermission)


def _user(request: Request) -> User | None:
    return request.user if isinstance(request.user, User) else None


class _ScheduleScoped(viewsets.ReadOnlyModelViewSet):
    """Rows of one schedule: ``?schedule=<id>``, the current one by default."""

    permission_classes = PERMISSIONS
    module_permission = MODULE
    selector = staticmethod(selectors.scheduled_operation_list)

    def get_queryset(self):
        """The list holds one schedule's rows; a row is found by id in any schedule."""
        if self.action != "list":
            return self.selector(every=True)
        value = self.request.query_params.get("schedule", "")
        if not value:
            return self.selector()
        if not value.isdigit():
            raise ValidationError(
                {"schedule": pgettext_lazy("scheduling", "A schedule's id is a number.")}
            )
        return self.selector(schedule_id=int(value))


class ScheduleViewSet(viewsets.ReadOnlyModelViewSet):
    """Runs of the scheduler (the current plan first); ``run`` and ``reschedule`` make new ones."""

    permission_classes = PERMISSIONS
    module_permission = MODULE
    queryset = selectors.schedule_list()
    serializer_class = s.ScheduleSerializer
    filterset_fields = ("is_current", "reason")
    action_permissions = {"run": RUN, "reschedule": RUN}

    def get_permissions(self):
        """Runs are POSTs that need the run permission and the view permission, not "add"."""
        if self.action in self.action_permissions:
            return [IsAuthenticated(), HasModulePermission(), HasActionPermission()]
        return super().get_permissions()

    @extend_schema(
        summary="Run the scheduler over the open operations",
        request=s.ScheduleRunInputSerializer,
        responses={201: s.ScheduleSerializer},
    )
    @action(detail=False, methods=["post"])
    def run(self, request: Request) -> Response:
        """Plan every open operation of released orders; the plan becomes the current one."""
        data = s.ScheduleRunInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        schedule = services.schedule_run(
            actor=_user(request), seconds=data.validated_data["seconds"]
        )
        return Response(s.ScheduleSerializer(schedule).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Report a machine's state and reschedule around it",
        description=(
            "What `mes.machine_state_changed` does, for a plant without MES: a machine down "
            "moves only its operations (and what must follow them); back up re-optimises. "
            "Answers 200 with the new schedule, or 204 when nothing had to move."
        ),
        request=s.RescheduleInputSerializer,
        responses={200: s.ScheduleSerializer, 204: None},
    )
    @action(detail=False, methods=["post"])
    def reschedule(self, request: Request) -> Response:
        """Record the machine's state and replan what it changes."""
        data = s.RescheduleInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        schedule = services.schedule_machine_state_changed(
            machine_id=values["machine_id"],
            work_center_id=values["work_center"].pk,
            state=values["state"],
            changed_at=values.get("changed_at") or timezone.now(),
        )
        if schedule is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(s.ScheduleSerializer(schedule).data)


_SCHEDULE_PARAMETER = OpenApiParameter(
    "schedule", int, description="A schedule's id; the current schedule when left out."
)


@extend_schema(parameters=[_SCHEDULE_PARAMETER])
class ScheduledOperationViewSet(_ScheduleScoped):
    """Where and when each operation runs, by start."""

    serializer_class = s.ScheduledOperationSerializer
    selector = staticmethod(selectors.scheduled_operation_list)
    filterset_fields = ("work_center", "is_late", "is_frozen")


@extend_schema(parameters=[_SCHEDULE_PARAMETER])
class ScheduleChangeViewSet(_ScheduleScoped):
    """What a schedule moved against the plan before it, and why."""

    serializer_class = s.ScheduleChangeSerializer
    selector = staticmethod(selectors.schedule_change_list)
    filterset_fields = ("reason",)


@extend_schema(parameters=[_SCHEDULE_PARAMETER])
class PromiseSlipViewSet(_ScheduleScoped):
    """Sales order lines a schedule meets after their promised date."""

    serializer_class = s.PromiseSlipSerializer
    selector = staticmethod(selectors.promise_slip_list)


class PromiseDatesViewSet(viewsets.ViewSet):
    """Promise dates for new lines: stock, else the schedule's free capacity, else lead time."""

    permission_classes = (IsAuthenticated, HasModulePermission)
    module_permission = MODULE

    @extend_schema(
        summary="Promise dates for order lines",
        request=s.PromiseDatesInputSerializer,
        responses={200: s.PromiseSerializer(many=True)},
    )
    def create(self, request: Request) -> Response:
        """One promise per line, in the lines' order; nothing is reserved."""
        data = s.PromiseDatesInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        promises = promise_dates(
            lines=[(line["item"].pk, line["quantity"]) for line in values["lines"]],
            requested_date=values["requested_date"],
            warehouse_id=values["warehouse"].pk if values["warehouse"] else None,
        )
        return Response(s.PromiseSerializer(promises, many=True).data)


class CalendarViewSet(viewsets.ModelViewSet):
    """Rows of the calendars: listed, read, added and removed through the services (a change is
    a removal and an addition).

    Each calendar says which services keep its rows: ``create_service`` takes the serializer's
    validated fields as keyword arguments; ``delete_service`` takes the row as ``row_argument``.
    """

    permission_classes = PERMISSIONS
    module_permission = MODULE
    http_method_names = ["get", "post", "delete", "head", "options"]
    create_service: Callable[..., Model]
    delete_service: Callable[..., None]
    row_argument: str

    def create(self, request: Request, *args, **kwargs) -> Response:
        """Check the input, then add the row through its service."""
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        row = self.create_service(**data.validated_data)
        return Response(self.get_serializer(row).data, status=status.HTTP_201_CREATED)

    def destroy(self, request: Request, *args, **kwargs) -> Response:
        """Remove the row through its service."""
        self.delete_service(**{self.row_argument: self.get_object()})
        return Response(status=status.HTTP_204_NO_CONTENT)


class MaintenanceWindowViewSet(CalendarViewSet):
    """Planned stops of work centers or of one machine; the scheduler plans around them."""

    queryset = selectors.maintenance_window_list()
    serializer_class = s.MaintenanceWindowSerializer
    filterset_fields = ("work_center", "machine_id")
    create_service = staticmethod(services.maintenance_window_create)
    delete_service = staticmethod(services.maintenance_window_delete)
    row_argument = "window"


class WorkCenterShiftViewSet(CalendarViewSet):
    """The shifts each work center works in a week."""

    queryset = selectors.work_center_shift_list()
    serializer_class = s.WorkCenterShiftSerializer
    filterset_fields = ("work_center", "weekday")
    create_service = staticmethod(services.work_center_shift_create)
    delete_service = staticmethod(services.work_center_shift_delete)
    row_argument = "shift"


class HolidayViewSet(CalendarViewSet):
    """Days off, company-wide or of one work center."""

    queryset = selectors.holiday_list()
    serializer_class = s.HolidaySerializer
    filterset_fields = ("work_center", "date")
    create_service = staticmethod(services.holiday_create)
    delete_service = staticmethod(services.holiday_delete)
    row_argument = "holiday"
