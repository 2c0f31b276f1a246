"""Viewsets of the planning API under /api/v1/erp/: MRP runs (start one, follow it), planned
orders (firm, unfirm and release in bulk as POST verbs), exception messages, shortages and
forecasts. Staff with the ERP module and the model permissions; partner users see nothing.
"""

from typing import cast

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from erp_core.api.idempotency import IdempotentCreateMixin
from erp_core.api.permissions import (
    STEP_PERMISSIONS,
    HasActionPermission,
    HasModulePermission,
    ModelPermissions,
)
from erp_core.models import User
from erp_core.planning import selectors, services
from erp_core.planning.api.filters import (
    ExceptionMessageFilterSet,
    ForecastFilterSet,
    PlannedOrderFilterSet,
    ShortageFilterSet,
    SupplyPegFilterSet,
)
from erp_core.planning.api.serializers import (
    ExceptionMessageSerializer,
    ForecastSerializer,
    ForecastWriteSerializer,
    MrpRunSerializer,
    MrpRunStartSerializer,
    PlannedOrderBulkSerializer,
    PlannedOrderReleaseSerializer,
    PlannedOrderSerializer,
    ShortageSerializer,
    SupplyPegSerializer,
)
from erp_core.planning.models import Forecast
from erp_core.planning.tasks import enqueue_mrp_run

MODULE = "erp_core.access_erp"


def _actor(request: Request) -> User | None:
    """The signed-in user who takes the step (the permission classes let only staff in)."""
    return request.user if isinstance(request.user, User) else None


class _PlanningViewSet(viewsets.GenericViewSet):
    permission_classes: tuple[type[BasePermission], ...] = (
        IsAuthenticated,
        HasModulePermission,
        ModelPermissions,
    )
    module_permission = MODULE
    partner_actions: tuple[str, ...] = ()


@extend_schema_view(
    list=extend_schema(summary="List MRP runs"),
    retrieve=extend_schema(summary="Get an MRP run with its progress"),
    create=extend_schema(
        summary="Start a regenerative MRP run",
        description=(
            "Queues the run and sends its Celery task; poll the run for its progress. "
            "Refused with 409 while another run is queued or running."
        ),
        request=None,
        responses={201: MrpRunSerializer},
    ),
)
class MrpRunViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, _PlanningViewSet
):
    """MRP runs: regenerative ones started here, net-change ones started by sales orders."""

    queryset = selectors.mrp_run_list()
    serializer_class = MrpRunSerializer
    ordering_fields = ("created_at",)
    ordering = ("-created_at", "-id")
    permission_classes = (IsAuthenticated, HasModulePermission, ModelPermissions,
                          HasActionPermission)  # fmt: skip
    action_permissions = {"create": "planning.run_mrp"}

    def get_serializer_class(self) -> type[BaseSerializer]:
        """The (empty) start input on create, the run otherwise."""
        return MrpRunStartSerializer if self.action == "create" else MrpRunSerializer

    def get_permissions(self):
        """Starting a run needs ``planning.run_mrp`` and the view permission, not ``add``."""
        if self.action == "create":
            return [IsAuthenticated(), HasModulePermission(), HasActionPermission()]
        return super().get_permissions()

    def create(self, request: Request, *args, **kwargs) -> Response:
        """Queue a run (409 while one is active) and answer it."""
        run = services.mrp_run_start(actor=_actor(request), enqueue=enqueue_mrp_run)
        return Response(MrpRunSerializer(run).data, status=status.HTTP_201_CREATED)


def _bulk(summary: str, description: str, request=PlannedOrderBulkSerializer):
    return extend_schema(
        summary=summary,
        description=description,
        request=request,
        responses={200: PlannedOrderSerializer(many=True)},
    )


