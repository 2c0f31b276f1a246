"""What each staff role may do with invoices and payments (merged into erp_core.roles)."""

ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {}
