"""Viewsets of the ERP core API: one ``ModelViewSet`` per resource, rows restricted per caller.

``PartnerViewSet`` is the model for every later resource: explicit queryset, serializers and
filterset; ``get_queryset()`` through a selector that knows partner users; permissions from
``erp_core.api.permissions``; writes through services; ``Idempotency-Key`` on create.
"""

from typing import cast

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from common.serializers import partner_serializer
from erp_core.api.idempotency import IdempotentCreateMixin
from erp_core.api.permissions import RESOURCE_PERMISSIONS, is_partner_user
from erp_core.masterdata import selectors, services
from erp_core.masterdata.api.filters import (
    BillOfMaterialsFilterSet,
    CurrencyFilterSet,
    ExchangeRateFilterSet,
    ItemCategoryFilterSet,
    ItemFilterSet,
    PartnerFilterSet,
    RoutingFilterSet,
    TaxCodeFilterSet,
    UnitConversionFilterSet,
    UnitOfMeasureFilterSet,
    WarehouseFilterSet,
    WorkCenterFilterSet,
)
from erp_core.masterdata.api.serializers import (
    BillOfMaterialsSerializer,
    BillOfMaterialsUpdateSerializer,
    BillOfMaterialsWriteSerializer,
    BomExplodeQuerySerializer,
    BomExplosionSerializer,
    CurrencySerializer,
    CurrencyWriteSerializer,
    ExchangeRateSerializer,
    ExchangeRateWriteSerializer,
    ItemCategorySerializer,
    ItemCategoryWriteSerializer,
    ItemSerializer,
    ItemWriteSerializer,
    PartnerSerializer,
    PartnerWriteSerializer,
    RoutingSerializer,
    RoutingUpdateSerializer,
    RoutingWriteSerializer,
    TaxCodeSerializer,
    TaxCodeWriteSerializer,
    UnitConversionSerializer,
    UnitConversionWriteSerializer,
    UnitOfMeasureSerializer,
    UnitOfMeasureWriteSerializer,
    WarehouseSerializer,
    WarehouseWriteSerializer,
    WhereUsedQuerySerializer,
    WhereUsedSerializer,
    WorkCenterSerializer,
    WorkCenterWriteSerializer,
)
from erp_core.masterdata.selectors import partner_list
from erp_core.masterdata.services import partner_create, partner_delete, partner_update
from erp_core.models import (
    BillOfMaterials,
    Currency,
    ExchangeRate,
    Item,
    ItemCategory,
    Partner,
    Routing,
    TaxCode,
    UnitConversion,
    UnitOfMeasure,
    Warehouse,
    WorkCenter,
)

_WRITE_ACTIONS = ("create", "update", "partial_update")


@extend_schema_view(
    list=extend_schema(summary="List partners"),
    retrieve=extend_schema(summary="Get a partner"),
    create=extend_schema(
        summary="Create a partner",
        description=(
            "Send an `Idempotency-Key` header to make retries safe: the same key and body "
            "within 24 hours return the first answer instead of creating a second partner."
        ),
        request=PartnerWriteSerializer,
        responses={201: PartnerSerializer},
    ),
    update=extend_schema(
        summary="Replace a partner's fields",
        request=PartnerWriteSerializer,
        responses={200: PartnerSerializer},
    ),
    partial_update=extend_schema(
        summary="Change some of a partner's fields",
        request=PartnerWriteSerializer,
        responses={200: PartnerSerializer},
    ),
    destroy=extend_schema(
        summary="Delete a partner", description="Refused with 409 while users belong to it."
    ),
)
class PartnerViewSet(IdempotentCreateMixin, viewsets.ModelViewSet):
    """Customers and suppliers. A partner user sees only its own partner, read-only."""

    queryset = Partner.objects.all()
    serializer_class = PartnerSerializer
    filterset_class = PartnerFilterSet
    search_fields = ("code", "name", "tax_id")
    ordering_fields = ("code", "name", "kind", "created_at", "updated_at")
    ordering = ("code",)
    permission_classes = (IsAuthenticated, *RESOURCE_PERMISSIONS)
    module_permission = "erp_core.access_erp"
    partner_actions = ("list", "retrieve")

    def get_queryset(self) -> QuerySet[Partner]:
        """The partners the caller may see: all for staff, its own for a partner user."""
        return partner_list(user=self.request.user, with_contacts=True)

    def get_serializer_class(self) -> type[BaseSerializer]:
        """The input serializer for writes, the read serializer otherwise."""
        if self.action in _WRITE_ACTIONS:
            return PartnerWriteSerializer
        if is_partner_user(self.request.user):
            return partner_serializer(PartnerSerializer)
        return PartnerSerializer

    def perform_create(self, serializer: BaseSerializer) -> None:
        """Create through the service; the serializer only validated the input."""
        serializer.instance = partner_create(**serializer.validated_data)

    def perform_update(self, serializer: BaseSerializer) -> None:
        """Change through the service; the serializer only validated the input."""
        serializer.instance = partner_update(
            partner=cast(Partner, serializer.instance), **serializer.validated_data
        )

    def perform_destroy(self, instance: Partner) -> None:
        """Delete a partner nobody signs in for; one with users is refused (409)."""
        partner_delete(partner=instance)


