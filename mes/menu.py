"""MES's card on the menu and home page, its links and its waiting work (registered by its app)."""

from django.utils.translation import gettext_lazy as _

from erp_core.registry import Entry, Module, WorkItem
from mes.models import Downtime, Machine
from mes.selectors_work import operations_paused_count, operations_waiting_count

MODULE = Module(
    "mes", _("MES"), "mes.access_mes", _("Machines, work orders and shop-floor reports."), order=30
)
_MACHINES = _("Machines")

# Machines and their data (the shop-floor board, machines, downtime, OEE).
MACHINE_ENTRIES: tuple = (
    Entry(_("Shop-floor board"), "mes:board", "mes.view_machine", _MACHINES),
    Entry(_("Machines"), "mes:machine-list", "mes.view_machine", _MACHINES),
    Entry(_("Downtime"), "mes:downtime-list", "mes.view_downtime", _MACHINES),
    Entry(_("OEE"), "mes:oee", "mes.view_machine", _MACHINES),
)

MACHINE_WORK: tuple = (
    WorkItem(
        "mes",
        "mes.view_machine",
        _("Machines down"),
        lambda: Machine.objects.filter(is_active=True, state=Machine.State.DOWN),
        "mes:machine-list",
        {"state": "down"},
    ),
    WorkItem(
        "mes",
        "mes.change_downtime",
        _("Stops without a reason"),
        lambda: Downtime.objects.filter(reason=""),
        "mes:downtime-list",
        {"reason": "none"},
    ),
)

# --- Work-order execution and genealogy ---------------------------------------------------------
_SHOP_FLOOR = _("Work-order execution")

WORK_ENTRIES: tuple = (
    Entry(_("Operator terminal"), "mes:terminal", "mes.run_workoperation", _SHOP_FLOOR),
    Entry(_("Work orders"), "mes:work-order-list", "mes.view_workorder", _SHOP_FLOOR),
    Entry(_("Lot genealogy"), "mes:lot-list", "mes.view_productionlot", _SHOP_FLOOR),
)

WORK_COUNTS: tuple = (
    WorkItem(
        "mes",
        "mes.view_workoperation",
        _("Operations waiting on the machines"),
        operations_waiting_count,
        "mes:work-order-list",
        {"status": "released"},
    ),
    WorkItem(
        "mes",
        "mes.view_workoperation",
        _("Operations paused"),
        operations_paused_count,
        "mes:work-order-list",
        {"status": "in_progress"},
    ),
)

# What the app registers: its links and counts, every part together.
ENTRIES: tuple = (*MACHINE_ENTRIES, *WORK_ENTRIES)
WORK: tuple = (*MACHINE_WORK, *WORK_COUNTS)
