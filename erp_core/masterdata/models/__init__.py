"""Master data: partners, units, items and their categories, taxes, currencies, warehouses,
work centers, bills of materials and routings. The tables belong to the ``erp_core`` app."""

from erp_core.masterdata.models.bom import BillOfMaterials, BomLine, Routing, RoutingOperation
from erp_core.masterdata.models.items import (
    BASE_CURRENCY_CODE,
    Currency,
    ExchangeRate,
    Item,
    ItemCategory,
    PartnerAddress,
    PartnerContact,
    TaxCode,
    UnitConversion,
    UnitOfMeasure,
    Warehouse,
    WorkCenter,
)
from erp_core.masterdata.models.partners import Partner

__all__ = [
    "BASE_CURRENCY_CODE",
    "BillOfMaterials",
    "BomLine",
    "Currency",
    "ExchangeRate",
    "Item",
    "ItemCategory",
    "Partner",
    "PartnerAddress",
    "PartnerContact",
    "Routing",
    "RoutingOperation",
    "TaxCode",
    "UnitConversion",
    "UnitOfMeasure",
    "Warehouse",
    "WorkCenter",
]
