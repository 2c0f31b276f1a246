"""MES models, split by sub-domain and re-exported here."""

from mes.models.access import ModuleAccess
from mes.models.genealogy import LotConsumption, LotShipment, ProductionLot
from mes.models.machines import Machine
from mes.models.work import (
    OperationOverride,
    OperationReport,
    OperationRun,
    WorkOperation,
    WorkOrder,
)

__all__ = [
    "LotConsumption",
    "LotShipment",
    "Machine",
    "ModuleAccess",
    "OperationOverride",
    "OperationReport",
    "OperationRun",
    "ProductionLot",
    "WorkOperation",
    "WorkOrder",
]
