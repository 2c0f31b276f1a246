"""Which modules a user may open, and their entry points: one table for the menu and home page."""

from dataclasses import dataclass, field, replace

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Entry:
    """A link in a module's menu, shown to those holding its permission (if it names one)."""

    label: str | Promise
    url_name: str
    permission: str = ""
    group: str | Promise = ""


@dataclass(frozen=True)
class Module:
    """A module of the product as the menu shows it, behind one permission."""

    key: str
    label: str | Promise
    permission: str
    description: str | Promise
    entries: tuple[Entry, ...] = field(default_factory=tuple)


_SALES = _("Sales")
_PURCHASING = _("Purchasing")
_PRODUCTION = _("Production")
_MASTER_DATA = _("Master data")
_STOCK = _("Stock")
_RECEIVABLES = _("Receivables and payables")
_LEDGER = _("General ledger")

MODULES: tuple[Module, ...] = (
    Module(
        "erp",
        _("ERP"),
        "erp_core.access_erp",
        _("Master data, orders, planning and ledgers."),
        (
            Entry(_("Sales orders"), "sales:order-list", "sales.view_salesorder", _SALES),
            Entry(_("Deliveries"), "sales:delivery-list", "sales.view_delivery", _SALES),
            Entry(_("Price lists"), "sales:price-list-list", "sales.view_pricelist", _SALES),
            Entry(
                _("Purchase requisitions"),
                "purchasing:requisition-list",
                "purchasing.view_purchaserequisition",
                _PURCHASING,
            ),
            Entry(
                _("Purchase orders"),
                "purchasing:order-list",
                "purchasing.view_purchaseorder",
                _PURCHASING,
            ),
            Entry(
                _("Goods receipts"),
                "purchasing:receipt-list",
                "purchasing.view_purchasereceipt",
                _PURCHASING,
            ),
            Entry(
                _("Production orders"),
                "production:order-list",
                "production.view_productionorder",
                _PRODUCTION,
            ),
            Entry(_("Partners"), "erp_core:partner-list", "erp_core.view_partner", _MASTER_DATA),
            Entry(_("Items"), "erp_core:item-list", "erp_core.view_item", _MASTER_DATA),
            Entry(
                _("Bills of materials"),
                "erp_core:bom-list",
                "erp_core.view_billofmaterials",
                _MASTER_DATA,
            ),
            Entry(_("Routings"), "erp_core:routing-list", "erp_core.view_routing", _MASTER_DATA),
            Entry(_("Units"), "erp_core:unit-list", "erp_core.view_unitofmeasure", _MASTER_DATA),
            Entry(
                _("Item categories"),
                "erp_core:category-list",
                "erp_core.view_itemcategory",
                _MASTER_DATA,
            ),
            Entry(
                _("Warehouses"), "erp_core:warehouse-list", "erp_core.view_warehouse", _MASTER_DATA
            ),
            Entry(
                _("Work centers"),
                "erp_core:work-center-list",
                "erp_core.view_workcenter",
                _MASTER_DATA,
            ),
            Entry(_("Tax codes"), "erp_core:tax-code-list", "erp_core.view_taxcode", _MASTER_DATA),
            Entry(
                _("Currencies"), "erp_core:currency-list", "erp_core.view_currency", _MASTER_DATA
            ),
            Entry(_("Stock"), "stock:balance-list", "stock.view_stockbalance", _STOCK),
        ),
    ),
    Module(
        "finance",
        _("Finance"),
        "erp_core.access_finance",
        _("Journals, receivables, payables and reconciliation."),
        (
            Entry(_("Invoices"), "billing:invoice-list", "billing.view_invoice", _RECEIVABLES),
            Entry(_("Supplier bills"), "billing:bill-list", "billing.view_invoice", _RECEIVABLES),
            Entry(_("Payments"), "billing:payment-list", "billing.view_payment", _RECEIVABLES),
            Entry(_("Receivables aging"), "billing:ar-aging", "billing.view_invoice", _RECEIVABLES),
            Entry(_("Payables aging"), "billing:ap-aging", "billing.view_invoice", _RECEIVABLES),
            Entry(
                _("Partner statement"), "billing:statement", "billing.view_invoice", _RECEIVABLES
            ),
            Entry(_("Journal entries"), "ledger:entry-list", "ledger.view_journalentry", _LEDGER),
            Entry(_("Chart of accounts"), "ledger:account-tree", "ledger.view_account", _LEDGER),
            Entry(_("Fiscal periods"), "ledger:period-list", "ledger.view_fiscalperiod", _LEDGER),
            Entry(_("Trial balance"), "ledger:trial-balance", "ledger.view_account", _LEDGER),
            Entry(_("General ledger"), "ledger:general-ledger", "ledger.view_account", _LEDGER),
            Entry(_("Reconciliation"), "ledger:reconcile", "ledger.view_journalentry", _LEDGER),
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
    """The enabled modules whose permission the user holds, in menu order, each with the entries
    the user may open."""
    perms = user.get_all_permissions() if user.is_active else set()
    allowed = user.is_superuser or None

    def may(permission: str) -> bool:
        return not permission or bool(allowed) or permission in perms

    return [
        replace(m, entries=tuple(e for e in m.entries if may(e.permission)))
        for m in MODULES
        if module_enabled(m.key) and may(m.permission)
    ]
