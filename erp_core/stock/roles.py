"""The permissions of the stock ledger that each staff role holds (registered by its app): those
who plan, move or value stock read the balances and the moves behind them; sales reads the
balances to promise a date, the shop floor to see what it can issue."""

_READ = ("stock.view_stockmove", "stock.view_stockbalance")

ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    "Sales": ("stock.view_stockbalance",),
    "Planner": _READ,
    "Shop floor": ("stock.view_stockbalance",),
    "Warehouse": _READ,
    "Finance": _READ,
    "Admin": _READ,
}
