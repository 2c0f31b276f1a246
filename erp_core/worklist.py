"""What is waiting for someone, per module, for the home page: documents saved but not yet
approved, orders ready to close, invoices past due. Each line is one COUNT query, shown only to
users who may open its list."""

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from erp_core.billing.models import Invoice, Payment
from erp_core.production.models import ProductionOrder
from erp_core.purchasing.models import PurchaseOrder, PurchaseReceipt, PurchaseRequisition
from erp_core.sales.models import Delivery, SalesOrder


@dataclass(frozen=True)
class Task:
    """A kind of waiting work: how many, and the list that shows them."""

    label: str | Promise
    count: int
    url: str


@dataclass(frozen=True)
class _Line:
    module: str
    permission: str
    label: str | Promise
    queryset: Callable[[], QuerySet]
    url_name: str
    query: dict


def _overdue_invoices() -> QuerySet:
    return Invoice.objects.filter(
        kind=Invoice.Kind.CUSTOMER_INVOICE,
        status=Invoice.Status.APPROVED,
        due_date__lt=timezone.localdate(),
        amount_allocated__lt=F("gross_amount"),
    )


DRAFT = {"status": "draft"}

LINES = (
    _Line(
        "erp",
        "sales.view_salesorder",
        _("Sales orders to confirm"),
        lambda: SalesOrder.objects.filter(status=SalesOrder.Status.DRAFT),
        "sales:order-list",
        DRAFT,
    ),
    _Line(
        "erp",
        "sales.view_delivery",
        _("Deliveries to ship"),
        lambda: Delivery.objects.filter(status=Delivery.Status.DRAFT),
        "sales:delivery-list",
        DRAFT,
    ),
    _Line(
        "erp",
        "purchasing.view_purchaserequisition",
        _("Requisitions to order"),
        lambda: PurchaseRequisition.objects.filter(status=PurchaseRequisition.Status.APPROVED),
        "purchasing:requisition-list",
        {"status": "approved"},
    ),
    _Line(
        "erp",
        "purchasing.view_purchaseorder",
        _("Purchase orders to place"),
        lambda: PurchaseOrder.objects.filter(status=PurchaseOrder.Status.DRAFT),
        "purchasing:order-list",
        DRAFT,
    ),
    _Line(
        "erp",
        "purchasing.view_purchasereceipt",
        _("Receipts to book"),
        lambda: PurchaseReceipt.objects.filter(status=PurchaseReceipt.Status.DRAFT),
        "purchasing:receipt-list",
        DRAFT,
    ),
    _Line(
        "erp",
        "production.view_productionorder",
        _("Production orders to release"),
        lambda: ProductionOrder.objects.filter(status=ProductionOrder.Status.DRAFT),
        "production:order-list",
        DRAFT,
    ),
    _Line(
        "erp",
        "production.view_productionorder",
        _("Production orders to close"),
        lambda: ProductionOrder.objects.filter(status=ProductionOrder.Status.DONE),
        "production:order-list",
        {"status": "done"},
    ),
    _Line(
        "finance",
        "billing.view_invoice",
        _("Customer invoices to post"),
        lambda: Invoice.objects.filter(
            kind__in=Invoice.CUSTOMER_KINDS, status=Invoice.Status.DRAFT
        ),
        "billing:invoice-list",
        DRAFT,
    ),
    _Line(
        "finance",
        "billing.view_invoice",
        _("Supplier bills to post"),
        lambda: Invoice.objects.filter(
            kind__in=Invoice.SUPPLIER_KINDS, status=Invoice.Status.DRAFT
        ),
        "billing:bill-list",
        DRAFT,
    ),
    _Line(
        "finance",
        "billing.view_payment",
        _("Payments to post"),
        lambda: Payment.objects.filter(status=Payment.Status.DRAFT),
        "billing:payment-list",
        DRAFT,
    ),
    _Line(
        "finance",
        "billing.view_invoice",
        _("Customer invoices past due"),
        _overdue_invoices,
        "billing:ar-aging",
        {},
    ),
)


def work_for(user, modules: set[str]) -> dict[str, list[Task]]:
    """Per module key (of ``modules``, those the user may open), the waiting work it may see;
    kinds with nothing waiting are left out."""
    perms = user.get_all_permissions()
    work: dict[str, list[Task]] = {}
    for line in LINES:
        if line.module not in modules:
            continue
        if not (user.is_superuser or line.permission in perms):
            continue
        count = line.queryset().count()
        if count:
            url = reverse(line.url_name)
            if line.query:
                url = f"{url}?{urlencode(line.query)}"
            work.setdefault(line.module, []).append(Task(line.label, count, url))
    return work
