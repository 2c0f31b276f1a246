"""The stock ledger's section of the ERP card (registered by its app)."""

from django.utils.translation import gettext_lazy as _

from erp_core.registry import Entry

ORDER = 50

ENTRIES = (
    Entry(_("Stock"), "stock:balance-list", "stock.view_stockbalance", _("Stock")),
    Entry(_("Stock moves"), "stock:move-journal", "stock.view_stockmove", _("Stock")),
    Entry(_("Stock adjustment"), "stock:adjustment-create", "stock.adjust_stock", _("Stock")),
)
