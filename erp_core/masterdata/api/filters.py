"""FilterSets of the ERP core API (query parameters of the list endpoints)."""

import django_filters

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


class PartnerFilterSet(django_filters.FilterSet):
    """Filter partners by kind, active flag and exact code."""

    class Meta:
        model = Partner
        fields = {"kind": ["exact"], "is_active": ["exact"], "code": ["exact"]}


class UnitOfMeasureFilterSet(django_filters.FilterSet):
    """Filter units by category and exact code."""

    class Meta:
        model = UnitOfMeasure
        fields = {"category": ["exact"], "code": ["exact"]}


class UnitConversionFilterSet(django_filters.FilterSet):
    """Filter conversions by unit and item (``item__isnull=true`` for the general ones)."""

    class Meta:
        model = UnitConversion
        fields = {"from_unit": ["exact"], "to_unit": ["exact"], "item": ["exact", "isnull"]}


class ItemCategoryFilterSet(django_filters.FilterSet):
    """Filter categories by parent (``parent__isnull=true`` for the roots) and exact code."""

    class Meta:
        model = ItemCategory
        fields = {"parent": ["exact", "isnull"], "code": ["exact"]}


class TaxCodeFilterSet(django_filters.FilterSet):
    """Filter tax codes by active flag and exact code."""

    class Meta:
        model = TaxCode
        fields = {"is_active": ["exact"], "code": ["exact"]}


class CurrencyFilterSet(django_filters.FilterSet):
    """Filter currencies by exact ISO code."""

    class Meta:
        model = Currency
        fields = {"code": ["exact"]}


class ExchangeRateFilterSet(django_filters.FilterSet):
    """Filter exchange rates by currency and date range."""

    class Meta:
        model = ExchangeRate
        fields = {"currency": ["exact"], "date": ["exact", "gte", "lte"]}


class ItemFilterSet(django_filters.FilterSet):
    """Filter items by type, make or buy, category, unit, tracking, active flag and exact code."""

    class Meta:
        model = Item
        fields = {
            "item_type": ["exact"],
            "make_or_buy": ["exact"],
            "category": ["exact"],
            "unit": ["exact"],
            "tracking": ["exact"],
            "is_active": ["exact"],
            "code": ["exact"],
            "barcode": ["exact"],
        }


class WarehouseFilterSet(django_filters.FilterSet):
    """Filter warehouses by active flag, negative stock and exact code."""

    class Meta:
        model = Warehouse
        fields = {"is_active": ["exact"], "allow_negative_stock": ["exact"], "code": ["exact"]}


class WorkCenterFilterSet(django_filters.FilterSet):
    """Filter work centers by active flag and exact code."""

    class Meta:
        model = WorkCenter
        fields = {"is_active": ["exact"], "code": ["exact"]}


class BillOfMaterialsFilterSet(django_filters.FilterSet):
    """Filter BOMs by item, active flag, version and validity."""

    class Meta:
        model = BillOfMaterials
        fields = {
            "item": ["exact"],
            "is_active": ["exact"],
            "version": ["exact"],
            "valid_from": ["lte", "gte"],
        }


class RoutingFilterSet(django_filters.FilterSet):
    """Filter routings by item, active flag and version."""

    class Meta:
        model = Routing
        fields = {"item": ["exact"], "is_active": ["exact"], "version": ["exact"]}
