"""Who may open MES and do what in it (registered by its app, so the rights go when MES is
switched off): the shop floor reads machines and their data and gives stops their reasons;
planners also keep the machines and their cycle times; admins also issue device tokens."""

# Machines and their data.
_MACHINE_VIEW = tuple(
    f"mes.view_{model}" for model in ("machine", "machinecycletime", "machineevent", "downtime")
)
SHOP_FLOOR_MACHINES = (*_MACHINE_VIEW, "mes.change_downtime")
PLANNER_MACHINES = (
    *SHOP_FLOOR_MACHINES,
    "mes.add_machine",
    "mes.change_machine",
    "mes.add_machinecycletime",
    "mes.change_machinecycletime",
    "mes.delete_machinecycletime",
)
ADMIN_MACHINES = (
    *PLANNER_MACHINES,
    "mes.view_machinedevice",
    "mes.add_machinedevice",
    "mes.change_machinedevice",
    "mes.issue_machinedevice",
)

ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    "Planner": ("mes.access_mes", *PLANNER_MACHINES),
    "Shop floor": ("mes.access_mes", *SHOP_FLOOR_MACHINES),
    "Admin": ("mes.access_mes", *ADMIN_MACHINES),
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
