"""The permissions of planning that each staff role holds (registered by its app).

Planners run MRP, firm and release planned orders and keep the forecasts; sales reads the
shortages (they hurt its orders); admins hold everything.
"""

_MODELS = (
    "forecast",
    "mrprun",
    "plannedorder",
    "plannedorderpeg",
    "supplypeg",
    "exceptionmessage",
    "shortage",
)

ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    "Planner": (
        *(f"planning.view_{model}" for model in _MODELS),
        "planning.add_forecast",
        "planning.change_forecast",
        "planning.delete_forecast",
        "planning.run_mrp",
        "planning.firm_plannedorder",
        "planning.release_plannedorder",
    ),
    "Sales": ("planning.view_shortage",),
    "Admin": (
        *(
            f"planning.{action}_{model}"
            for model in _MODELS
            for action in ("view", "add", "change", "delete")
        ),
        "planning.run_mrp",
        "planning.firm_plannedorder",
        "planning.release_plannedorder",
    ),
}
