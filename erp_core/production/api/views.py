"""Viewset of the production order API under /api/v1/erp/production-orders/.

Create and edit (while planned) through the services; every step of the status flow is an
action with its own input serializer and permission. Partner users see nothing.
"""

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer, Serializer

from common.errors import NotFound
from erp_core.api.idempotency import IdempotentCreateMixin
from erp_core.api.permissions import STEP_PERMISSIONS
from erp_core.documents.api import VoidInputSerializer
from erp_core.production import selectors, services
from erp_core.production.api.filters import ProductionOrderFilterSet
from erp_core.production.api.serializers import (
    BookTimeInputSerializer,
    CloseInputSerializer,
    CompleteInputSerializer,
    ConsumeInputSerializer,
    ProductionOrderSerializer,
    ProductionOrderUpdateSerializer,
    ProductionOrderWriteSerializer,
    ReleaseInputSerializer,
    ReportOutputInputSerializer,
    UnreleaseInputSerializer,
)
from erp_core.production.models import ProductionOrder

RELEASE = "production.release_productionorder"
VOID = "production.void_productionorder"
REPORT = "production.report_productionorder"
CLOSE = "production.close_productionorder"


@extend_schema_view(
    list=extend_schema(summary="List production orders"),
    retrieve=extend_schema(
        summary="Get a production order with its materials, operations and time",
        responses={200: ProductionOrderSerializer},
    ),
    create=extend_schema(
        summary="Create a planned production order",
        description=(
            "The BOM and routing default to the versions valid on the order date and are "
            "copied onto the order (materials and operations). Send an `Idempotency-Key` "
            "header to make retries safe."
        ),
        request=ProductionOrderWriteSerializer,
        responses={201: ProductionOrderSerializer},
    ),
    update=extend_schema(
        summary="Change a planned production order",
        description="Rebuilds the snapshot. Refused with 409 once released or when stale.",
        request=ProductionOrderUpdateSerializer,
        responses={200: ProductionOrderSerializer},
    ),
    partial_update=extend_schema(
        summary="Change some fields of a planned production order",
        request=ProductionOrderUpdateSerializer,
        responses={200: ProductionOrderSerializer},
    ),
)
class ProductionOrderViewSet(
    IdempotentCreateMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Production orders (生产任务单): planned → released → in progress → done → closed."""

    queryset = ProductionOrder.objects.all()
    serializer_class = ProductionOrderSerializer
    filterset_class = ProductionOrderFilterSet
    search_fields = ("number", "memo", "item__code", "item__name")
    ordering_fields = ("due_date", "date", "number", "status")
    ordering = ("-due_date", "-id")
    permission_classes = STEP_PERMISSIONS
    module_permission = "erp_core.access_erp"
    partner_actions = ()
    action_permissions = {
        "release": RELEASE,
        "unrelease": RELEASE,
        "void": VOID,
        "consume": REPORT,
        "report_output": REPORT,
        "book_time": REPORT,
        "complete": REPORT,
        "close": CLOSE,
    }
    http_method_names = ("get", "post", "put", "patch", "head", "options")

    def get_queryset(self) -> QuerySet[ProductionOrder]:
        """Orders with their materials, operations and time (a fixed number of queries)."""
        return selectors.production_order_detail_list()

    def get_serializer_class(self) -> type[BaseSerializer]:
        """Input serializers for writes, the read serializers otherwise."""
        if self.action == "create":
            return ProductionOrderWriteSerializer
        if self.action in ("update", "partial_update"):
            return ProductionOrderUpdateSerializer
        return ProductionOrderSerializer

    def perform_create(self, serializer: ProductionOrderWriteSerializer) -> None:
        """Create through ``production_order_create``; the serializer only validated."""
        serializer.instance = self._fresh(
            services.production_order_create(**serializer.validated_data, actor=self.request.user)
        )

    def perform_update(self, serializer: ProductionOrderUpdateSerializer) -> None:
        """Change through ``production_order_update`` (409 once released or stale)."""
        data = dict(serializer.validated_data)
        revision = data.pop("revision", None)
        serializer.instance = self._fresh(
            services.production_order_update(
                order=serializer.instance,
                actor=self.request.user,
                expected_revision=revision,
                **data,
            )
        )

    # --- Actions ------------------------------------------------------------------------------

    def _fresh(self, order: ProductionOrder) -> ProductionOrder:
        return selectors.production_order_detail_list().get(pk=order.pk)

    def _input(self, serializer_class: type[Serializer]) -> dict:
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def _answer(self, order: ProductionOrder, code: int = status.HTTP_200_OK) -> Response:
        data = ProductionOrderSerializer(
            self._fresh(order), context=self.get_serializer_context()
        ).data
        return Response(data, status=code)

    @extend_schema(
        summary="Release (审核)",
        description="Copies the work centers' rates and publishes erp.production_order_released.",
        request=ReleaseInputSerializer,
        responses={200: ProductionOrderSerializer},
    )
    @action(detail=True, methods=["post"])
    def release(self, request: Request, pk: str | None = None) -> Response:
        """Release the planned order to the shop floor."""
        data = self._input(ReleaseInputSerializer)
        order = services.production_order_release(
            order=self.get_object(), actor=request.user, expected_revision=data.get("revision")
        )
        return self._answer(order)

    @extend_schema(
        summary="Unrelease (反审核)",
        description="Back to planned while nothing was consumed, reported or booked.",
        request=UnreleaseInputSerializer,
        responses={200: ProductionOrderSerializer},
    )
    @action(detail=True, methods=["post"])
    def unrelease(self, request: Request, pk: str | None = None) -> Response:
        """Take the release back."""
        data = self._input(UnreleaseInputSerializer)
        order = services.production_order_unrelease(
            order=self.get_object(), actor=request.user, expected_revision=data.get("revision")
        )
        return self._answer(order)

    @extend_schema(
        summary="Void (作废)",
        description="Only a planned order; it keeps its number.",
        request=VoidInputSerializer,
        responses={200: ProductionOrderSerializer},
    )
    @action(detail=True, methods=["post"])
    def void(self, request: Request, pk: str | None = None) -> Response:
        """Void the planned order with a reason."""
        data = self._input(VoidInputSerializer)
        order = services.production_order_void(
            order=self.get_object(),
            actor=request.user,
            reason=data["reason"],
            expected_revision=data.get("revision"),
        )
        return self._answer(order)

    @extend_schema(
        summary="Consume a component",
        description=(
            "Issues the quantity (from the component warehouse unless another is named) into "
            "the order's work in progress."
        ),
        request=ConsumeInputSerializer,
        responses={200: ProductionOrderSerializer},
    )
    @action(detail=True, methods=["post"])
    def consume(self, request: Request, pk: str | None = None) -> Response:
        """Book a consumption on the order."""
        order = self.get_object()
        data = self._input(ConsumeInputSerializer)
        services.production_order_consume(
            order=order,
            item=data["item"],
            quantity=data["quantity"],
            warehouse=data.get("warehouse"),
            source_event_id=data.get("source_event_id"),
            actor=request.user,
        )
        return self._answer(order)

    @extend_schema(
        summary="Report output and scrap",
        description="Good output is received into the order's warehouse out of WIP.",
        request=ReportOutputInputSerializer,
        responses={200: ProductionOrderSerializer},
    )
    @action(detail=True, methods=["post"], url_path="report-output")
    def report_output(self, request: Request, pk: str | None = None) -> Response:
        """Book good output and scrap on the order."""
        order = self.get_object()
        data = self._input(ReportOutputInputSerializer)
        order = services.production_order_report_output(
            order=order,
            quantity=data["quantity"],
            scrap_quantity=data["scrap_quantity"],
            source_event_id=data.get("source_event_id"),
            actor=request.user,
        )
        return self._answer(order)

    @extend_schema(
        summary="Book machine and labour time",
        description="Hours × the operation's rates, posted to WIP on journal PRD.",
        request=BookTimeInputSerializer,
        responses={200: ProductionOrderSerializer},
    )
    @action(detail=True, methods=["post"], url_path="book-time")
    def book_time(self, request: Request, pk: str | None = None) -> Response:
        """Book hours on one of the order's operations."""
        order = self.get_object()
        data = self._input(BookTimeInputSerializer)
        operation = order.operations.filter(pk=data["operation"]).first()
        if operation is None:
            raise NotFound(_("The operation is not one of this order."), code="operation_not_found")
        services.production_order_book_time(
            order=order,
            operation=operation,
            machine_hours=data["machine_hours"],
            labour_hours=data["labour_hours"],
            source_event_id=data.get("source_event_id"),
            actor=request.user,
        )
        return self._answer(order)

    @extend_schema(
        summary="Complete (done)",
        request=CompleteInputSerializer,
        responses={200: ProductionOrderSerializer},
    )
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: str | None = None) -> Response:
        """Declare production finished."""
        data = self._input(CompleteInputSerializer)
        order = services.production_order_complete(
            order=self.get_object(), actor=request.user, expected_revision=data.get("revision")
        )
        return self._answer(order)

    @extend_schema(
        summary="Close: roll up the cost and post the variance",
        request=CloseInputSerializer,
        responses={200: ProductionOrderSerializer},
    )
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str | None = None) -> Response:
        """Close the done order."""
        data = self._input(CloseInputSerializer)
        order = services.production_order_close(
            order=self.get_object(), actor=request.user, expected_revision=data.get("revision")
        )
        return self._answer(order)
