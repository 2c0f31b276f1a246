"""What each staff role may do with invoices and payments (registered by its app)."""

_MODELS = ("invoice", "invoiceline", "payment", "paymentallocation")
_ACTIONS = ("view", "add", "change", "delete")
_ALL = (
    *(f"billing.{action}_{model}" for model in _MODELS for action in _ACTIONS),
    "billing.approve_invoice",
    "billing.void_invoice",
    "billing.approve_payment",
    "billing.void_payment",
)

ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    "Finance": _ALL,
    "Sales": ("billing.view_invoice", "billing.view_invoiceline"),
    "Admin": _ALL,
}
