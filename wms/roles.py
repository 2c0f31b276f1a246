"""Who may open WMS (registered by its app, so the right goes when WMS is switched off)."""

# The warehouse lays out its own zones and bins.
_LAYOUT = ("wms.add_zone", "wms.change_zone", "wms.add_bin", "wms.change_bin")

ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    "Warehouse": ("wms.access_wms", *_LAYOUT),
    "Admin": ("wms.access_wms", *_LAYOUT),
}
