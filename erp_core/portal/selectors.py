"""What a partner's own user may read: its partner's documents once they are binding (a draft is
our internal work, a voided one never happened for the partner)."""

from django.db.models import QuerySet

from erp_core.billing.models import Invoice
from erp_core.models import Partner
from erp_core.purchasing import selectors as purchasing_selectors
from erp_core.purchasing.models import PurchaseOrder, PurchaseReceipt
from erp_core.sales.models import Delivery, SalesOrder

HIDDEN_STATUSES = ("draft", "voided")


def portal_sales_order_list(*, partner: Partner) -> QuerySet[SalesOrder]:
    """The customer's confirmed, closed or cancelled orders, newest first, with their lines."""
    return (
        SalesOrder.objects.filter(customer=partner)
        .exclude(status__in=HIDDEN_STATUSES)
        .prefetch_related("lines__item")
        .order_by("-date", "-id")
    )


def portal_delivery_list(*, partner: Partner) -> QuerySet[Delivery]:
    """The customer's shipped deliveries, newest first."""
    return (
        Delivery.objects.filter(customer=partner, status=Delivery.Status.APPROVED)
        .select_related("sales_order")
        .order_by("-date", "-id")
    )


def portal_purchase_order_list(*, partner: Partner) -> QuerySet[PurchaseOrder]:
    """The supplier's placed orders (what its API user sees too), with their lines."""
    return purchasing_selectors.purchase_order_list(partner_id=partner.pk).prefetch_related(
        "lines__item"
    )


def portal_receipt_list(*, partner: Partner) -> QuerySet[PurchaseReceipt]:
    """The supplier's booked receipts (what its API user sees too)."""
    return purchasing_selectors.purchase_receipt_list(partner_id=partner.pk)


def portal_invoice_list(*, partner: Partner, kinds: tuple[str, ...]) -> QuerySet[Invoice]:
    """The partner's posted invoices (customer kinds) or bills (supplier kinds), newest first."""
    return Invoice.objects.filter(
        partner=partner, kind__in=kinds, status=Invoice.Status.APPROVED
    ).order_by("-date", "-id")
