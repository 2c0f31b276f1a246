"""MES's card on the menu and home page (registered by its app; no screens or counts yet)."""

from django.utils.translation import gettext_lazy as _

from erp_core.registry import Entry, Module, WorkItem
from mes.selectors_work import operations_paused_count, operations_waiting_count

MODULE = Module(
    "mes", _("MES"), "mes.access_mes", _("Machines, work orders and shop-floor reports."), order=30
)
ENTRIES: tuple = ()
WORK: tuple = ()

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
ENTRIES = (*ENTRIES, *WORK_ENTRIES)
WORK = (*WORK, *WORK_COUNTS)
