"""Viewsets of the WMS API: the layout and lots (read and write), serials and quants (read),
and the documents and tasks with their status steps as ``POST …/{id}/<verb>/``."""

from typing import cast

from django.db import transaction
from django.db.models import Model
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import MethodNotAllowed
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from erp_core.api.permissions import (
    RESOURCE_PERMISSIONS,
    STEP_PERMISSIONS,
)
from erp_core.documents.api import DocumentViewSet, Step
from erp_core.models import User
from wms import selectors
from wms.api import serializers as s
from wms.models import MoveTask
from wms.services import counts, inbound, internal
from wms.services.layout import layout_delete, layout_save

MODULE = "wms.access_wms"
DOCUMENT_METHODS: tuple[str, ...] = ("get", "post", "head", "options")


class _LayoutViewSet(viewsets.ModelViewSet):
    """Zones, bins and lots: staff of the WMS module with the model permissions; writes through
    ``layout_save`` / ``layout_delete``."""

    permission_classes = (IsAuthenticated, *RESOURCE_PERMISSIONS)
    module_permission = MODULE
    partner_actions: tuple[str, ...] = ()
    http_method_names = ("get", "post", "patch", "delete", "head", "options")

    def _model(self) -> type[Model]:
        return cast(type[Model], self.get_queryset().model)

    def perform_create(self, serializer: BaseSerializer) -> None:
        """Create through the service."""
        serializer.instance = layout_save(model=self._model(), data=dict(serializer.validated_data))

    def perform_update(self, serializer: BaseSerializer) -> None:
        """Change through the service."""
        serializer.instance = layout_save(
            model=self._model(), data=dict(serializer.validated_data), instance=serializer.instance
        )

    def perform_destroy(self, instance) -> None:
        """Delete through the service (409 while in use)."""
        layout_delete(instance=instance)


class ZoneViewSet(_LayoutViewSet):
    """Zones of the warehouses."""

    queryset = selectors.zone_list()
    serializer_class = s.ZoneSerializer
    filterset_fields = ("warehouse",)
    search_fields = ("code", "name")


class BinViewSet(_LayoutViewSet):
    """Bins in walking order."""

    queryset = selectors.bin_list()
    serializer_class = s.BinSerializer
    filterset_fields = ("warehouse", "zone", "bin_type", "is_blocked")
    search_fields = ("code", "barcode")


class LotViewSet(_LayoutViewSet):
    """Lots, earliest expiry first."""

    queryset = selectors.lot_list()
    serializer_class = s.LotSerializer
    filterset_fields = ("item", "status")
    search_fields = ("lot_number", "item__code")


class SerialNumberViewSet(viewsets.ReadOnlyModelViewSet):
    """Serial numbers and where each unit is (moved only by the stock services)."""

    permission_classes = (IsAuthenticated, *RESOURCE_PERMISSIONS)
    module_permission = MODULE
    queryset = selectors.serial_list()
    serializer_class = s.SerialNumberSerializer
    filterset_fields = ("item", "bin", "status", "lot")
    search_fields = ("serial",)


class QuantViewSet(viewsets.ReadOnlyModelViewSet):
    """Stock per bin × item × lot; ``search`` by item code, barcode, pinyin, bin or lot."""

    permission_classes = (IsAuthenticated, *RESOURCE_PERMISSIONS)
    module_permission = MODULE
    queryset = selectors.quant_list()
    serializer_class = s.QuantSerializer
    filterset_fields = ("item", "bin", "lot", "bin__warehouse")

    def get_queryset(self):
        """Quants holding stock, searched by ``?search=``."""
        return selectors.quant_list(search=self.request.query_params.get("search", "").strip())


def _user(request: Request) -> User | None:
    return request.user if isinstance(request.user, User) else None


class _NoCreate:
    """Documents the API does not create (they come from events)."""

    @extend_schema(exclude=True)
    def create(self, request: Request, *args, **kwargs) -> Response:
        raise MethodNotAllowed("POST")


class ExpectedReceiptViewSet(_NoCreate, DocumentViewSet):
    """Receipts expected from placed purchase orders; received by scan, then completed."""

    queryset = selectors.expected_receipt_detail_list()
    serializer_class = s.ExpectedReceiptSerializer
    filterset_fields = ("status", "warehouse", "purchase_order")
    search_fields = ("number",)
    module_permission = MODULE
    partner_field = None
    http_method_names = DOCUMENT_METHODS  # type: ignore[assignment]  # no PATCH: no edits
    document_argument = "receipt"
    steps = {
        "scan": Step(inbound.expected_receipt_scan, input=s.ReceiptScanInputSerializer,
                     permission="wms.receive_expectedreceipt", summary="Scan arriving goods"),
        "complete": Step(inbound.expected_receipt_complete, input=None,
                         permission="wms.receive_expectedreceipt",
                         summary="Complete: into the receiving bin, booked by the ERP"),
        "void": Step(inbound.expected_receipt_void, input=s.ReasonInputSerializer,
                     permission="wms.receive_expectedreceipt", summary="Cancel"),
    }  # fmt: skip


