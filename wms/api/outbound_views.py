"""Viewsets of the WMS API under /api/v1/wms/: outbound orders, pick lists, packages and
shipments, with the outbound steps as POST verbs.

Every state change goes through ``wms.services.outbound``; a refusal is a 4xx with the
service's message. Staff only: partner users see nothing of the warehouse.
"""

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from erp_core.api.permissions import (
    HasActionPermission,
    HasModulePermission,
    StepModelPermissions,
)
from erp_core.models import User
from wms import selectors_outbound as selectors
from wms.api.outbound_serializers import (
    OutboundOrderSerializer,
    PackageCreateSerializer,
    PackageSerializer,
    PickInputSerializer,
    PickListCreateSerializer,
    PickListSerializer,
    PickTaskSerializer,
    ShipmentCreateSerializer,
    ShipmentSerializer,
    ShortPickInputSerializer,
)
from wms.models import OutboundOrder, Package, PickList, Shipment
from wms.services import outbound as services

WMS = "wms.access_wms"


def _user(request: Request) -> User | None:
    """The signed-in staff user who acts."""
    return request.user if isinstance(request.user, User) else None


PICK = "wms.pick_outboundorder"
PERMISSIONS = (IsAuthenticated, HasModulePermission, StepModelPermissions, HasActionPermission)


class _OutboundViewSet(viewsets.GenericViewSet):
    """What the outbound viewsets share: WMS staff, the pick permission for every write."""

    permission_classes = PERMISSIONS
    module_permission = WMS
    partner_actions: tuple[str, ...] = ()
    http_method_names = ("get", "post", "head", "options")

    # Creating is a step too (packing, gathering a wave): the pick permission, not "add".
    action_permissions: dict[str, str] = {}


