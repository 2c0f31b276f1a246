"""Planning services: the only code that changes runs, planned orders and forecasts.

Each is keyword-only and typed; bad input is a ``ValidationError`` (400), a state that forbids
the step a ``Conflict`` (409), an unknown row ``NotFound`` (404) — and nothing is written.
"""

from erp_core.planning.services.orders import (
    forecast_create,
    forecast_delete,
    forecast_update,
    planned_orders_firm,
    planned_orders_release,
    planned_orders_unfirm,
)
from erp_core.planning.services.runs import mrp_net_change, mrp_run_execute, mrp_run_start

__all__ = [
    "forecast_create",
    "forecast_delete",
    "forecast_update",
    "mrp_net_change",
    "mrp_run_execute",
    "mrp_run_start",
    "planned_orders_firm",
    "planned_orders_release",
    "planned_orders_unfirm",
]
