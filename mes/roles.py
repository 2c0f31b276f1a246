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
