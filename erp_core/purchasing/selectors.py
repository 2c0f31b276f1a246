"""Reads of purchasing, used by the pages, the API, the services and other modules alike."""

import datetime as dt
from decimal import Decimal

from django.db.models import DecimalField, F, Prefetch, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from erp_core.documents.models import MONEY
from erp_core.models import Item, Partner
from erp_core.purchasing.models import (
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseReceipt,
    PurchaseReceiptLine,
    PurchaseRequisition,
    PurchaseRequisitionLine,
)

ZERO_MONEY = Value(Decimal("0.00"), output_field=DecimalField(**MONEY))

# What a supplier's user may see of its orders: never a draft or a voided one.
PARTNER_VISIBLE_ORDER_STATUSES = (
    PurchaseOrder.Status.APPROVED,
    PurchaseOrder.Status.RECEIVED,
    PurchaseOrder.Status.CLOSED,
    PurchaseOrder.Status.CANCELLED,
)
PARTNER_VISIBLE_RECEIPT_STATUSES = (PurchaseReceipt.Status.APPROVED,)


def _dates(queryset: QuerySet, date_from: dt.date | None, date_to: dt.date | None) -> QuerySet:
    if date_from:
        queryset = queryset.filter(date__gte=date_from)
    if date_to:
        queryset = queryset.filter(date__lte=date_to)
    return queryset


# --- Requisitions ------------------------------------------------------------------------------


def purchase_requisition_detail_list() -> QuerySet[PurchaseRequisition]:
    """Requisitions with their people and lines (items, suggested suppliers) prefetched."""
    return PurchaseRequisition.objects.select_related(
        "requested_by", "created_by", "approved_by", "voided_by"
    ).prefetch_related(
        Prefetch(
            "lines",
            queryset=PurchaseRequisitionLine.objects.select_related(
                "item", "item__unit", "suggested_supplier"
            ).order_by("line_no"),
        )
    )


