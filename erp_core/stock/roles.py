"""The permissions of the stock ledger that each staff role holds (registered by its app): those
who plan, move or value stock read the balances and the moves behind them; sales reads the
balances to promise a date, the shop floor to see what it can issue. The warehouse books the
adjustments its counts find; finance books them too (it answers for the value)."""

_READ = ("stock.view_stockmove", "stock.view_stockbalance")
_ADJUST = (*_READ, "stock.adjust_stock")

ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    "Sales": ("stock.view_stockbalance",),
    "Planner": _READ,
    "Shop floor": ("stock.view_stockbalance",),
    "Warehouse": _ADJUST,
    "Finance": _ADJUST,
    "Admin": _ADJUST,
}
