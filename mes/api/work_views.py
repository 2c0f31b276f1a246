"""Viewsets of work orders, operations (with their steps as ``POST …/{id}/<verb>/``) and lots
(with their genealogy)."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from erp_core.api.permissions import STEP_PERMISSIONS
from erp_core.models import User
from mes import selectors_work as selectors
from mes.api import work_serializers as s
from mes.models import WorkOperation
from mes.services import operations as ops
from mes.services.work_orders import work_order_stage

MODULE = "mes.access_mes"
RUN = "mes.run_workoperation"


def _user(request: Request) -> User | None:
    return request.user if request.user.is_authenticated else None


class WorkOrderViewSet(viewsets.ReadOnlyModelViewSet):
    """Work orders of the released production orders MES runs, with their operations; staging
    of their material confirmed as ``POST …/{id}/stage/``."""

    permission_classes = STEP_PERMISSIONS
    module_permission = MODULE
    partner_actions: tuple[str, ...] = ()
    step_actions = ("stage",)
    action_permissions = {"stage": RUN}
    queryset = selectors.work_order_list().prefetch_related("operations")
    serializer_class = s.WorkOrderSerializer
    filterset_fields = ("status", "item", "production_order")
    search_fields = ("production_order__number", "item__code")

    @extend_schema(request=None, responses={200: s.WorkOrderSerializer})
    @action(detail=True, methods=["post"])
    def stage(self, request: Request, pk: str | None = None) -> Response:
        """Confirm the work order's material is staged at the line."""
        work_order = work_order_stage(work_order=self.get_object(), actor=_user(request))
        answer = selectors.work_order_list().prefetch_related("operations").get(pk=work_order.pk)
        return Response(s.WorkOrderSerializer(answer).data)


class WorkOperationViewSet(viewsets.ReadOnlyModelViewSet):
    """Operations, queued on machines; the terminal's steps as ``POST …/{id}/<verb>/``."""

    permission_classes = STEP_PERMISSIONS
    module_permission = MODULE
    partner_actions: tuple[str, ...] = ()
    step_actions = ("start", "pause", "resume", "finish", "report", "consume")
    action_permissions = dict.fromkeys(step_actions, RUN)
    queryset = selectors.operation_list()
    serializer_class = s.WorkOperationSerializer
    filterset_fields = ("status", "machine", "work_order", "work_center")

    def get_serializer_class(self):
        return {
            "start": s.OperationStartInputSerializer,
            "report": s.OperationReportInputSerializer,
            "consume": s.OperationConsumeInputSerializer,
        }.get(self.action, s.WorkOperationSerializer)

    def _answer(self, operation: WorkOperation) -> Response:
        return Response(s.WorkOperationSerializer(selectors.operation_get(pk=operation.pk)).data)

    def _input(self, request: Request, serializer_class) -> dict:
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    @extend_schema(
        request=s.OperationStartInputSerializer, responses={200: s.WorkOperationSerializer}
    )
    @action(detail=True, methods=["post"])
    def start(self, request: Request, pk: str | None = None) -> Response:
        """Start the operation (a supervisor's ``override_reason`` starts it against the
        predecessor or material rule, logged)."""
        data = self._input(request, s.OperationStartInputSerializer)
        operation = ops.operation_start(operation=self.get_object(), actor=_user(request), **data)
        return self._answer(operation)

    @extend_schema(request=None, responses={200: s.WorkOperationSerializer})
    @action(detail=True, methods=["post"])
    def pause(self, request: Request, pk: str | None = None) -> Response:
        """Pause the running operation; its run's hours are booked."""
        return self._answer(ops.operation_pause(operation=self.get_object(), actor=_user(request)))

    @extend_schema(request=None, responses={200: s.WorkOperationSerializer})
    @action(detail=True, methods=["post"])
    def resume(self, request: Request, pk: str | None = None) -> Response:
        """Resume the paused operation on its machine."""
        return self._answer(ops.operation_resume(operation=self.get_object(), actor=_user(request)))

    @extend_schema(request=None, responses={200: s.WorkOperationSerializer})
    @action(detail=True, methods=["post"])
    def finish(self, request: Request, pk: str | None = None) -> Response:
        """Finish the operation."""
        return self._answer(ops.operation_finish(operation=self.get_object(), actor=_user(request)))

    @extend_schema(
        request=s.OperationReportInputSerializer, responses={200: s.WorkOperationSerializer}
    )
    @action(detail=True, methods=["post"])
    def report(self, request: Request, pk: str | None = None) -> Response:
        """Report good and scrap quantities (scrap with its reason)."""
        data = self._input(request, s.OperationReportInputSerializer)
        operation = self.get_object()
        ops.operation_report(operation=operation, actor=_user(request), **data)
        return self._answer(operation)

    @extend_schema(
        request=s.OperationConsumeInputSerializer, responses={200: s.WorkOperationSerializer}
    )
    @action(detail=True, methods=["post"])
    def consume(self, request: Request, pk: str | None = None) -> Response:
        """Consume a material lot scanned at the line."""
        data = self._input(request, s.OperationConsumeInputSerializer)
        operation = self.get_object()
        ops.operation_consume(operation=operation, actor=_user(request), **data)
        return self._answer(operation)


class ProductionLotViewSet(viewsets.ReadOnlyModelViewSet):
    """Lots the shop floor knows; ``GET …/{id}/genealogy/?direction=backward|forward``."""

    permission_classes = STEP_PERMISSIONS
    module_permission = MODULE
    partner_actions: tuple[str, ...] = ()
    queryset = selectors.lot_list()
    serializer_class = s.ProductionLotSerializer
    filterset_fields = ("item", "work_order")
    search_fields = ("number", "item__code")

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "direction", str, enum=[value for value, _label in s.GENEALOGY_DIRECTIONS]
            )
        ],
        responses={200: s.GenealogySerializer},
    )
    @action(detail=True, methods=["get"])
    def genealogy(self, request: Request, pk: str | None = None) -> Response:
        """Backward: the lots consumed to make this lot, and theirs (default). Forward: the
        lots made from it, theirs, and the customers they shipped to."""
        lot = self.get_object()
        direction = request.query_params.get("direction", "backward")
        if direction not in dict(s.GENEALOGY_DIRECTIONS):
            raise ValidationError({"direction": [_("Choose backward or forward.")]})
        if direction == "forward":
            tree = selectors.lot_forward(lot=lot)
            customers = [
                {"id": c.pk, "code": c.code, "name": c.name} for c in selectors.lot_customers(tree)
            ]
            return Response(
                {"direction": direction, "tree": s.lot_node_data(tree), "customers": customers}
            )
        tree = selectors.lot_backward(lot=lot)
        return Response({"direction": direction, "tree": s.lot_node_data(tree), "customers": []})