def purchase_requisition_list(
    *,
    status: str | None = None,
    search: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[PurchaseRequisition]:
    """Requisitions newest first, filtered by status, number or memo, and date range."""
    queryset = purchase_requisition_detail_list()
    if status:
        queryset = queryset.filter(status=status)
    if search:
        queryset = queryset.filter(Q(number__icontains=search) | Q(memo__icontains=search))
    return _dates(queryset, date_from, date_to).order_by("-date", "-id")


def purchase_requisition_lines_open() -> QuerySet[PurchaseRequisitionLine]:
    """Lines of approved requisitions with something left to order (for making orders)."""
    return (
        PurchaseRequisitionLine.objects.filter(
            requisition__status=PurchaseRequisition.Status.APPROVED
        )
        .select_related("requisition", "item", "item__unit", "suggested_supplier")
        .order_by("requisition__date", "requisition_id", "line_no")
    )


# --- Orders ------------------------------------------------------------------------------------


def purchase_order_detail_list() -> QuerySet[PurchaseOrder]:
    """Orders with supplier, warehouse, people and lines (items, tax codes) prefetched."""
    return PurchaseOrder.objects.select_related(
        "supplier",
        "warehouse",
        "created_by",
        "approved_by",
        "voided_by",
        "acknowledged_by",
        "closed_by",
        "cancelled_by",
    ).prefetch_related(
        Prefetch(
            "lines",
            queryset=PurchaseOrderLine.objects.select_related(
                "item", "item__unit", "tax_code", "requisition_line__requisition"
            ).order_by("line_no"),
        )
    )


def purchase_order_list(
    *,
    status: str | None = None,
    supplier: Partner | int | None = None,
    search: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    partner_id: int | None = None,
) -> QuerySet[PurchaseOrder]:
    """Orders newest first with their gross total, filtered as the list pages and API ask.

    ``partner_id`` limits the rows to what that supplier's own user may see.
    """
    queryset = purchase_order_detail_list().annotate(
        total_net=Coalesce(Sum("lines__net_amount"), ZERO_MONEY),
        total_tax=Coalesce(Sum("lines__tax_amount"), ZERO_MONEY),
        total_gross=Coalesce(Sum("lines__gross_amount"), ZERO_MONEY),
    )
    if status:
        queryset = queryset.filter(status=status)
    if supplier:
        queryset = queryset.filter(supplier=supplier)
    if search:
        queryset = queryset.filter(
            Q(number__icontains=search)
            | Q(memo__icontains=search)
            | Q(supplier__name__icontains=search)
            | Q(supplier__code__icontains=search)
        )
    if partner_id is not None:
        queryset = queryset.filter(
            supplier_id=partner_id, status__in=PARTNER_VISIBLE_ORDER_STATUSES
        )
    return _dates(queryset, date_from, date_to).order_by("-date", "-id")


def purchase_order_receipts(*, order: PurchaseOrder) -> QuerySet[PurchaseReceipt]:
    """The receipts of an order, oldest first, with their lines."""
    return (
        PurchaseReceipt.objects.filter(purchase_order=order)
        .select_related("warehouse", "approved_by")
        .prefetch_related("lines")
        .order_by("date", "id")
    )


def last_purchase_price(*, item: Item, supplier: Partner) -> Decimal | None:
    """The unit price of ``item`` on this supplier's latest placed order, or None.

    Drafts and voided orders do not count: only prices a supplier was actually sent.
    """
    return (
        PurchaseOrderLine.objects.filter(order__supplier=supplier, item=item)
        .exclude(order__status__in=[PurchaseOrder.Status.DRAFT, PurchaseOrder.Status.VOIDED])
        .order_by("-order__date", "-order_id", "-line_no")
        .values_list("unit_price", flat=True)
        .first()
    )


# --- Receipts ----------------------------------------------------------------------------------


def purchase_receipt_detail_list() -> QuerySet[PurchaseReceipt]:
    """Receipts with supplier, order, warehouse, people and lines prefetched."""
    return PurchaseReceipt.objects.select_related(
        "supplier", "purchase_order", "warehouse", "created_by", "approved_by", "voided_by"
    ).prefetch_related(
        Prefetch(
            "lines",
            queryset=PurchaseReceiptLine.objects.select_related(
                "item", "item__unit", "order_line", "stock_move"
            ).order_by("line_no"),
        )
    )


def purchase_receipt_list(
    *,
    status: str | None = None,
    supplier: Partner | int | None = None,
    purchase_order: PurchaseOrder | int | None = None,
    search: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    partner_id: int | None = None,
) -> QuerySet[PurchaseReceipt]:
    """Receipts newest first, filtered as the list pages and API ask.

    ``partner_id`` limits the rows to the booked receipts of that supplier.
    """
    queryset = purchase_receipt_detail_list()
    if status:
        queryset = queryset.filter(status=status)
    if supplier:
        queryset = queryset.filter(supplier=supplier)
    if purchase_order:
        queryset = queryset.filter(purchase_order=purchase_order)
    if search:
        queryset = queryset.filter(
            Q(number__icontains=search)
            | Q(delivery_note__icontains=search)
            | Q(purchase_order__number__icontains=search)
            | Q(supplier__name__icontains=search)
        )
    if partner_id is not None:
        queryset = queryset.filter(
            supplier_id=partner_id, status__in=PARTNER_VISIBLE_RECEIPT_STATUSES
        )
    return _dates(queryset, date_from, date_to).order_by("-date", "-id")


def purchase_receipt_lines_unbilled(*, supplier: Partner) -> QuerySet[PurchaseReceiptLine]:
    """Booked receipt lines of a supplier not fully billed yet (for three-way matching)."""
    return (
        PurchaseReceiptLine.objects.filter(
            receipt__supplier=supplier,
            receipt__status=PurchaseReceipt.Status.APPROVED,
            billed_quantity__lt=F("quantity"),
        )
        .select_related("receipt", "order_line", "item")
        .order_by("receipt__date", "receipt_id", "line_no")
    )
