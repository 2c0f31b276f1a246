"""The staff roles (auth groups) and the permissions each holds.

Kept in code so that every installation has the same roles; ``roles_sync`` brings the groups in
line after each migrate. Later modules add their model permissions here.
"""

ROLES: dict[str, tuple[str, ...]] = {
    "Sales": (
        "erp_core.access_erp",
        "crm.access_crm",
        "erp_core.view_partner",
        "erp_core.add_partner",
        "erp_core.change_partner",
    ),
    "Planner": ("erp_core.access_erp", "mes.access_mes", "erp_core.view_partner"),
    "Shop floor": ("mes.access_mes",),
    "Warehouse": ("wms.access_wms", "erp_core.view_partner"),
    "Finance": (
        "erp_core.access_erp",
        "erp_core.access_finance",
        "erp_core.view_partner",
        "erp_core.change_partner",
    ),
    "Admin": (
        "erp_core.access_erp",
        "erp_core.access_finance",
        "erp_core.access_integration",
        "mes.access_mes",
        "wms.access_wms",
        "crm.access_crm",
        "integration.replay_event",
        "integration.view_event",
        "integration.view_delivery",
        "erp_core.view_partner",
        "erp_core.add_partner",
        "erp_core.change_partner",
        "erp_core.delete_partner",
    ),
}