# --- Master data -------------------------------------------------------------------------------


def _crud_schema(singular: str, plural: str, read: type, write: type, update: type | None = None):
    """The OpenAPI description of a master data resource: write bodies in, read shapes out."""
    update = update or write
    return extend_schema_view(
        list=extend_schema(summary=f"List {plural}"),
        retrieve=extend_schema(summary=f"Get a {singular}"),
        create=extend_schema(
            summary=f"Create a {singular}",
            description=(
                "Send an `Idempotency-Key` header to make retries safe: the same key and body "
                "within 24 hours return the first answer instead of creating a second one."
            ),
            request=write,
            responses={201: read},
        ),
        update=extend_schema(
            summary=f"Replace a {singular}'s fields", request=update, responses={200: read}
        ),
        partial_update=extend_schema(
            summary=f"Change some of a {singular}'s fields", request=update, responses={200: read}
        ),
        destroy=extend_schema(
            summary=f"Delete a {singular}",
            description="Refused with 409 while other records refer to it.",
        ),
    )


class MasterDataViewSet(IdempotentCreateMixin, viewsets.ModelViewSet):
    """Base of the master data resources: staff with the ERP module and model permissions only
    (partner users see no master data), writes through the services named by each subclass.
    """

    permission_classes = (IsAuthenticated, *RESOURCE_PERMISSIONS)
    module_permission = "erp_core.access_erp"
    partner_actions: tuple[str, ...] = ()
    write_serializer_class: type[BaseSerializer]
    update_serializer_class: type[BaseSerializer] | None = None

    def get_serializer_class(self) -> type[BaseSerializer]:
        """The input serializer for writes, the read serializer otherwise."""
        if self.action in ("update", "partial_update") and self.update_serializer_class:
            return self.update_serializer_class
        if self.action in _WRITE_ACTIONS:
            return self.write_serializer_class
        return cast(type[BaseSerializer], self.serializer_class)

    def perform_create(self, serializer: BaseSerializer) -> None:
        """Create through the service; the serializer only validated the input."""
        serializer.instance = self.create_object(dict(serializer.validated_data))

    def perform_update(self, serializer: BaseSerializer) -> None:
        """Change through the service; the serializer only validated the input."""
        serializer.instance = self.update_object(
            serializer.instance, dict(serializer.validated_data)
        )

    def perform_destroy(self, instance) -> None:
        """Delete through the service; a row still referenced is refused (409)."""
        self.delete_object(instance)

    def create_object(self, data: dict):
        """Call the entity's create service."""
        raise NotImplementedError

    def update_object(self, instance, data: dict):
        """Call the entity's update service."""
        raise NotImplementedError

    def delete_object(self, instance) -> None:
        """Call the entity's delete service."""
        raise NotImplementedError


@_crud_schema(
    "unit of measure", "units of measure", UnitOfMeasureSerializer, UnitOfMeasureWriteSerializer
)
class UnitOfMeasureViewSet(MasterDataViewSet):
    """Units of measure (PCS, KG, M, BOX…)."""

    queryset = UnitOfMeasure.objects.all()
    serializer_class = UnitOfMeasureSerializer
    write_serializer_class = UnitOfMeasureWriteSerializer
    filterset_class = UnitOfMeasureFilterSet
    search_fields = ("code", "name")
    ordering_fields = ("code", "name", "category")
    ordering = ("code",)

    def get_queryset(self) -> QuerySet[UnitOfMeasure]:
        """All units."""
        return selectors.unit_list()

    def create_object(self, data: dict) -> UnitOfMeasure:
        """``unit_create``."""
        return services.unit_create(**data)

    def update_object(self, instance: UnitOfMeasure, data: dict) -> UnitOfMeasure:
        """``unit_update``."""
        return services.unit_update(unit=instance, **data)

    def delete_object(self, instance: UnitOfMeasure) -> None:
        """``unit_delete``."""
        services.unit_delete(unit=instance)


