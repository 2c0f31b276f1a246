"""Viewsets of the sales API under /api/v1/erp/: price lists, sales orders, deliveries.

Writes and state changes go through ``erp_core.sales.services``. A customer's user (partner
user) lists and reads its own orders and deliveries, nothing else: another customer's is a 404.
"""

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.serializers import BaseSerializer

from erp_core.api.idempotency import IdempotentCreateMixin
from erp_core.documents.api import (
    DOCUMENT_PERMISSIONS,
    DocumentViewSet,
    Step,
    approve_step,
    unapprove_step,
    void_step,
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
from erp_core.sales.models import PriceList, SalesOrder

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


def _sales_order_confirm(
    *, order: SalesOrder, actor, override_credit: bool, override_reason: str, **revision
) -> SalesOrder:
    """``sales_order_approve``: needs ``sales.approve_salesorder``; an override of the credit
    limit needs ``sales.override_credit_limit`` instead (checked by the service)."""
    if not override_credit and not actor.has_perm(APPROVE):
        raise PermissionDenied(_("You may not confirm sales orders."))
    return services.sales_order_approve(
        order=order,
        actor=actor,
        override_credit=override_credit,
        override_reason=override_reason,
        **revision,
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
    ),
    partial_update=extend_schema(
        summary="Change a saved sales order",
        description=(
            "Only the fields sent change; `lines`, when sent, replace them all. Refused with "
            "409 once confirmed, or when `revision` is stale."
        ),
    ),
)
class SalesOrderViewSet(DocumentViewSet):
    """Sales orders: save, confirm (审核, with the credit check), unconfirm, void, close, cancel."""

    queryset = selectors.sales_order_detail_list()
    serializer_class = SalesOrderSerializer
    write_serializer_class = SalesOrderWriteSerializer
    filterset_class = SalesOrderFilterSet
    search_fields = ("number", "customer_reference", "customer__name", "customer__code")
    ordering_fields = ("date", "number", "created_at", "promised_date")
    module_permissions = ORDER_MODULES
    partner_field = "customer"
    partner_actions = ("list", "retrieve")
    document_argument = "order"
    create_service = services.sales_order_create
    update_service = services.sales_order_update
    steps = {
        # No permission here: an override of the credit limit needs another one.
        "approve": approve_step(
            _sales_order_confirm,
            permission=None,
            input=SalesOrderApproveInputSerializer,
            summary="Confirm",
            description=(
                "Checks the customer's credit limit (409 `credit_limit_exceeded` with the "
                "figures); a user with `sales.override_credit_limit` may pass `override_credit` "
                "with `override_reason`. Publishes `erp.sales_order_confirmed`."
            ),
        ),
        "unapprove": unapprove_step(services.sales_order_unapprove, permission=APPROVE),
        "void": void_step(services.sales_order_void, permission="sales.change_salesorder"),
        "close": Step(
            services.sales_order_close,
            permission=APPROVE,
            summary="Close (short-close what is open)",
        ),
        "cancel": Step(
            services.sales_order_cancel,
            permission=APPROVE,
            summary="Cancel a confirmed order of which nothing was delivered",
        ),
    }


@extend_schema_view(
    list=extend_schema(summary="List deliveries"),
    retrieve=extend_schema(summary="Get a delivery with its lines"),
    create=extend_schema(
        summary="Save a delivery of a confirmed order",
        description="Each line at most the order line's open quantity.",
    ),
    partial_update=extend_schema(
        summary="Change a saved delivery",
        description="Only the fields sent change; `lines`, when sent, replace them all.",
    ),
)
class DeliveryViewSet(DocumentViewSet):
    """Deliveries (送货单): save against a confirmed order, ship, void a saved one."""

    queryset = selectors.delivery_detail_list()
    serializer_class = DeliverySerializer
    write_serializer_class = DeliveryWriteSerializer
    update_serializer_class = DeliveryUpdateSerializer
    filterset_class = DeliveryFilterSet
    search_fields = ("number", "sales_order__number", "shipment_reference", "customer__name")
    module_permissions = ORDER_MODULES
    partner_field = "customer"
    partner_actions = ("list", "retrieve")
    document_argument = "delivery"
    create_service = services.delivery_create
    update_service = services.delivery_update
    steps = {
        "approve": approve_step(
            services.delivery_approve,
            permission="sales.ship_delivery",
            summary="Ship",
            description="Issues the goods from the warehouse and posts cost of goods sold.",
        ),
        "unapprove": unapprove_step(
            services.delivery_unapprove,
            permission="sales.ship_delivery",
            summary="Refused: a shipped delivery is taken back by a return",
            description="Always 409.",
        ),
        "void": void_step(services.delivery_void, permission="sales.change_delivery"),
    }
