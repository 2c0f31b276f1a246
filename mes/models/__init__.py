"""MES models, split by sub-domain and re-exported here."""

from mes.models.access import ModuleAccess
from mes.models.events import COUNTER_MAX, Downtime, DowntimeReason, MachineEvent
from mes.models.machines import Machine, MachineCycleTime, MachineDevice

__all__ = [
    "COUNTER_MAX",
    "Downtime",
    "DowntimeReason",
    "Machine",
    "MachineCycleTime",
    "MachineDevice",
    "MachineEvent",
    "ModuleAccess",
]
