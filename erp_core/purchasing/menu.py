"""Purchasing's section of the ERP card and its counts on the home page (registered by its app)."""

from django.utils.translation import gettext_lazy as _

from erp_core.purchasing.models import PurchaseOrder, PurchaseReceipt, PurchaseRequisition
from erp_core.registry import Entry, WorkItem

ORDER = 20
_GROUP = _("Purchasing")

ENTRIES = (
    Entry(
        _("Purchase requisitions"),
        "purchasing:requisition-list",
        "purchasing.view_purchaserequisition",
        _GROUP,
    ),
    Entry(_("Purchase orders"), "purchasing:order-list", "purchasing.view_purchaseorder", _GROUP),
    Entry(
        _("Goods receipts"), "purchasing:receipt-list", "purchasing.view_purchasereceipt", _GROUP
    ),
)

WORK = (
    WorkItem(
        "erp",
        "purchasing.view_purchaserequisition",
        _("Requisitions to order"),
        lambda: PurchaseRequisition.objects.filter(status=PurchaseRequisition.Status.APPROVED),
        "purchasing:requisition-list",
        {"status": "approved"},
    ),
    WorkItem(
        "erp",
        "purchasing.view_purchaseorder",
        _("Purchase orders to place"),
        lambda: PurchaseOrder.objects.filter(status=PurchaseOrder.Status.DRAFT),
        "purchasing:order-list",
        {"status": "draft"},
    ),
    WorkItem(
        "erp",
        "purchasing.view_purchasereceipt",
        _("Receipts to book"),
        lambda: PurchaseReceipt.objects.filter(status=PurchaseReceipt.Status.DRAFT),
        "purchasing:receipt-list",
        {"status": "draft"},
    ),
)
