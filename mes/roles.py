"""Who may open MES (registered by its app, so the right goes when MES is switched off)."""

ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    "Planner": ("mes.access_mes",),
    "Shop floor": ("mes.access_mes",),
    "Admin": ("mes.access_mes",),
}

# --- Work-order execution and genealogy: the shop floor runs the terminal, the planner reads
# (and, as the ERP's supervisor of production limits, may override an operation's rules).
_WORK_MODELS = (
    "workorder", "workoperation", "operationrun", "operationreport", "operationoverride",
    "productionlot", "lotconsumption", "lotshipment",
)  # fmt: skip
_WORK_VIEW = tuple(f"mes.view_{model}" for model in _WORK_MODELS)

WORK_ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    "Planner": (*_WORK_VIEW, "mes.override_workoperation"),
    "Shop floor": (*_WORK_VIEW, "mes.run_workoperation"),
    "Admin": (
        *(
            f"mes.{action}_{model}"
            for model in _WORK_MODELS
            for action in ("view", "add", "change", "delete")
        ),
        "mes.run_workoperation",
        "mes.override_workoperation",
    ),
}

# What the app registers: each role's MES permissions, every part together.
ROLE_PERMISSIONS = {
    role: tuple(
        dict.fromkeys((*ROLE_PERMISSIONS.get(role, ()), *WORK_ROLE_PERMISSIONS.get(role, ())))
    )
    for role in {**ROLE_PERMISSIONS, **WORK_ROLE_PERMISSIONS}
}