@extend_schema_view(
    list=extend_schema(summary="List outbound orders"),
    retrieve=extend_schema(summary="Get an outbound order with its lines"),
)
class OutboundOrderViewSet(_OutboundViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Outbound orders, made from confirmed sales orders of warehouses WMS runs."""

    serializer_class = OutboundOrderSerializer
    queryset = OutboundOrder.objects.all()
    filterset_fields = ("status", "warehouse", "customer", "sales_order")
    search_fields = ("number", "sales_order__number")
    ordering = ("-date", "-id")
    action_permissions = {"allocate": PICK, "release": PICK}

    def get_queryset(self) -> QuerySet[OutboundOrder]:
        """Orders with their lines."""
        return selectors.outbound_order_list().order_by("-date", "-id")

    @extend_schema(summary="Allocate what the order still needs (FEFO)", request=None)
    @action(detail=True, methods=["post"])
    def allocate(self, request: Request, pk=None) -> Response:
        """Reserve stock for the order's back-ordered quantities, earliest expiry first."""
        services.outbound_order_allocate(order=self.get_object(), actor=_user(request))
        return Response(OutboundOrderSerializer(self.get_queryset().get(pk=pk)).data)

    @extend_schema(summary="Release what is allocated and not picked", request=None)
    @action(detail=True, methods=["post"])
    def release(self, request: Request, pk=None) -> Response:
        """Give the order's unpicked allocations back to their bins."""
        services.outbound_order_release(order=self.get_object(), actor=_user(request))
        return Response(OutboundOrderSerializer(self.get_queryset().get(pk=pk)).data)


@extend_schema_view(
    list=extend_schema(summary="List pick lists"),
    retrieve=extend_schema(summary="Get a pick list with its picks in walking order"),
    create=extend_schema(
        summary="Make a pick list (a wave) of outbound orders",
        request=PickListCreateSerializer,
        responses={201: PickListSerializer},
    ),
)
class PickListViewSet(
    _OutboundViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin
):
    """Pick lists: waves of outbound orders, picked by scan."""

    serializer_class = PickListSerializer
    queryset = PickList.objects.all()
    filterset_fields = ("status", "warehouse")
    search_fields = ("number",)
    action_permissions = {
        "create": PICK,
        "allocate": PICK,
        "release": PICK,
        "pick": PICK,
        "short": PICK,
    }

    def get_queryset(self) -> QuerySet[PickList]:
        """Lists with their orders and tasks."""
        return selectors.pick_list_list().order_by("-date", "-id")

    def get_serializer_class(self):
        """The input of each verb; the read serializer otherwise."""
        return {
            "create": PickListCreateSerializer,
            "pick": PickInputSerializer,
            "short": ShortPickInputSerializer,
        }.get(self.action, PickListSerializer)

    def _answer(self, pk, code=status.HTTP_200_OK) -> Response:
        return Response(PickListSerializer(self.get_queryset().get(pk=pk)).data, status=code)

    def create(self, request: Request, *args, **kwargs) -> Response:
        """Allocate the orders and gather their picks on one list."""
        data = self._valid(request)
        pick_list = services.pick_list_create(orders=data["orders"], actor=_user(request))
        return self._answer(pick_list.pk, status.HTTP_201_CREATED)

    def _valid(self, request: Request) -> dict:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    @extend_schema(summary="Allocate the orders' back-orders onto the list", request=None)
    @action(detail=True, methods=["post"])
    def allocate(self, request: Request, pk=None) -> Response:
        """Allocate again what the list's orders still miss."""
        services.pick_list_allocate(pick_list=self.get_object(), actor=_user(request))
        return self._answer(pk)

    @extend_schema(summary="Stop the list: release what is not picked", request=None)
    @action(detail=True, methods=["post"])
    def release(self, request: Request, pk=None) -> Response:
        """Give the unpicked tasks back to their bins and finish the list."""
        services.pick_list_release(pick_list=self.get_object(), actor=_user(request))
        return self._answer(pk)

    @extend_schema(
        summary="Pick by scan",
        request=PickInputSerializer,
        responses={200: PickTaskSerializer, 400: OpenApiResponse(description="A bad scan")},
    )
    @action(detail=True, methods=["post"])
    def pick(self, request: Request, pk=None) -> Response:
        """Move what was scanned, reserved, into the shipping bin."""
        data = self._valid(request)
        task = services.pick_list_pick(
            pick_list=self.get_object(),
            bin_barcode=data["bin"],
            item_code=data["item"],
            lot_number=data["lot"],
            serial=data["serial"],
            quantity=data["quantity"],
            task_id=data["task"],
            actor=_user(request),
        )
        return Response(PickTaskSerializer(task).data)

    @extend_schema(
        summary="Report a short pick",
        request=ShortPickInputSerializer,
        responses={200: PickListSerializer},
    )
    @action(detail=True, methods=["post"])
    def short(self, request: Request, pk=None) -> Response:
        """Pick what was found, allocate the rest elsewhere or back-order it."""
        data = self._valid(request)
        services.pick_list_short(
            pick_list=self.get_object(),
            task_id=data["task"],
            found_quantity=data["found_quantity"],
            actor=_user(request),
        )
        return self._answer(pk)


@extend_schema_view(
    list=extend_schema(summary="List packages"),
    retrieve=extend_schema(summary="Get a package with its contents"),
    create=extend_schema(
        summary="Pack picked goods of an outbound order",
        request=PackageCreateSerializer,
        responses={201: PackageSerializer},
    ),
)
class PackageViewSet(
    _OutboundViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin
):
    """Packages of picked goods, with their weight."""

    serializer_class = PackageSerializer
    queryset = Package.objects.all()
    filterset_fields = ("order", "shipment")
    search_fields = ("code",)
    action_permissions = {"create": PICK}

    def get_queryset(self) -> QuerySet[Package]:
        """Packages with their contents."""
        return selectors.package_list().order_by("-id")

    def get_serializer_class(self):
        """The input when packing; the read serializer otherwise."""
        return PackageCreateSerializer if self.action == "create" else PackageSerializer

    def create(self, request: Request, *args, **kwargs) -> Response:
        """Pack everything picked and not packed, or the contents given."""
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        package = services.package_create(
            order=data["order"],
            weight=data["weight"],
            contents=data.get("contents"),
            actor=_user(request),
        )
        read = self.get_queryset().get(pk=package.pk)
        return Response(PackageSerializer(read).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="List shipments"),
    retrieve=extend_schema(summary="Get a shipment"),
    create=extend_schema(
        summary="Gather packages of an outbound order into a shipment",
        request=ShipmentCreateSerializer,
        responses={201: ShipmentSerializer},
    ),
)
class ShipmentViewSet(
    _OutboundViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin
):
    """Shipments: packages leaving for a customer; dispatching one books the ERP delivery."""

    serializer_class = ShipmentSerializer
    queryset = Shipment.objects.all()
    filterset_fields = ("status", "order", "warehouse")
    search_fields = ("number", "tracking_number")
    action_permissions = {"create": PICK, "dispatch_shipment": PICK}

    def get_queryset(self) -> QuerySet[Shipment]:
        """Shipments with their packages."""
        return selectors.shipment_list().order_by("-date", "-id")

    def get_serializer_class(self):
        """The input when gathering; the read serializer otherwise."""
        return ShipmentCreateSerializer if self.action == "create" else ShipmentSerializer

    def create(self, request: Request, *args, **kwargs) -> Response:
        """Gather the packages (all the order has not shipped, when none are named)."""
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        shipment = services.shipment_create(
            order=data["order"],
            packages=data.get("packages"),
            carrier=data["carrier"],
            tracking_number=data["tracking_number"],
            actor=_user(request),
        )
        read = self.get_queryset().get(pk=shipment.pk)
        return Response(ShipmentSerializer(read).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Dispatch the shipment", request=None)
    @action(detail=True, methods=["post"], url_path="dispatch")
    def dispatch_shipment(self, request: Request, pk=None) -> Response:
        """The goods leave: out of the shipping bin, and the ERP books the delivery."""
        services.shipment_dispatch(shipment=self.get_object(), actor=_user(request))
        return Response(ShipmentSerializer(self.get_queryset().get(pk=pk)).data)
