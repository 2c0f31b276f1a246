"""Sales' section of the ERP card and its counts on the home page (registered by its app)."""

from django.utils.translation import gettext_lazy as _

from erp_core.registry import Entry, WorkItem
from erp_core.sales.models import Delivery, SalesOrder

ORDER = 10
_GROUP = _("Sales")

ENTRIES = (
    Entry(_("Sales orders"), "sales:order-list", "sales.view_salesorder", _GROUP),
    Entry(_("Deliveries"), "sales:delivery-list", "sales.view_delivery", _GROUP),
    Entry(_("Price lists"), "sales:price-list-list", "sales.view_pricelist", _GROUP),
)

WORK = (
    WorkItem(
        "erp",
        "sales.view_salesorder",
        _("Sales orders to confirm"),
        lambda: SalesOrder.objects.filter(status=SalesOrder.Status.DRAFT),
        "sales:order-list",
        {"status": "draft"},
    ),
    WorkItem(
        "erp",
        "sales.view_delivery",
        _("Deliveries to ship"),
        lambda: Delivery.objects.filter(status=Delivery.Status.DRAFT),
        "sales:delivery-list",
        {"status": "draft"},
    ),
)
