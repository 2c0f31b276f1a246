"""Who may open MES (registered by its app, so the right goes when MES is switched off)."""

ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    "Planner": ("mes.access_mes",),
    "Shop floor": ("mes.access_mes",),
    "Admin": ("mes.access_mes",),
}
