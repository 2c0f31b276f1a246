"""MES models, split by sub-domain and re-exported here."""

from mes.models.access import ModuleAccess
from mes.models.machines import Machine

__all__ = ["Machine", "ModuleAccess"]
