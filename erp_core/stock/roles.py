"""The permissions of the stock ledger that each staff role holds (registered by its app): those
who plan, move or value stock read the balances and the moves behind them."""

_READ = ("stock.view_stockmove", "stock.view_stockbalance")

ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    "Planner": _READ,
    "Warehouse": _READ,
    "Finance": _READ,
    "Admin": _READ,
}
