"""ERP core models, one module per sub-domain; everything is importable from ``erp_core.models``."""

from erp_core.models.bom import BillOfMaterials, BomLine, Routing, RoutingOperation
from erp_core.models.core import (
    IDEMPOTENCY_TTL,
    IdempotencyRecord,
    ModuleAccess,
    Partner,
    User,
)
from erp_core.models.masterdata import (
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

__all__ = [
    "BASE_CURRENCY_CODE",
    "IDEMPOTENCY_TTL",
    "BillOfMaterials",
    "BomLine",
    "Currency",
    "ExchangeRate",
    "IdempotencyRecord",
    "Item",
    "ItemCategory",
    "ModuleAccess",
    "Partner",
    "PartnerAddress",
    "PartnerContact",
    "Routing",
    "RoutingOperation",
    "TaxCode",
    "UnitConversion",
    "UnitOfMeasure",
    "User",
    "Warehouse",
    "WorkCenter",
]
