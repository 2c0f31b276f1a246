"""The permissions of purchasing that each staff role holds (merged into erp_core.roles)."""

ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {}
