"""Viewsets of the sales API under /api/v1/erp/: price lists, sales orders, deliveries.

Writes and state changes go through ``erp_core.sales.services``. A customer's user (partner
user) lists and reads its own orders and deliveries, nothing else: another customer's is a 404.
"""

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from erp_core.api.idempotency import IdempotentCreateMixin
from erp_core.documents.api import (
    DOCUMENT_PERMISSIONS,
    DocumentFlowMixin,
    PartnerScopedMixin,
    RevisionInputSerializer,
)
from erp_core.sales import selectors, services
from erp_core.sales.api.filters import DeliveryFilterSet, PriceListFilterSet, SalesOrderFilterSet
from erp_core.sales.api.serializers import (
    DeliverySerializer,
    DeliveryUpdateSerializer,
    DeliveryWriteSerializer,
    PriceListSerializer,
    PriceListWriteSerializer,
    SalesOrderApproveInputSerializer,
    SalesOrderSerializer,
    SalesOrderWriteSerializer,
)
from erp_core.sales.models import Delivery, PriceList, SalesOrder

ERP = "erp_core.access_erp"
# Warehouse staff work in WMS without ERP access, yet they read orders and ship deliveries.
ORDER_MODULES = (ERP, "wms.access_wms")
APPROVE = "sales.approve_salesorder"


