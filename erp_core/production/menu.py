"""Production's section of the ERP card and its counts on the home page (registered by its app)."""

from django.utils.translation import gettext_lazy as _

from erp_core.production.models import ProductionOrder
from erp_core.registry import Entry, WorkItem

ORDER = 30

ENTRIES = (
    Entry(
        _("Production orders"),
        "production:order-list",
        "production.view_productionorder",
        _("Production"),
    ),
)

WORK = (
    WorkItem(
        "erp",
        "production.view_productionorder",
        _("Production orders to release"),
        lambda: ProductionOrder.objects.filter(status=ProductionOrder.Status.DRAFT),
        "production:order-list",
        {"status": "draft"},
    ),
    WorkItem(
        "erp",
        "production.view_productionorder",
        _("Production orders to close"),
        lambda: ProductionOrder.objects.filter(status=ProductionOrder.Status.DONE),
        "production:order-list",
        {"status": "done"},
    ),
)
