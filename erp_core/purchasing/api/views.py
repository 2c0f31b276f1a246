"""Viewsets of the purchasing API under /api/v1/erp/: requisitions, orders and receipts.

Explicit queryset, serializers and filtersets; every write and state change through
``erp_core.purchasing.services``. A supplier's user (a partner user) lists, reads and
acknowledges its own placed orders and reads its own booked receipts; another supplier's
document is a 404 and a customer's user is refused (403).
"""

from django.db import transaction
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from erp_core.api.permissions import is_partner_user
from erp_core.documents.api import (
    DocumentViewSet,
    Step,
    approve_step,
    unapprove_step,
    void_step,
)
from erp_core.purchasing import selectors, services
from erp_core.purchasing.api.filters import (
    PurchaseOrderFilterSet,
    PurchaseReceiptFilterSet,
    PurchaseRequisitionFilterSet,
)
from erp_core.purchasing.api.serializers import (
    PurchaseOrderAcknowledgeInputSerializer,
    PurchaseOrderCancelInputSerializer,
    PurchaseOrderCloseInputSerializer,
    PurchaseOrderFromRequisitionsSerializer,
    PurchaseOrderSerializer,
    PurchaseOrderWriteSerializer,
    PurchaseReceiptSerializer,
    PurchaseReceiptUpdateSerializer,
    PurchaseReceiptWriteSerializer,
    PurchaseRequisitionSerializer,
    PurchaseRequisitionWriteSerializer,
)
from erp_core.purchasing.models import PurchaseOrder, PurchaseReceipt

ERP = "erp_core.access_erp"
# Warehouse staff work in WMS without ERP access, yet they read orders and book receipts.
ORDER_MODULES = (ERP, "wms.access_wms")
APPROVE_REQUISITION = "purchasing.approve_purchaserequisition"
APPROVE_ORDER = "purchasing.approve_purchaseorder"
CHANGE_ORDER = "purchasing.change_purchaseorder"
RECEIVE = "purchasing.receive_purchasereceipt"


class _SupplierDocuments:
    """Only a supplier's users may see purchasing documents: a customer's user gets 403."""

    def initial(self, request: Request, *args, **kwargs) -> None:
        """Refuse a customer's user outright."""
        super().initial(request, *args, **kwargs)
        user = request.user
        if is_partner_user(user) and not user.partner.is_supplier:
            raise PermissionDenied("Only a supplier's users may see purchasing documents.")


@extend_schema_view(
    list=extend_schema(summary="List purchase requisitions"),
    retrieve=extend_schema(summary="Get a purchase requisition with its lines"),
    create=extend_schema(
        summary="Save a purchase requisition with its lines",
        description="Send an `Idempotency-Key` header to make retries safe.",
    ),
    partial_update=extend_schema(
        summary="Change a saved requisition",
        description="Only a saved (draft) requisition changes; a stale `revision` is a 409.",
    ),
)
class PurchaseRequisitionViewSet(_SupplierDocuments, DocumentViewSet):
    """Purchase requisitions: saved, approved (审核), unapproved (反审核), voided (作废)."""

    queryset = selectors.purchase_requisition_list()
    serializer_class = PurchaseRequisitionSerializer
    write_serializer_class = PurchaseRequisitionWriteSerializer
    filterset_class = PurchaseRequisitionFilterSet
    search_fields = ("number", "memo")
    module_permission = ERP
    partner_field = None
    document_argument = "requisition"
    create_service = services.purchase_requisition_create
    update_service = services.purchase_requisition_update
    steps = {
        "approve": approve_step(
            services.purchase_requisition_approve, permission=APPROVE_REQUISITION
        ),
        "unapprove": unapprove_step(
            services.purchase_requisition_unapprove,
            permission=APPROVE_REQUISITION,
            description="Back to saved while no order was made from it.",
        ),
        "void": void_step(
            services.purchase_requisition_void,
            permission="purchasing.change_purchaserequisition",
        ),
    }