class TransferViewSet(DocumentViewSet):
    """Transfers between warehouses WMS runs: saved, shipped (in transit), received."""

    queryset = selectors.transfer_list()
    serializer_class = s.TransferSerializer
    write_serializer_class = s.TransferWriteSerializer
    filterset_fields = ("status", "from_warehouse", "to_warehouse")
    search_fields = ("number",)
    module_permission = MODULE
    partner_field = None
    http_method_names = DOCUMENT_METHODS  # type: ignore[assignment]  # no PATCH: no edits
    document_argument = "transfer"
    create_service = internal.transfer_create
    steps = {
        "ship": Step(internal.transfer_ship, input=None, permission="wms.change_transfer",
                     summary="Ship: into the in-transit bin"),
        "receive": Step(internal.transfer_receive, input=None, permission="wms.change_transfer",
                        summary="Receive at the destination: the ERP books the transfer"),
        "void": Step(internal.transfer_void, input=s.ReasonInputSerializer,
                     permission="wms.change_transfer", summary="Cancel"),
    }  # fmt: skip


class CountViewSet(DocumentViewSet):
    """Counts: started (snapshot), counted by scan, submitted, approved (the ERP posts it)."""

    queryset = selectors.count_detail_list()
    serializer_class = s.CountSerializer
    write_serializer_class = s.CountWriteSerializer
    filterset_fields = ("status", "warehouse")
    search_fields = ("number",)
    module_permission = MODULE
    partner_field = None
    http_method_names = DOCUMENT_METHODS  # type: ignore[assignment]  # no PATCH: no edits
    document_argument = "count"
    create_service = counts.count_start
    steps = {
        "record": Step(counts.count_record, input=s.CountRecordInputSerializer,
                       permission="wms.change_count", summary="Record what a bin holds"),
        "record_serials": Step(counts.count_record_serials,
                               input=s.CountRecordSerialsInputSerializer,
                               permission="wms.change_count",
                               summary="Record a batch of serial scans in a bin, all or none"),
        "submit": Step(counts.count_submit, input=None, permission="wms.change_count",
                       summary="Submit for review: variances worked out"),
        "recount": Step(counts.count_recount, input=None, permission="wms.change_count",
                        summary="Send back to counting"),
        "approve": Step(counts.count_approve, input=None, permission="wms.approve_count",
                        summary="Approve the variances: quants adjusted, the ERP posts them"),
        "void": Step(counts.count_void, input=s.ReasonInputSerializer,
                     permission="wms.change_count", summary="Cancel"),
    }  # fmt: skip


class MoveTaskViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Putaway, replenishment, staging and move tasks; confirmed by scanning the bin."""

    permission_classes = STEP_PERMISSIONS
    module_permission = MODULE
    partner_actions: tuple[str, ...] = ()
    step_actions = ("confirm", "cancel")
    action_permissions = {"confirm": "wms.change_movetask", "cancel": "wms.change_movetask"}
    queryset = selectors.move_task_list()
    serializer_class = s.MoveTaskSerializer
    filterset_fields = ("status", "kind", "warehouse", "item")

    def get_serializer_class(self):
        if self.action == "confirm":
            return s.MoveTaskConfirmInputSerializer
        return s.MoveTaskSerializer

    def _answer(self, task: MoveTask) -> Response:
        return Response(s.MoveTaskSerializer(selectors.move_task_list().get(pk=task.pk)).data)

    @extend_schema(request=s.MoveTaskConfirmInputSerializer, responses={200: s.MoveTaskSerializer})
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: str | None = None) -> Response:
        """Confirm the task by scanning the bin the goods went into."""
        serializer = s.MoveTaskConfirmInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        task = self.get_object()
        with transaction.atomic():
            task = internal.move_task_confirm(task=task, actor=_user(request),
                                              **serializer.validated_data)  # fmt: skip
        return self._answer(task)

    @extend_schema(request=None, responses={200: s.MoveTaskSerializer})
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        """Cancel the task; the goods stay where they are."""
        task = internal.move_task_cancel(task=self.get_object(), actor=_user(request))
        return self._answer(task)
