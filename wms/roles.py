"""Who may open WMS (registered by its app, so the right goes when WMS is switched off)."""

# Outbound: reading orders, pick lists, packages and shipments, and picking, packing, shipping.
OUTBOUND = (
    "wms.pick_outboundorder",
    "wms.view_outboundorder",
    "wms.view_package",
    "wms.view_picklist",
    "wms.view_shipment",
)

ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    "Warehouse": ("wms.access_wms", *OUTBOUND),
    "Admin": ("wms.access_wms", *OUTBOUND),
}
