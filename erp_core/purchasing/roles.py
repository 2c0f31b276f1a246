"""The permissions of purchasing that each staff role holds (registered by its app)."""

_MODELS = (
    "purchaserequisition",
    "purchaserequisitionline",
    "purchaseorder",
    "purchaseorderline",
    "purchasereceipt",
    "purchasereceiptline",
)


def _all(*actions: str) -> tuple[str, ...]:
    return tuple(f"purchasing.{action}_{model}" for model in _MODELS for action in actions)


ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    "Planner": (
        "purchasing.view_purchaserequisition",
        "purchasing.add_purchaserequisition",
        "purchasing.change_purchaserequisition",
        "purchasing.approve_purchaserequisition",
        "purchasing.view_purchaseorder",
        "purchasing.add_purchaseorder",
        "purchasing.change_purchaseorder",
        "purchasing.approve_purchaseorder",
        "purchasing.view_purchasereceipt",
    ),
    "Warehouse": (
        # Warehouse staff work in WMS: its module opens the order and receipt pages and API.
        "purchasing.view_purchaseorder",
        "purchasing.view_purchasereceipt",
        "purchasing.add_purchasereceipt",
        "purchasing.change_purchasereceipt",
        "purchasing.receive_purchasereceipt",
    ),
    "Finance": (
        "purchasing.view_purchaserequisition",
        "purchasing.view_purchaseorder",
        "purchasing.view_purchasereceipt",
    ),
    "Admin": (
        *_all("view", "add", "change", "delete"),
        "purchasing.approve_purchaserequisition",
        "purchasing.approve_purchaseorder",
        "purchasing.receive_purchasereceipt",
    ),
}
