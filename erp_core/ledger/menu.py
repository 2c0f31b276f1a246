"""The general ledger's section of the finance card (registered by its app)."""

from django.utils.translation import gettext_lazy as _

from erp_core.registry import Entry

ORDER = 20
_GROUP = _("General ledger")

ENTRIES = (
    Entry(_("Journal entries"), "ledger:entry-list", "ledger.view_journalentry", _GROUP),
    Entry(_("Chart of accounts"), "ledger:account-tree", "ledger.view_account", _GROUP),
    Entry(_("Fiscal periods"), "ledger:period-list", "ledger.view_fiscalperiod", _GROUP),
    Entry(_("Trial balance"), "ledger:trial-balance", "ledger.view_account", _GROUP),
    Entry(_("General ledger"), "ledger:general-ledger", "ledger.view_account", _GROUP),
    Entry(_("Reconciliation"), "ledger:reconcile", "ledger.view_journalentry", _GROUP),
    Entry(_("Company settings"), "ledger:company-settings", "ledger.view_companysettings", _GROUP),
)
