"""ERP core models, one module per sub-domain; everything is importable from ``erp_core.models``."""

from erp_core.models.core import (
    IDEMPOTENCY_TTL,
    IdempotencyRecord,
    ModuleAccess,
    Partner,
    User,
)

__all__ = ["IDEMPOTENCY_TTL", "IdempotencyRecord", "ModuleAccess", "Partner", "User"]
