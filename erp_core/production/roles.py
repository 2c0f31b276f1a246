"""The permissions of production orders that each staff role holds (registered by its app).

Planners plan and release orders; the shop floor reads them and reports consumption, output and
time (it needs the ERP module for that); finance reads them and closes them.
"""

_MODELS = (
    "productionorder",
    "productionordermaterial",
    "productionorderoperation",
    "productiontimebooking",
)
_VIEW = tuple(f"production.view_{model}" for model in _MODELS)

ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    "Planner": (
        *_VIEW,
        "production.add_productionorder",
        "production.change_productionorder",
        "production.release_productionorder",
        "production.void_productionorder",
        "production.override_production_limits",
    ),
    "Shop floor": (
        "erp_core.access_erp",
        *_VIEW,
        "production.report_productionorder",
    ),
    "Finance": (
        *_VIEW,
        "production.close_productionorder",
    ),
    "Admin": (
        *(
            f"production.{action}_{model}"
            for model in _MODELS
            for action in ("view", "add", "change", "delete")
        ),
        "production.release_productionorder",
        "production.void_productionorder",
        "production.report_productionorder",
        "production.close_productionorder",
    ),
}