@_crud_schema(
    "unit conversion", "unit conversions", UnitConversionSerializer, UnitConversionWriteSerializer
)
class UnitConversionViewSet(MasterDataViewSet):
    """Unit conversions, general or for one item."""

    queryset = UnitConversion.objects.all()
    serializer_class = UnitConversionSerializer
    write_serializer_class = UnitConversionWriteSerializer
    filterset_class = UnitConversionFilterSet
    search_fields = ("from_unit__code", "to_unit__code", "item__code")
    ordering_fields = ("id",)
    ordering = ("from_unit__code", "to_unit__code", "id")

    def get_queryset(self) -> QuerySet[UnitConversion]:
        """All conversions with their units and item."""
        return selectors.unit_conversion_list()

    def create_object(self, data: dict) -> UnitConversion:
        """``unit_conversion_create``."""
        return services.unit_conversion_create(**data)

    def update_object(self, instance: UnitConversion, data: dict) -> UnitConversion:
        """``unit_conversion_update``."""
        return services.unit_conversion_update(conversion=instance, **data)

    def delete_object(self, instance: UnitConversion) -> None:
        """``unit_conversion_delete``."""
        services.unit_conversion_delete(conversion=instance)


@_crud_schema(
    "item category", "item categories", ItemCategorySerializer, ItemCategoryWriteSerializer
)
class ItemCategoryViewSet(MasterDataViewSet):
    """The item category tree; a parent that makes a cycle is refused."""

    queryset = ItemCategory.objects.all()
    serializer_class = ItemCategorySerializer
    write_serializer_class = ItemCategoryWriteSerializer
    filterset_class = ItemCategoryFilterSet
    search_fields = ("code", "name")
    ordering_fields = ("code", "name")
    ordering = ("code",)

    def get_queryset(self) -> QuerySet[ItemCategory]:
        """All categories with their parent."""
        return selectors.item_category_list()

    def create_object(self, data: dict) -> ItemCategory:
        """``item_category_create``."""
        return services.item_category_create(**data)

    def update_object(self, instance: ItemCategory, data: dict) -> ItemCategory:
        """``item_category_update``."""
        return services.item_category_update(category=instance, **data)

    def delete_object(self, instance: ItemCategory) -> None:
        """``item_category_delete``."""
        services.item_category_delete(category=instance)


@_crud_schema("tax code", "tax codes", TaxCodeSerializer, TaxCodeWriteSerializer)
class TaxCodeViewSet(MasterDataViewSet):
    """VAT codes; rates are fractions (0.13)."""

    queryset = TaxCode.objects.all()
    serializer_class = TaxCodeSerializer
    write_serializer_class = TaxCodeWriteSerializer
    filterset_class = TaxCodeFilterSet
    search_fields = ("code", "name")
    ordering_fields = ("code", "rate")
    ordering = ("code",)

    def get_queryset(self) -> QuerySet[TaxCode]:
        """All tax codes."""
        return selectors.tax_code_list()

    def create_object(self, data: dict) -> TaxCode:
        """``tax_code_create``."""
        return services.tax_code_create(**data)

    def update_object(self, instance: TaxCode, data: dict) -> TaxCode:
        """``tax_code_update``."""
        return services.tax_code_update(tax_code=instance, **data)

    def delete_object(self, instance: TaxCode) -> None:
        """``tax_code_delete``."""
        services.tax_code_delete(tax_code=instance)


@_crud_schema("currency", "currencies", CurrencySerializer, CurrencyWriteSerializer)
class CurrencyViewSet(MasterDataViewSet):
    """Currencies by ISO code; CNY is the base."""

    queryset = Currency.objects.all()
    serializer_class = CurrencySerializer
    write_serializer_class = CurrencyWriteSerializer
    filterset_class = CurrencyFilterSet
    search_fields = ("code", "name")
    ordering_fields = ("code",)
    ordering = ("code",)

    def get_queryset(self) -> QuerySet[Currency]:
        """All currencies."""
        return selectors.currency_list()

    def create_object(self, data: dict) -> Currency:
        """``currency_create``."""
        return services.currency_create(**data)

    def update_object(self, instance: Currency, data: dict) -> Currency:
        """``currency_update``."""
        return services.currency_update(currency=instance, **data)

    def delete_object(self, instance: Currency) -> None:
        """``currency_delete``."""
        services.currency_delete(currency=instance)