@extend_schema_view(
    list=extend_schema(summary="List price lists"),
    retrieve=extend_schema(summary="Get a price list with its rows"),
    create=extend_schema(
        summary="Create a price list with its rows",
        request=PriceListWriteSerializer,
        responses={201: PriceListSerializer},
    ),
    update=extend_schema(
        summary="Replace a price list and its rows",
        request=PriceListWriteSerializer,
        responses={200: PriceListSerializer},
    ),
)
class PriceListViewSet(
    IdempotentCreateMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Selling price lists with quantity breaks; staff only."""

    queryset = PriceList.objects.all()
    serializer_class = PriceListSerializer
    filterset_class = PriceListFilterSet
    search_fields = ("code", "name")
    ordering_fields = ("code", "name", "valid_from")
    ordering = ("code",)
    permission_classes = DOCUMENT_PERMISSIONS
    module_permission = ERP
    partner_actions = ()
    http_method_names = ("get", "post", "put", "head", "options")

    def get_queryset(self) -> QuerySet[PriceList]:
        """Price lists with their rows."""
        return selectors.price_list_detail_list()

    def get_serializer_class(self) -> type[BaseSerializer]:
        """The input serializer for writes, the read serializer otherwise."""
        if self.action in ("create", "update"):
            return PriceListWriteSerializer
        return PriceListSerializer

    def perform_create(self, serializer: PriceListWriteSerializer) -> None:
        """Create through ``price_list_create``."""
        serializer.instance = services.price_list_create(
            **serializer.validated_data, actor=self.request.user
        )

    def perform_update(self, serializer: PriceListWriteSerializer) -> None:
        """Replace through ``price_list_update``."""
        serializer.instance = services.price_list_update(
            price_list=serializer.instance, **serializer.validated_data, actor=self.request.user
        )


@extend_schema_view(
    list=extend_schema(summary="List sales orders"),
    retrieve=extend_schema(summary="Get a sales order with its lines"),
    create=extend_schema(
        summary="Save a sales order with its lines",
        description=(
            "Lines without `unit_price` take the price list's price (quantity breaks) or the "
            "item's list price. Send an `Idempotency-Key` header to make retries safe."
        ),
        request=SalesOrderWriteSerializer,
        responses={201: SalesOrderSerializer},
    ),
    update=extend_schema(
        summary="Replace a saved sales order and its lines",
        description="Refused with 409 once confirmed, or when `revision` is stale.",
        request=SalesOrderWriteSerializer,
        responses={200: SalesOrderSerializer},
    ),
)
class SalesOrderViewSet(
    IdempotentCreateMixin,
    PartnerScopedMixin,
    DocumentFlowMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Sales orders: save, confirm (审核, with the credit check), unconfirm, void, close, cancel."""

    queryset = SalesOrder.objects.all()
    serializer_class = SalesOrderSerializer
    read_serializer_class = SalesOrderSerializer
    filterset_class = SalesOrderFilterSet
    search_fields = ("number", "customer_reference", "customer__name", "customer__code")
    ordering_fields = ("date", "number", "created_at", "promised_date")
    ordering = ("-date", "-id")
    permission_classes = DOCUMENT_PERMISSIONS
    module_permission = ERP
    module_permissions = ORDER_MODULES
    partner_field = "customer"
    partner_actions = ("list", "retrieve")
    step_actions = ("approve", "unapprove", "void", "close", "cancel")
    # approve: ``sales.approve_salesorder``, or ``sales.override_credit_limit`` with an override.
    action_permissions = {
        "unapprove": "sales.approve_salesorder",
        "close": "sales.approve_salesorder",
        "cancel": "sales.approve_salesorder",
        "void": "sales.change_salesorder",
    }
    http_method_names = ("get", "post", "put", "head", "options")

    def get_queryset(self) -> QuerySet[SalesOrder]:
        """Orders with lines and related rows (a customer's user: its own only)."""
        self.queryset = selectors.sales_order_detail_list()
        return super().get_queryset()

    def get_serializer_class(self) -> type[BaseSerializer]:
        """The input serializer for writes, the read serializer otherwise."""
        if self.action in ("create", "update"):
            return SalesOrderWriteSerializer
        return SalesOrderSerializer

    def perform_create(self, serializer: SalesOrderWriteSerializer) -> None:
        """Save through ``sales_order_create``."""
        data = dict(serializer.validated_data)
        data.pop("revision", None)
        serializer.instance = services.sales_order_create(**data, actor=self.request.user)

    def update(self, request: Request, *args, **kwargs) -> Response:
        """Replace a saved order through ``sales_order_update``."""
        order = self.get_object()
        serializer = SalesOrderWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        revision = data.pop("revision", None)
        order = services.sales_order_update(
            order=order, **data, expected_revision=revision, actor=request.user
        )
        return self.answer(order)

    def flow_unapprove(self, order: SalesOrder, *, actor, expected_revision) -> SalesOrder:
        """``sales_order_unapprove``."""
        return services.sales_order_unapprove(
            order=order, actor=actor, expected_revision=expected_revision
        )

    def flow_void(self, order: SalesOrder, *, actor, reason, expected_revision) -> SalesOrder:
        """``sales_order_void``."""
        return services.sales_order_void(
            order=order, actor=actor, reason=reason, expected_revision=expected_revision
        )

    @extend_schema(
        summary="Confirm (审核)",
        description=(
            "Checks the customer's credit limit (409 `credit_limit_exceeded` with the figures); "
            "a user with `sales.override_credit_limit` may pass `override_credit` with "
            "`override_reason`. Publishes `erp.sales_order_confirmed`."
        ),
        request=SalesOrderApproveInputSerializer,
        responses={200: SalesOrderSerializer},
    )
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        """Confirm the order through ``sales_order_approve``.

        Needs ``sales.approve_salesorder``; an override of the credit limit needs
        ``sales.override_credit_limit`` instead (checked by the service).
        """
        data = self._input(request, SalesOrderApproveInputSerializer)
        if not data["override_credit"] and not request.user.has_perm(APPROVE):
            raise PermissionDenied(_("You may not confirm sales orders."))
        order = services.sales_order_approve(
            order=self.get_object(),
            actor=request.user,
            expected_revision=data.get("revision"),
            override_credit=data["override_credit"],
            override_reason=data["override_reason"],
        )
        return self.answer(order)

    @extend_schema(
        summary="Close (short-close what is open)",
        request=RevisionInputSerializer,
        responses={200: SalesOrderSerializer},
    )
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str | None = None) -> Response:
        """Close the order through ``sales_order_close``."""
        data = self._input(request, RevisionInputSerializer)
        order = services.sales_order_close(
            order=self.get_object(), actor=request.user, expected_revision=data.get("revision")
        )
        return self.answer(order)

    @extend_schema(
        summary="Cancel a confirmed order of which nothing was delivered",
        request=RevisionInputSerializer,
        responses={200: SalesOrderSerializer},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        """Cancel the order through ``sales_order_cancel``."""
        data = self._input(request, RevisionInputSerializer)
        order = services.sales_order_cancel(
            order=self.get_object(), actor=request.user, expected_revision=data.get("revision")
        )
        return self.answer(order)


@extend_schema_view(
    list=extend_schema(summary="List deliveries"),
    retrieve=extend_schema(summary="Get a delivery with its lines"),
    create=extend_schema(
        summary="Save a delivery of a confirmed order",
        description="Each line at most the order line's open quantity.",
        request=DeliveryWriteSerializer,
        responses={201: DeliverySerializer},
    ),
    update=extend_schema(
        summary="Replace a saved delivery and its lines",
        request=DeliveryUpdateSerializer,
        responses={200: DeliverySerializer},
    ),
    approve=extend_schema(
        summary="Ship (审核)",
        description="Issues the goods from the warehouse and posts cost of goods sold.",
    ),
    unapprove=extend_schema(
        summary="Refused: a shipped delivery is taken back by a return",
        description="Always 409.",
    ),
)
class DeliveryViewSet(
    IdempotentCreateMixin,
    PartnerScopedMixin,
    DocumentFlowMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Deliveries (送货单): save against a confirmed order, ship, void a saved one."""

    queryset = Delivery.objects.all()
    serializer_class = DeliverySerializer
    read_serializer_class = DeliverySerializer
    filterset_class = DeliveryFilterSet
    search_fields = ("number", "sales_order__number", "shipment_reference", "customer__name")
    ordering_fields = ("date", "number", "created_at")
    ordering = ("-date", "-id")
    permission_classes = DOCUMENT_PERMISSIONS
    module_permission = ERP
    module_permissions = ORDER_MODULES
    partner_field = "customer"
    partner_actions = ("list", "retrieve")
    step_actions = ("approve", "unapprove", "void")
    action_permissions = {
        "approve": "sales.ship_delivery",
        "unapprove": "sales.ship_delivery",
        "void": "sales.change_delivery",
    }
    http_method_names = ("get", "post", "put", "head", "options")

    def get_queryset(self) -> QuerySet[Delivery]:
        """Deliveries with lines and related rows (a customer's user: its own only)."""
        self.queryset = selectors.delivery_detail_list()
        return super().get_queryset()

    def get_serializer_class(self) -> type[BaseSerializer]:
        """The input serializers for writes, the read serializer otherwise."""
        if self.action == "create":
            return DeliveryWriteSerializer
        if self.action == "update":
            return DeliveryUpdateSerializer
        return DeliverySerializer

    def perform_create(self, serializer: DeliveryWriteSerializer) -> None:
        """Save through ``delivery_create``."""
        serializer.instance = services.delivery_create(
            **serializer.validated_data, actor=self.request.user
        )

    def update(self, request: Request, *args, **kwargs) -> Response:
        """Replace a saved delivery through ``delivery_update``."""
        delivery = self.get_object()
        serializer = DeliveryUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        revision = data.pop("revision", None)
        delivery = services.delivery_update(
            delivery=delivery, **data, expected_revision=revision, actor=request.user
        )
        return self.answer(delivery)

    def flow_approve(self, delivery: Delivery, *, actor, expected_revision) -> Delivery:
        """``delivery_approve`` (ship)."""
        return services.delivery_approve(
            delivery=delivery, actor=actor, expected_revision=expected_revision
        )

    def flow_unapprove(self, delivery: Delivery, *, actor, expected_revision) -> Delivery:
        """``delivery_unapprove``: always refused."""
        return services.delivery_unapprove(
            delivery=delivery, actor=actor, expected_revision=expected_revision
        )

    def flow_void(self, delivery: Delivery, *, actor, reason, expected_revision) -> Delivery:
        """``delivery_void``."""
        return services.delivery_void(
            delivery=delivery, actor=actor, reason=reason, expected_revision=expected_revision
        )
