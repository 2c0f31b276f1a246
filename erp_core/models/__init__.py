"""The ``erp_core`` app's models: the product-wide ones (users, module access, idempotency
records) and, so that Django finds them under this app, the master data of
``erp_core.masterdata.models``. Either import path works; new code imports master data from
``erp_core.masterdata.models``."""

from erp_core.masterdata.models import (
    BASE_CURRENCY_CODE,
    BillOfMaterials,
    BomLine,
    Currency,
    ExchangeRate,
    Item,
    ItemCategory,
    Partner,
    PartnerAddress,
    PartnerContact,
    Routing,
    RoutingOperation,
    TaxCode,
    UnitConversion,
    UnitOfMeasure,
    Warehouse,
    WorkCenter,
)
from erp_core.models.core import (
    IDEMPOTENCY_TTL,
    ApiTokenName,
    IdempotencyRecord,
    ModuleAccess,
    User,
)

__all__ = [
    "BASE_CURRENCY_CODE",
    "IDEMPOTENCY_TTL",
    "ApiTokenName",
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