@_crud_schema(
    "exchange rate", "exchange rates", ExchangeRateSerializer, ExchangeRateWriteSerializer
)
class ExchangeRateViewSet(MasterDataViewSet):
    """Exchange rates to CNY, one per currency and day."""

    queryset = ExchangeRate.objects.all()
    serializer_class = ExchangeRateSerializer
    write_serializer_class = ExchangeRateWriteSerializer
    filterset_class = ExchangeRateFilterSet
    search_fields = ("currency__code",)
    ordering_fields = ("date", "rate")
    ordering = ("currency__code", "-date")

    def get_queryset(self) -> QuerySet[ExchangeRate]:
        """All rates with their currency."""
        return selectors.exchange_rate_list()

    def create_object(self, data: dict) -> ExchangeRate:
        """``exchange_rate_create``."""
        return services.exchange_rate_create(**data)

    def update_object(self, instance: ExchangeRate, data: dict) -> ExchangeRate:
        """``exchange_rate_update``."""
        return services.exchange_rate_update(exchange_rate=instance, **data)

    def delete_object(self, instance: ExchangeRate) -> None:
        """``exchange_rate_delete``."""
        services.exchange_rate_delete(exchange_rate=instance)


@_crud_schema("item", "items", ItemSerializer, ItemWriteSerializer)
class ItemViewSet(MasterDataViewSet):
    """Items; ``search`` also matches barcodes and pinyin initials (GBL finds 钢板料)."""

    queryset = Item.objects.all()
    serializer_class = ItemSerializer
    write_serializer_class = ItemWriteSerializer
    filterset_class = ItemFilterSet
    search_fields = ("code", "name", "barcode", "pinyin_initials", "specification")
    ordering_fields = ("code", "name", "item_type", "created_at", "updated_at")
    ordering = ("code",)

    def get_queryset(self) -> QuerySet[Item]:
        """All items with unit, category and VAT."""
        return selectors.item_list()

    def create_object(self, data: dict) -> Item:
        """``item_create``."""
        return services.item_create(**data)

    def update_object(self, instance: Item, data: dict) -> Item:
        """``item_update``."""
        return services.item_update(item=instance, **data)

    def delete_object(self, instance: Item) -> None:
        """``item_delete``."""
        services.item_delete(item=instance)

    @extend_schema(
        summary="Where an item is used",
        description=(
            "Every assembly that uses the item in an active BOM, directly (level 1) or through "
            "other assemblies, up to the finished goods. `date` limits to versions valid that day."
        ),
        parameters=[OpenApiParameter("date", OpenApiTypes.DATE, required=False)],
        responses={200: WhereUsedSerializer(many=True)},
    )
    @action(detail=True, methods=["get"], url_path="where-used", filter_backends=[])
    def where_used(self, request: Request, pk: str | None = None) -> Response:
        """The parents of the item, up the tree."""
        item = self.get_object()
        query = WhereUsedQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        rows = selectors.item_where_used(item=item, on_date=query.validated_data.get("date"))
        return Response(WhereUsedSerializer(rows, many=True).data)


@_crud_schema("warehouse", "warehouses", WarehouseSerializer, WarehouseWriteSerializer)
class WarehouseViewSet(MasterDataViewSet):
    """Warehouses as the ERP knows them (bins and lots are WMS's)."""

    queryset = Warehouse.objects.all()
    serializer_class = WarehouseSerializer
    write_serializer_class = WarehouseWriteSerializer
    filterset_class = WarehouseFilterSet
    search_fields = ("code", "name", "address")
    ordering_fields = ("code", "name")
    ordering = ("code",)

    def get_queryset(self) -> QuerySet[Warehouse]:
        """All warehouses."""
        return selectors.warehouse_list()

    def create_object(self, data: dict) -> Warehouse:
        """``warehouse_create``."""
        return services.warehouse_create(**data)

    def update_object(self, instance: Warehouse, data: dict) -> Warehouse:
        """``warehouse_update``."""
        return services.warehouse_update(warehouse=instance, **data)

    def delete_object(self, instance: Warehouse) -> None:
        """``warehouse_delete``."""
        services.warehouse_delete(warehouse=instance)


