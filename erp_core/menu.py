"""The cards the root of the ERP core puts on the menu and home page (registered by its app):
the ERP, finance and integration. The apps of the core fill the first two with their sections."""

from django.utils.translation import gettext_lazy as _

from erp_core.registry import Entry, Module

MODULES = (
    Module(
        "erp",
        _("ERP"),
        "erp_core.access_erp",
        _("Master data, orders, planning and ledgers."),
        order=10,
    ),
    Module(
        "finance",
        _("Finance"),
        "erp_core.access_finance",
        _("Journals, receivables, payables and reconciliation."),
        order=20,
    ),
    Module(
        "integration",
        _("Integration"),
        "erp_core.access_integration",
        _("The event log, dead deliveries and replay."),
        order=90,
    ),
)

# The bus imports no domain app, so its page joins the menu from here.
INTEGRATION_ENTRIES = (Entry(_("Event log"), "integration:event-log"),)
