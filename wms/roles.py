"""Who may open WMS (registered by its app, so the right goes when WMS is switched off)."""

ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    "Warehouse": ("wms.access_wms",),
    "Admin": ("wms.access_wms",),
}