@_crud_schema("work center", "work centers", WorkCenterSerializer, WorkCenterWriteSerializer)
class WorkCenterViewSet(MasterDataViewSet):
    """Work centers with their shift calendar, rates and daily capacity."""

    queryset = WorkCenter.objects.all()
    serializer_class = WorkCenterSerializer
    write_serializer_class = WorkCenterWriteSerializer
    filterset_class = WorkCenterFilterSet
    search_fields = ("code", "name")
    ordering_fields = ("code", "name")
    ordering = ("code",)

    def get_queryset(self) -> QuerySet[WorkCenter]:
        """All work centers."""
        return selectors.work_center_list()

    def create_object(self, data: dict) -> WorkCenter:
        """``work_center_create``."""
        return services.work_center_create(**data)

    def update_object(self, instance: WorkCenter, data: dict) -> WorkCenter:
        """``work_center_update``."""
        return services.work_center_update(work_center=instance, **data)

    def delete_object(self, instance: WorkCenter) -> None:
        """``work_center_delete``."""
        services.work_center_delete(work_center=instance)


def _rows(items) -> list[dict]:
    """Nested input rows (validated data) as plain dicts for a service."""
    return [dict(row) for row in items]


@_crud_schema(
    "bill of materials",
    "bills of materials",
    BillOfMaterialsSerializer,
    BillOfMaterialsWriteSerializer,
    BillOfMaterialsUpdateSerializer,
)
class BillOfMaterialsViewSet(MasterDataViewSet):
    """BOM versions with their lines; a cycle at any depth is refused (400, nothing written)."""

    queryset = BillOfMaterials.objects.all()
    serializer_class = BillOfMaterialsSerializer
    write_serializer_class = BillOfMaterialsWriteSerializer
    update_serializer_class = BillOfMaterialsUpdateSerializer
    filterset_class = BillOfMaterialsFilterSet
    search_fields = ("item__code", "item__name", "version")
    ordering_fields = ("valid_from", "version", "created_at")
    ordering = ("item__code", "-valid_from", "version")

    def get_queryset(self) -> QuerySet[BillOfMaterials]:
        """All BOMs with item and lines."""
        return selectors.bom_list()

    def create_object(self, data: dict) -> BillOfMaterials:
        """``bom_create`` with its lines, in one transaction."""
        return services.bom_create(**{**data, "lines": _rows(data["lines"])})

    def update_object(self, instance: BillOfMaterials, data: dict) -> BillOfMaterials:
        """``bom_update``; lines, when sent, replace the old ones."""
        if "lines" in data:
            data["lines"] = _rows(data["lines"])
        return services.bom_update(bom=instance, **data)

    def delete_object(self, instance: BillOfMaterials) -> None:
        """``bom_delete``."""
        services.bom_delete(bom=instance)

    @extend_schema(
        summary="Explode a BOM over every level",
        description=(
            "The requirements of `quantity` units of the BOM's item on `date` (default today): "
            "this BOM, then below it the versions valid that day; scrap compounds per level; "
            "phantom lines are replaced by their own BOM; leaf requirements are summed."
        ),
        parameters=[BomExplodeQuerySerializer],
        responses={200: BomExplosionSerializer},
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def explode(self, request: Request, pk: str | None = None) -> Response:
        """The multi-level explosion of this BOM."""
        bom = self.get_object()
        query = BomExplodeQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        on_date = query.validated_data.get("date") or timezone.localdate()
        explosion = selectors.bom_explode(
            bom=bom, quantity=query.validated_data["quantity"], on_date=on_date
        )
        return Response(BomExplosionSerializer(explosion).data)


@_crud_schema(
    "routing", "routings", RoutingSerializer, RoutingWriteSerializer, RoutingUpdateSerializer
)
class RoutingViewSet(MasterDataViewSet):
    """Routing versions with their operations."""

    queryset = Routing.objects.all()
    serializer_class = RoutingSerializer
    write_serializer_class = RoutingWriteSerializer
    update_serializer_class = RoutingUpdateSerializer
    filterset_class = RoutingFilterSet
    search_fields = ("item__code", "item__name", "version")
    ordering_fields = ("valid_from", "version", "created_at")
    ordering = ("item__code", "-valid_from", "version")

    def get_queryset(self) -> QuerySet[Routing]:
        """All routings with item and operations."""
        return selectors.routing_list()

    def create_object(self, data: dict) -> Routing:
        """``routing_create`` with its operations, in one transaction."""
        return services.routing_create(**{**data, "operations": _rows(data["operations"])})

    def update_object(self, instance: Routing, data: dict) -> Routing:
        """``routing_update``; operations, when sent, replace the old ones."""
        if "operations" in data:
            data["operations"] = _rows(data["operations"])
        return services.routing_update(routing=instance, **data)

    def delete_object(self, instance: Routing) -> None:
        """``routing_delete``."""
        services.routing_delete(routing=instance)
