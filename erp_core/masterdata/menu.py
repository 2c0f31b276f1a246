"""The master data's section of the ERP card (registered by the ERP core's app)."""

from django.utils.translation import gettext_lazy as _

from erp_core.registry import Entry

ORDER = 40
_GROUP = _("Master data")

ENTRIES = (
    Entry(_("Partners"), "erp_core:partner-list", "erp_core.view_partner", _GROUP),
    Entry(_("Items"), "erp_core:item-list", "erp_core.view_item", _GROUP),
    Entry(_("Bills of materials"), "erp_core:bom-list", "erp_core.view_billofmaterials", _GROUP),
    Entry(_("Routings"), "erp_core:routing-list", "erp_core.view_routing", _GROUP),
    Entry(_("Units"), "erp_core:unit-list", "erp_core.view_unitofmeasure", _GROUP),
    Entry(_("Item categories"), "erp_core:category-list", "erp_core.view_itemcategory", _GROUP),
    Entry(_("Warehouses"), "erp_core:warehouse-list", "erp_core.view_warehouse", _GROUP),
    Entry(_("Work centers"), "erp_core:work-center-list", "erp_core.view_workcenter", _GROUP),
    Entry(_("Tax codes"), "erp_core:tax-code-list", "erp_core.view_taxcode", _GROUP),
    Entry(_("Currencies"), "erp_core:currency-list", "erp_core.view_currency", _GROUP),
)
