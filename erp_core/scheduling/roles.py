"""The schedule's permissions per staff role (registered by its app).

Planners run the scheduler and keep maintenance windows, shifts and holidays; the shop floor
and sales read the plan (sales to see when orders will be done).
"""

_MODELS = (
    "schedule",
    "scheduledoperation",
    "schedulechange",
    "promiseslip",
    "resource",
    "maintenancewindow",
    "workcentershift",
    "holiday",
)
_VIEW = tuple(f"scheduling.view_{model}" for model in _MODELS)

ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    "Planner": (
        *_VIEW,
        "scheduling.run_schedule",
        "scheduling.add_maintenancewindow",
        "scheduling.change_maintenancewindow",
        "scheduling.delete_maintenancewindow",
        "scheduling.add_workcentershift",
        "scheduling.delete_workcentershift",
        "scheduling.add_holiday",
        "scheduling.delete_holiday",
    ),
    "Shop floor": _VIEW,
    "Sales": ("scheduling.view_schedule", "scheduling.view_promiseslip"),
    "Admin": (
        *(
            f"scheduling.{action}_{model}"
            for model in _MODELS
            for action in ("view", "add", "change", "delete")
        ),
        "scheduling.run_schedule",
    ),
}