@extend_schema_view(
    list=extend_schema(summary="List planned orders"),
    retrieve=extend_schema(summary="Get a planned order with what it serves (its pegs)"),
)
class PlannedOrderViewSet(viewsets.ReadOnlyModelViewSet, _PlanningViewSet):
    """Planned orders of the current plan (and released ones, with what was made of them)."""

    queryset = selectors.planned_order_list(with_pegs=True)
    serializer_class = PlannedOrderSerializer
    filterset_class = PlannedOrderFilterSet
    search_fields = ("item__code", "item__name")
    ordering_fields = ("due_date", "start_date", "quantity")
    ordering = ("due_date", "id")
    permission_classes = STEP_PERMISSIONS
    step_actions = ("firm", "unfirm", "release")
    action_permissions = {
        "firm": "planning.firm_plannedorder",
        "unfirm": "planning.firm_plannedorder",
        "release": "planning.release_plannedorder",
    }

    def _answer(self, orders) -> Response:
        ids = [o.pk for o in orders]
        fresh = self.get_queryset().filter(pk__in=ids)
        return Response(PlannedOrderSerializer(fresh, many=True).data)

    @_bulk("Firm planned orders", "Later runs keep firm orders as supply. 409 once released.")
    @action(detail=False, methods=["post"])
    def firm(self, request: Request) -> Response:
        """Firm the planned orders ``ids``."""
        data = PlannedOrderBulkSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ids = cast(dict, data.validated_data)["ids"]
        return self._answer(services.planned_orders_firm(ids=ids, actor=_actor(request)))

    @_bulk("Unfirm planned orders", "The next run re-plans them. 409 once released.")
    @action(detail=False, methods=["post"])
    def unfirm(self, request: Request) -> Response:
        """Give the firm orders ``ids`` back to MRP."""
        data = PlannedOrderBulkSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ids = cast(dict, data.validated_data)["ids"]
        return self._answer(services.planned_orders_unfirm(ids=ids, actor=_actor(request)))

    @_bulk(
        "Release planned orders",
        "Bought ones become the lines of one purchase requisition, made ones planned production "
        "orders (in `warehouse`, default the first active one). All or nothing.",
        request=PlannedOrderReleaseSerializer,
    )
    @action(detail=False, methods=["post"])
    def release(self, request: Request) -> Response:
        """Release the planned orders ``ids``."""
        data = PlannedOrderReleaseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = cast(dict, data.validated_data)
        orders = services.planned_orders_release(
            ids=values["ids"], actor=_actor(request), warehouse=values.get("warehouse")
        )
        return self._answer(orders)


@extend_schema_view(
    list=extend_schema(summary="List exception messages of the current plan"),
    retrieve=extend_schema(summary="Get an exception message"),
)
class ExceptionMessageViewSet(viewsets.ReadOnlyModelViewSet, _PlanningViewSet):
    """What the last runs tell the planner to do about open supply."""

    queryset = selectors.exception_message_list()
    serializer_class = ExceptionMessageSerializer
    filterset_class = ExceptionMessageFilterSet
    ordering_fields = ("current_date", "suggested_date")
    ordering = ("current_date", "id")


@extend_schema_view(
    list=extend_schema(summary="List what open supply serves"),
    retrieve=extend_schema(summary="Get an open supply's peg"),
)
class SupplyPegViewSet(viewsets.ReadOnlyModelViewSet, _PlanningViewSet):
    """The demands each open purchase order or requisition line and production order serves,
    as the last runs pegged them (``?supply_kind=&supply_id=`` for one supply)."""

    queryset = selectors.supply_peg_list()
    serializer_class = SupplyPegSerializer
    filterset_class = SupplyPegFilterSet
    ordering_fields = ("supply_date", "need_date")
    ordering = ("supply_kind", "supply_id", "need_date", "id")


@extend_schema_view(
    list=extend_schema(summary="List shortages of the current plan"),
    retrieve=extend_schema(summary="Get a shortage"),
)
class ShortageViewSet(viewsets.ReadOnlyModelViewSet, _PlanningViewSet):
    """Needs that no supply can meet within its lead time."""

    queryset = selectors.shortage_list()
    serializer_class = ShortageSerializer
    filterset_class = ShortageFilterSet
    ordering_fields = ("need_date",)
    ordering = ("need_date", "id")


@extend_schema_view(
    list=extend_schema(summary="List forecasts"),
    retrieve=extend_schema(summary="Get a forecast"),
    create=extend_schema(
        summary="Create a forecast",
        description="Send an `Idempotency-Key` header to make retries safe.",
        request=ForecastWriteSerializer,
        responses={201: ForecastSerializer},
    ),
    partial_update=extend_schema(
        summary="Change a forecast", request=ForecastWriteSerializer,
        responses={200: ForecastSerializer},
    ),
    update=extend_schema(
        summary="Replace a forecast", request=ForecastWriteSerializer,
        responses={200: ForecastSerializer},
    ),
    destroy=extend_schema(summary="Delete a forecast"),
)  # fmt: skip
class ForecastViewSet(IdempotentCreateMixin, viewsets.ModelViewSet, _PlanningViewSet):
    """Expected sales per item and period, consumed by the period's sales orders."""

    queryset = selectors.forecast_list()
    serializer_class = ForecastSerializer
    filterset_class = ForecastFilterSet
    ordering_fields = ("period_start", "quantity")
    ordering = ("item__code", "period_start")

    def get_serializer_class(self) -> type[BaseSerializer]:
        """The input serializer for writes, the read serializer otherwise."""
        if self.action in ("create", "update", "partial_update"):
            return ForecastWriteSerializer
        return ForecastSerializer

    def perform_create(self, serializer: BaseSerializer) -> None:
        """Create through the service."""
        serializer.instance = services.forecast_create(**cast(dict, serializer.validated_data))

    def perform_update(self, serializer: BaseSerializer) -> None:
        """Change through the service."""
        serializer.instance = services.forecast_update(
            forecast=cast(Forecast, serializer.instance), **cast(dict, serializer.validated_data)
        )

    def perform_destroy(self, instance: Forecast) -> None:
        """Delete through the service."""
        services.forecast_delete(forecast=instance)
