"""WMS's card on the menu and home page, its links and its waiting work (registered by its app)."""

from django.utils.translation import gettext_lazy as _

from erp_core.registry import Entry, Module, WorkItem
from wms.models import ExpectedReceipt, MoveTask

MODULE = Module(
    "wms", _("WMS"), "wms.access_wms", _("Bins, lots, receipts, picking and shipping."), order=40
)

_WAREHOUSE = _("Warehouse")
_LAYOUT = _("Layout")

ENTRIES: tuple = (
    Entry(_("Dashboard"), "wms:dashboard", "wms.access_wms", _WAREHOUSE),
    Entry(_("Stock by bin and lot"), "wms:stock-list", "wms.access_wms", _WAREHOUSE),
    Entry(_("Scan screens"), "wms:scan-menu", "wms.access_wms", _WAREHOUSE),
    Entry(_("Open tasks"), "wms:task-list", "wms.access_wms", _WAREHOUSE),
    Entry(_("Expected receipts"), "wms:receipt-list", "wms.access_wms", _WAREHOUSE),
    Entry(_("Outbound orders"), "wms:outbound-list", "wms.access_wms", _WAREHOUSE),
    Entry(_("Counts"), "wms:count-list", "wms.access_wms", _WAREHOUSE),
    Entry(_("Lots"), "wms:lot-list", "wms.access_wms", _WAREHOUSE),
    Entry(_("Bins"), "wms:bin-list", "wms.access_wms", _LAYOUT),
    Entry(_("Zones"), "wms:zone-list", "wms.access_wms", _LAYOUT),
)


WORK: tuple = (
    WorkItem(
        "wms",
        "wms.access_wms",
        _("Warehouse tasks to do"),
        lambda: MoveTask.objects.filter(status=MoveTask.Status.OPEN),
        "wms:task-list",
    ),
    WorkItem(
        "wms",
        "wms.access_wms",
        _("Receipts to receive"),
        lambda: ExpectedReceipt.objects.filter(status=ExpectedReceipt.Status.DRAFT),
        "wms:receipt-list",
        {"status": "draft"},
    ),
)
