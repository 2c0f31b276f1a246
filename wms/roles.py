"""Who may open WMS and do what in it (registered by its app, so the rights go when WMS is
switched off): the warehouse runs it; admins hold everything."""

_MODELS = (
    "zone", "bin", "lot", "serialnumber", "quant", "quantmove", "expectedreceipt",
    "expectedreceiptline", "receiptscan", "movetask", "transfer", "transferline", "count",
    "countline", "countplan", "replenishmentrule", "itemplacement", "warehousesetup",
    "customershelflife",
)  # fmt: skip
_VIEW = tuple(f"wms.view_{model}" for model in _MODELS)
# What the warehouse changes by hand: its layout and lots, tasks, transfers, counts.
_EDITED = ("zone", "bin", "lot", "movetask", "transfer", "count")
_WORK = (
    *(f"wms.{verb}_{model}" for model in _EDITED for verb in ("add", "change")),
    "wms.delete_zone",
    "wms.delete_bin",
    "wms.receive_expectedreceipt",
    "wms.approve_count",
)

WAREHOUSE_PERMISSIONS: tuple[str, ...] = ("wms.access_wms", *_VIEW, *_WORK)

ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    "Warehouse": WAREHOUSE_PERMISSIONS,
    "Admin": WAREHOUSE_PERMISSIONS,
}
