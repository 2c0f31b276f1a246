"""Billing's section of the finance card and its counts on the home page (registered by its
app)."""

from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from erp_core.billing.models import Invoice, Payment
from erp_core.purchasing.models import PurchaseReceipt, PurchaseReceiptLine
from erp_core.registry import Entry, WorkItem

ORDER = 10
_GROUP = _("Receivables and payables")

ENTRIES = (
    Entry(_("Invoices"), "billing:invoice-list", "billing.view_invoice", _GROUP),
    Entry(_("Supplier bills"), "billing:bill-list", "billing.view_invoice", _GROUP),
    Entry(_("Payments"), "billing:payment-list", "billing.view_payment", _GROUP),
    Entry(_("Receivables aging"), "billing:ar-aging", "billing.view_invoice", _GROUP),
    Entry(_("Payables aging"), "billing:ap-aging", "billing.view_invoice", _GROUP),
    Entry(_("Partner statement"), "billing:statement", "billing.view_invoice", _GROUP),
    Entry(_("Month end: GR/IR and counts"), "billing:month-end", "billing.view_invoice", _GROUP),
)


def _overdue_invoices() -> QuerySet:
    return Invoice.objects.filter(
        kind=Invoice.Kind.CUSTOMER_INVOICE,
        status=Invoice.Status.APPROVED,
        due_date__lt=timezone.localdate(),
        amount_allocated__lt=F("gross_amount"),
    )


WORK = (
    WorkItem(
        "finance",
        "billing.view_invoice",
        _("Customer invoices to post"),
        lambda: Invoice.objects.filter(
            kind__in=Invoice.CUSTOMER_KINDS, status=Invoice.Status.DRAFT
        ),
        "billing:invoice-list",
        {"status": "draft"},
    ),
    WorkItem(
        "finance",
        "billing.view_invoice",
        _("Supplier bills to post"),
        lambda: Invoice.objects.filter(
            kind__in=Invoice.SUPPLIER_KINDS, status=Invoice.Status.DRAFT
        ),
        "billing:bill-list",
        {"status": "draft"},
    ),
    WorkItem(
        "finance",
        "billing.view_payment",
        _("Payments to post"),
        lambda: Payment.objects.filter(status=Payment.Status.DRAFT),
        "billing:payment-list",
        {"status": "draft"},
    ),
    WorkItem(
        "finance",
        "billing.view_invoice",
        _("Customer invoices past due"),
        _overdue_invoices,
        "billing:ar-aging",
        {},
    ),
    WorkItem(
        "finance",
        "billing.view_invoice",
        _("Receipts not billed"),
        lambda: PurchaseReceiptLine.objects.filter(
            receipt__status=PurchaseReceipt.Status.APPROVED,
            stock_move__isnull=False,
            billed_quantity__lt=F("quantity"),
        ),
        "billing:month-end",
        {},
    ),
)
