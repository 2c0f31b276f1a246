"""The staff roles (auth groups), and what the root of the ERP core grants them.

Kept in code so that every installation has the same roles; ``roles_sync`` brings the groups in
line after each migrate. The role names are the product's; their permissions come from the apps,
each registering its own table (``erp_core.registry.register_roles``) from its ``AppConfig``:
a module switched off takes its permissions with it.
"""

ROLE_NAMES: tuple[str, ...] = ("Sales", "Planner", "Shop floor", "Warehouse", "Finance", "Admin")

# The root's own: the ERP, finance and integration cards, and the event log behind the last.
# The warehouse opens the ERP too: its stock, items and warehouses, and (WMS on or off) the
# deliveries it ships and the receipts it books are ERP pages.
ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    "Sales": ("erp_core.access_erp",),
    "Planner": ("erp_core.access_erp",),
    "Warehouse": ("erp_core.access_erp",),
    "Finance": ("erp_core.access_erp", "erp_core.access_finance"),
    "Admin": (
        "erp_core.access_erp",
        "erp_core.access_finance",
        "erp_core.access_integration",
        "integration.replay_event",
        "integration.view_event",
        "integration.view_delivery",
    ),
}
