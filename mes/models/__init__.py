"""MES models, split by sub-domain and re-exported here."""

from mes.models.access import ModuleAccess
from mes.models.events import COUNTER_MAX, Downtime, DowntimeReason, MachineEvent
from mes.models.genealogy import LotConsumption, LotShipment, OutputSerial, ProductionLot
from mes.models.machines import Machine, MachineCycleTime, MachineDevice
from mes.models.work import (
    OperationOverride,
    OperationReport,
    OperationRun,
    WorkOperation,
    WorkOrder,
)

__all__ = [
    "COUNTER_MAX",
    "Downtime",
    "DowntimeReason",
    "LotConsumption",
    "LotShipment",
    "Machine",
    "MachineCycleTime",
    "MachineDevice",
    "MachineEvent",
    "ModuleAccess",
    "OperationOverride",
    "OperationReport",
    "OperationRun",
    "OutputSerial",
    "ProductionLot",
    "WorkOperation",
    "WorkOrder",
]
