"""Which modules a user may open, and their entry points: one table for the menu and home page."""

from dataclasses import dataclass, field

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Entry:
    """A link in a module's menu."""

    label: str | Promise
    url_name: str


@dataclass(frozen=True)
class Module:
    """A module of the product as the menu shows it, behind one permission."""

    key: str
    label: str | Promise
    permission: str
    description: str | Promise
    entries: tuple[Entry, ...] = field(default_factory=tuple)


MODULES: tuple[Module, ...] = (
    Module(
        "erp",
        _("ERP"),
        "erp_core.access_erp",
        _("Master data, orders, planning and ledgers."),
        (
            Entry(_("Partners"), "erp_core:partner-list"),
            Entry(_("Items"), "erp_core:item-list"),
            Entry(_("Warehouses"), "erp_core:warehouse-list"),
            Entry(_("Work centers"), "erp_core:work-center-list"),
            Entry(_("Stock"), "stock:balance-list"),
        ),
    ),
    Module(
        "finance",
        _("Finance"),
        "erp_core.access_finance",
        _("Journals, receivables, payables and reconciliation."),
        (
            Entry(_("Journal entries"), "ledger:entry-list"),
            Entry(_("Chart of accounts"), "ledger:account-tree"),
            Entry(_("Fiscal periods"), "ledger:period-list"),
            Entry(_("Trial balance"), "ledger:trial-balance"),
            Entry(_("General ledger"), "ledger:general-ledger"),
            Entry(_("Reconciliation"), "ledger:reconcile"),
        ),
    ),
    Module("mes", _("MES"), "mes.access_mes", _("Machines, work orders and shop-floor reports.")),
    Module("wms", _("WMS"), "wms.access_wms", _("Bins, lots, receipts, picking and shipping.")),
    Module("crm", _("CRM"), "crm.access_crm", _("Accounts, leads, quotes and service.")),
    Module(
        "integration",
        _("Integration"),
        "erp_core.access_integration",
        _("The event log, dead deliveries and replay."),
        (Entry(_("Event log"), "integration:event-log"),),
    ),
)


def module_enabled(key: str) -> bool:
    """A front module switched off in settings disappears from the menu."""
    return key not in ("mes", "wms", "crm") or key in settings.ZHONGTAI_MODULES


def modules_for(user) -> list[Module]:
    """The enabled modules whose permission the user holds, in menu order."""
    return [m for m in MODULES if module_enabled(m.key) and user.has_perm(m.permission)]
