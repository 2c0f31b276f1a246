"""Viewsets of the purchasing API under /api/v1/erp/: requisitions, orders and receipts.

Explicit queryset, serializers and filtersets; every write and state change through
``erp_core.purchasing.services``. A supplier's user (a partner user) lists, reads and
acknowledges its own placed orders and reads its own booked receipts; another supplier's
document is a 404 and a customer's user is refused (403).
"""

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from erp_core.api.idempotency import IdempotentCreateMixin
from erp_core.api.permissions import is_partner_user
from erp_core.documents.api import DOCUMENT_PERMISSIONS, DocumentFlowMixin, PartnerScopedMixin
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
from erp_core.purchasing.models import PurchaseOrder, PurchaseReceipt, PurchaseRequisition

ERP = "erp_core.access_erp"
# Warehouse staff work in WMS without ERP access, yet they read orders and book receipts.
ORDER_MODULES = (ERP, "wms.access_wms")
DOCUMENT_METHODS = ("get", "post", "put", "patch", "head", "options")


def _write_data(serializer: BaseSerializer) -> tuple[dict, int | None]:
    """The validated input without the revision, and the revision the caller read."""
    data = dict(serializer.validated_data)
    return data, data.pop("revision", None)


class _DocumentViewSet(
    IdempotentCreateMixin,
    DocumentFlowMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """What the three document viewsets share: permissions, methods, answers."""

    # The module gate of ``module_permissions`` (any one); status steps need the model's view
    # permission plus their own.
    permission_classes = DOCUMENT_PERMISSIONS
    module_permission = ERP
    module_permissions: tuple[str, ...] = (ERP,)
    partner_actions: tuple[str, ...] = ()
    step_actions: tuple[str, ...] = ("approve", "unapprove", "void")
    http_method_names = DOCUMENT_METHODS
    ordering_fields = ("date", "number", "created_at")
    ordering = ("-date", "-id")

    def initial(self, request: Request, *args, **kwargs) -> None:
        """Refuse a customer's user outright: only suppliers see purchasing documents."""
        super().initial(request, *args, **kwargs)
        user = request.user
        if is_partner_user(user) and not user.partner.is_supplier:
            raise PermissionDenied("Only a supplier's users may see purchasing documents.")

    def _input(self, request: Request, serializer_class) -> dict:
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


@extend_schema_view(
    list=extend_schema(summary="List purchase requisitions"),
    retrieve=extend_schema(summary="Get a purchase requisition with its lines"),
    create=extend_schema(
        summary="Save a purchase requisition with its lines",
        description="Send an `Idempotency-Key` header to make retries safe.",
        request=PurchaseRequisitionWriteSerializer,
        responses={201: PurchaseRequisitionSerializer},
    ),
    update=extend_schema(
        summary="Replace a saved requisition and its lines",
        description="Only a saved (draft) requisition changes; a stale `revision` is a 409.",
        request=PurchaseRequisitionWriteSerializer,
        responses={200: PurchaseRequisitionSerializer},
    ),
    partial_update=extend_schema(
        summary="Change a saved requisition",
        request=PurchaseRequisitionWriteSerializer,
        responses={200: PurchaseRequisitionSerializer},
    ),
)
class PurchaseRequisitionViewSet(_DocumentViewSet):
    """Purchase requisitions: saved, approved (审核), unapproved (反审核), voided (作废)."""

    queryset = PurchaseRequisition.objects.all()
    serializer_class = PurchaseRequisitionSerializer
    filterset_class = PurchaseRequisitionFilterSet
    search_fields = ("number", "memo")
    action_permissions = {
        "approve": "purchasing.approve_purchaserequisition",
        "unapprove": "purchasing.approve_purchaserequisition",
        "void": "purchasing.change_purchaserequisition",
    }

    def get_queryset(self) -> QuerySet[PurchaseRequisition]:
        """Requisitions with their lines."""
        return selectors.purchase_requisition_list()

    def get_serializer_class(self) -> type[BaseSerializer]:
        """The input serializer for writes, the read serializer otherwise."""
        if self.action in ("create", "update", "partial_update"):
            return PurchaseRequisitionWriteSerializer
        return PurchaseRequisitionSerializer

    def perform_create(self, serializer: PurchaseRequisitionWriteSerializer) -> None:
        """Save through ``purchase_requisition_create``."""
        data, _revision = _write_data(serializer)
        requisition = services.purchase_requisition_create(**data, actor=self.request.user)
        serializer.instance = self.get_queryset().get(pk=requisition.pk)

    def perform_update(self, serializer: PurchaseRequisitionWriteSerializer) -> None:
        """Change through ``purchase_requisition_update`` (drafts only, 409 when stale)."""
        data, revision = _write_data(serializer)
        requisition = services.purchase_requisition_update(
            requisition=serializer.instance,
            expected_revision=revision,
            **data,
            actor=self.request.user,
        )
        serializer.instance = self.get_queryset().get(pk=requisition.pk)

    def flow_approve(self, requisition, *, actor, expected_revision):
        """Approve (审核)."""
        return services.purchase_requisition_approve(
            requisition=requisition, actor=actor, expected_revision=expected_revision
        )

    def flow_unapprove(self, requisition, *, actor, expected_revision):
        """Unapprove (反审核) while no order was made from it."""
        return services.purchase_requisition_unapprove(
            requisition=requisition, actor=actor, expected_revision=expected_revision
        )

    def flow_void(self, requisition, *, actor, reason, expected_revision):
        """Void (作废) a saved requisition."""
        return services.purchase_requisition_void(
            requisition=requisition, actor=actor, reason=reason, expected_revision=expected_revision
        )


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
        request=PurchaseOrderWriteSerializer,
        responses={201: PurchaseOrderSerializer},
    ),
    update=extend_schema(
        summary="Replace a saved order and its lines",
        description="Only a saved (draft) order changes; a stale `revision` is a 409.",
        request=PurchaseOrderWriteSerializer,
        responses={200: PurchaseOrderSerializer},
    ),
    partial_update=extend_schema(
        summary="Change a saved order",
        request=PurchaseOrderWriteSerializer,
        responses={200: PurchaseOrderSerializer},
    ),
)
class PurchaseOrderViewSet(PartnerScopedMixin, _DocumentViewSet):
    """Purchase orders (采购订单): saved, placed (审核), acknowledged by the supplier, received,
    closed or cancelled. A supplier's user lists, reads and acknowledges its placed orders."""

    queryset = PurchaseOrder.objects.all()
    serializer_class = PurchaseOrderSerializer
    filterset_class = PurchaseOrderFilterSet
    search_fields = ("number", "memo", "supplier__name", "supplier__code")
    ordering_fields = ("date", "number", "expected_date", "created_at")
    module_permissions = ORDER_MODULES
    partner_field = "supplier"
    partner_actions = ("list", "retrieve", "acknowledge")
    step_actions = ("approve", "unapprove", "void", "acknowledge", "close", "cancel")
    action_permissions = {
        "approve": "purchasing.approve_purchaseorder",
        "unapprove": "purchasing.approve_purchaseorder",
        "void": "purchasing.change_purchaseorder",
        "acknowledge": "purchasing.change_purchaseorder",
        "close": "purchasing.approve_purchaseorder",
        "cancel": "purchasing.approve_purchaseorder",
    }

    def get_queryset(self) -> QuerySet[PurchaseOrder]:
        """Orders with lines and totals; a supplier's user sees its own, never drafts."""
        user = self.request.user
        if is_partner_user(user):
            return selectors.purchase_order_list(partner_id=user.partner_id)
        return selectors.purchase_order_list()

    def get_serializer_class(self) -> type[BaseSerializer]:
        """The input serializer for writes, the read serializer otherwise."""
        if self.action in ("create", "update", "partial_update"):
            return PurchaseOrderWriteSerializer
        if self.action == "from_requisitions":
            return PurchaseOrderFromRequisitionsSerializer
        return PurchaseOrderSerializer

    def perform_create(self, serializer: PurchaseOrderWriteSerializer) -> None:
        """Save through ``purchase_order_create``."""
        data, _revision = _write_data(serializer)
        order = services.purchase_order_create(**data, actor=self.request.user)
        serializer.instance = self.get_queryset().get(pk=order.pk)

    def perform_update(self, serializer: PurchaseOrderWriteSerializer) -> None:
        """Change through ``purchase_order_update`` (drafts only, 409 when stale)."""
        data, revision = _write_data(serializer)
        order = services.purchase_order_update(
            order=serializer.instance, expected_revision=revision, **data, actor=self.request.user
        )
        serializer.instance = self.get_queryset().get(pk=order.pk)

    def flow_approve(self, order, *, actor, expected_revision):
        """Place the order (审核); publishes ``erp.purchase_order_placed``."""
        return services.purchase_order_approve(
            order=order, actor=actor, expected_revision=expected_revision
        )

    def flow_unapprove(self, order, *, actor, expected_revision):
        """Back to saved (反审核) while nothing was received."""
        return services.purchase_order_unapprove(
            order=order, actor=actor, expected_revision=expected_revision
        )

    def flow_void(self, order, *, actor, reason, expected_revision):
        """Void (作废) a saved order."""
        return services.purchase_order_void(
            order=order, actor=actor, reason=reason, expected_revision=expected_revision
        )

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
        data = dict(self._input(request, PurchaseOrderFromRequisitionsSerializer))
        order = services.purchase_order_create_from_requisitions(**data, actor=request.user)
        return self.answer(order, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Acknowledge a placed order (the supplier)",
        description=(
            "By the supplier's own user or by staff on its behalf, once (a second time is a "
            "409): the supplier's reference and, optionally, a confirmed date per line."
        ),
        request=PurchaseOrderAcknowledgeInputSerializer,
        responses={200: PurchaseOrderSerializer},
    )
    @action(detail=True, methods=["post"])
    def acknowledge(self, request: Request, pk: str | None = None) -> Response:
        """Acknowledge through ``purchase_order_acknowledge``."""
        data = dict(self._input(request, PurchaseOrderAcknowledgeInputSerializer))
        order = services.purchase_order_acknowledge(
            order=self.get_object(),
            actor=request.user,
            supplier_reference=data.get("supplier_reference", ""),
            lines=data.get("lines"),
            expected_revision=data.get("revision"),
        )
        return self.answer(order)

    @extend_schema(
        summary="Close an order (short-close the rest)",
        description="For an order with part received; one with nothing received is cancelled.",
        request=PurchaseOrderCloseInputSerializer,
        responses={200: PurchaseOrderSerializer},
    )
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str | None = None) -> Response:
        """Close through ``purchase_order_close``."""
        data = self._input(request, PurchaseOrderCloseInputSerializer)
        order = services.purchase_order_close(
            order=self.get_object(),
            actor=request.user,
            reason=data.get("reason", ""),
            expected_revision=data.get("revision"),
        )
        return self.answer(order)

    @extend_schema(
        summary="Cancel a placed order of which nothing was received",
        request=PurchaseOrderCancelInputSerializer,
        responses={200: PurchaseOrderSerializer},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        """Cancel through ``purchase_order_cancel``."""
        data = self._input(request, PurchaseOrderCancelInputSerializer)
        order = services.purchase_order_cancel(
            order=self.get_object(),
            actor=request.user,
            reason=data["reason"],
            expected_revision=data.get("revision"),
        )
        return self.answer(order)


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
        request=PurchaseReceiptWriteSerializer,
        responses={201: PurchaseReceiptSerializer},
    ),
    update=extend_schema(
        summary="Replace a saved receipt's fields and lines",
        request=PurchaseReceiptUpdateSerializer,
        responses={200: PurchaseReceiptSerializer},
    ),
    partial_update=extend_schema(
        summary="Change a saved receipt",
        request=PurchaseReceiptUpdateSerializer,
        responses={200: PurchaseReceiptSerializer},
    ),
)
class PurchaseReceiptViewSet(PartnerScopedMixin, _DocumentViewSet):
    """Purchase receipts (入库单): saved, then booked into stock (审核) or voided (作废).

    A booked receipt is not unapproved (409): returns to the supplier are not supported yet.
    """

    queryset = PurchaseReceipt.objects.all()
    serializer_class = PurchaseReceiptSerializer
    filterset_class = PurchaseReceiptFilterSet
    search_fields = ("number", "delivery_note", "purchase_order__number")
    module_permissions = ORDER_MODULES
    partner_field = "supplier"
    partner_actions = ("list", "retrieve")
    action_permissions = {
        "approve": "purchasing.receive_purchasereceipt",
        "unapprove": "purchasing.receive_purchasereceipt",
        "void": "purchasing.change_purchasereceipt",
    }

    def get_queryset(self) -> QuerySet[PurchaseReceipt]:
        """Receipts with their lines; a supplier's user sees its own booked ones."""
        user = self.request.user
        if is_partner_user(user):
            return selectors.purchase_receipt_list(partner_id=user.partner_id)
        return selectors.purchase_receipt_list()

    def get_serializer_class(self) -> type[BaseSerializer]:
        """The input serializer for writes, the read serializer otherwise."""
        if self.action == "create":
            return PurchaseReceiptWriteSerializer
        if self.action in ("update", "partial_update"):
            return PurchaseReceiptUpdateSerializer
        return PurchaseReceiptSerializer

    def perform_create(self, serializer: PurchaseReceiptWriteSerializer) -> None:
        """Save through ``purchase_receipt_create``."""
        data, _revision = _write_data(serializer)
        receipt = services.purchase_receipt_create(**data, actor=self.request.user)
        serializer.instance = self.get_queryset().get(pk=receipt.pk)

    def perform_update(self, serializer: PurchaseReceiptUpdateSerializer) -> None:
        """Change through ``purchase_receipt_update`` (drafts only, 409 when stale)."""
        data, revision = _write_data(serializer)
        receipt = services.purchase_receipt_update(
            receipt=serializer.instance,
            expected_revision=revision,
            **data,
            actor=self.request.user,
        )
        serializer.instance = self.get_queryset().get(pk=receipt.pk)

    def flow_approve(self, receipt, *, actor, expected_revision):
        """Book into stock (审核)."""
        return services.purchase_receipt_approve(
            receipt=receipt, actor=actor, expected_revision=expected_revision
        )

    def flow_unapprove(self, receipt, *, actor, expected_revision):
        """Refused: a booked receipt stays booked (409)."""
        return services.purchase_receipt_unapprove(
            receipt=receipt, actor=actor, expected_revision=expected_revision
        )

    def flow_void(self, receipt, *, actor, reason, expected_revision):
        """Void (作废) a saved receipt."""
        return services.purchase_receipt_void(
            receipt=receipt, actor=actor, reason=reason, expected_revision=expected_revision
        )