@extend_schema_view(
    list=extend_schema(summary="List purchase orders"),
    retrieve=extend_schema(summary="Get a purchase order with its lines"),
    create=extend_schema(
        summary="Save a purchase order with its lines",
        description=(
            "Lines left without a price take the item's price on this supplier's last placed "
            "order, else its standard cost; without a VAT code the item's; without an expected "
            "date the order's date plus the item's purchase lead time. A quantity below the "
            "item's minimum order quantity is a 400. Send an `Idempotency-Key` header to make "
            "retries safe."
        ),
    ),
    partial_update=extend_schema(
        summary="Change a saved order",
        description="Only a saved (draft) order changes; a stale `revision` is a 409.",
    ),
)
class PurchaseOrderViewSet(_SupplierDocuments, DocumentViewSet):
    """Purchase orders (采购订单): saved, placed (审核), acknowledged by the supplier, received,
    closed or cancelled. A supplier's user lists, reads and acknowledges its placed orders."""

    queryset = selectors.purchase_order_list()
    serializer_class = PurchaseOrderSerializer
    write_serializer_class = PurchaseOrderWriteSerializer
    filterset_class = PurchaseOrderFilterSet
    search_fields = ("number", "memo", "supplier__name", "supplier__code")
    ordering_fields = ("date", "number", "expected_date", "created_at")
    module_permissions = ORDER_MODULES
    partner_field = "supplier"
    partner_actions = ("list", "retrieve", "acknowledge")
    document_argument = "order"
    create_service = services.purchase_order_create
    update_service = services.purchase_order_update
    steps = {
        "approve": approve_step(
            services.purchase_order_approve,
            permission=APPROVE_ORDER,
            summary="Place",
            description="Place the order; publishes `erp.purchase_order_placed`.",
        ),
        "unapprove": unapprove_step(
            services.purchase_order_unapprove,
            permission=APPROVE_ORDER,
            description="Back to saved while nothing was received.",
        ),
        "void": void_step(services.purchase_order_void, permission=CHANGE_ORDER),
        "acknowledge": Step(
            services.purchase_order_acknowledge,
            input=PurchaseOrderAcknowledgeInputSerializer,
            permission=CHANGE_ORDER,
            summary="Acknowledge a placed order (the supplier)",
            description=(
                "By the supplier's own user or by staff on its behalf, once (a second time is a "
                "409): the supplier's reference and, optionally, a confirmed date per line."
            ),
        ),
        "close": Step(
            services.purchase_order_close,
            input=PurchaseOrderCloseInputSerializer,
            permission=APPROVE_ORDER,
            summary="Close an order (short-close the rest)",
            description=(
                "For an order with part received; one with nothing received is cancelled."
            ),
        ),
        "cancel": Step(
            services.purchase_order_cancel,
            input=PurchaseOrderCancelInputSerializer,
            permission=APPROVE_ORDER,
            summary="Cancel a placed order of which nothing was received",
        ),
    }

    def partner_queryset(self, queryset: QuerySet, partner) -> QuerySet[PurchaseOrder]:
        """A supplier's own orders, never drafts."""
        return (
            super()
            .partner_queryset(queryset, partner)
            .filter(status__in=selectors.PARTNER_VISIBLE_ORDER_STATUSES)
        )

    def get_serializer_class(self) -> type[BaseSerializer]:
        """The requisition-lines input for ``from-requisitions``, else the document's."""
        if self.action == "from_requisitions":
            return PurchaseOrderFromRequisitionsSerializer
        return super().get_serializer_class()

    @extend_schema(
        summary="Make a draft order from requisition lines",
        description=(
            "Quantities default to what is left to order on each requisition line, raised to "
            "the item's minimum order quantity and order multiple."
        ),
        request=PurchaseOrderFromRequisitionsSerializer,
        responses={201: PurchaseOrderSerializer},
    )
    @action(detail=False, methods=["post"], url_path="from-requisitions")
    def from_requisitions(self, request: Request) -> Response:
        """Create through ``purchase_order_create_from_requisitions``."""
        data = self.validated_input(PurchaseOrderFromRequisitionsSerializer)
        with transaction.atomic():
            order = services.purchase_order_create_from_requisitions(**data, actor=request.user)
        return self.answer(order, status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="List purchase receipts"),
    retrieve=extend_schema(summary="Get a purchase receipt with its lines"),
    create=extend_schema(
        summary="Save a receipt against a placed order",
        description=(
            "Lines name order lines and quantities; taking a line above ordered × (1 + the "
            "over-receipt tolerance) is a 400 with the figures. Send an `Idempotency-Key` "
            "header to make retries safe."
        ),
    ),
    partial_update=extend_schema(
        summary="Change a saved receipt",
        description="Only a saved (draft) receipt changes; a stale `revision` is a 409.",
    ),
)
class PurchaseReceiptViewSet(_SupplierDocuments, DocumentViewSet):
    """Purchase receipts (入库单): saved, then booked into stock (审核) or voided (作废).

    A booked receipt is not unapproved (409): returns to the supplier are not supported yet.
    """

    queryset = selectors.purchase_receipt_list()
    serializer_class = PurchaseReceiptSerializer
    write_serializer_class = PurchaseReceiptWriteSerializer
    update_serializer_class = PurchaseReceiptUpdateSerializer
    filterset_class = PurchaseReceiptFilterSet
    search_fields = ("number", "delivery_note", "purchase_order__number")
    module_permissions = ORDER_MODULES
    partner_field = "supplier"
    partner_actions = ("list", "retrieve")
    document_argument = "receipt"
    create_service = services.purchase_receipt_create
    update_service = services.purchase_receipt_update
    steps = {
        "approve": approve_step(
            services.purchase_receipt_approve,
            permission=RECEIVE,
            summary="Book into stock",
        ),
        "unapprove": unapprove_step(
            services.purchase_receipt_unapprove,
            permission=RECEIVE,
            description="Refused (409): a booked receipt stays booked.",
        ),
        "void": void_step(
            services.purchase_receipt_void, permission="purchasing.change_purchasereceipt"
        ),
    }

    def partner_queryset(self, queryset: QuerySet, partner) -> QuerySet[PurchaseReceipt]:
        """A supplier's own booked receipts."""
        return (
            super()
            .partner_queryset(queryset, partner)
            .filter(status__in=selectors.PARTNER_VISIBLE_RECEIPT_STATUSES)
        )
