"""Pages of purchase receipts: list with Excel export, detail with actions, create from an
order, and the printable receipt (入库单, PDF)."""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from common.errors import DomainError
from common.history import history_rows
from common.htmx import wants_partial
from erp_core.documents.printing import pdf_response, xlsx_response
from erp_core.documents.views import OPTIONAL, Step, StepTable, error_text, staff_required
from erp_core.ledger.selectors import company_settings
from erp_core.purchasing import selectors, services
from erp_core.purchasing.forms import ReceiptForm, ReceiptLineFormSet
from erp_core.purchasing.models import PurchaseOrder, PurchaseReceipt
from erp_core.purchasing.views.common import ORDER_MODULES, PER_PAGE, date_param

Status = PurchaseReceipt.Status
ZERO = Decimal("0")

STEPS = StepTable(
    argument="receipt",
    detail="purchasing:receipt-detail",
    url="purchasing:receipt-action",
    steps=(
        Step(
            "approve",
            services.purchase_receipt_approve,
            "purchasing.receive_purchasereceipt",
            gettext_lazy("Receipt %(document)s was booked into stock."),
            label=gettext_lazy("Book into stock"),
            when=lambda receipt: receipt.is_draft,
        ),
        Step(
            "void",
            services.purchase_receipt_void,
            "purchasing.change_purchasereceipt",
            gettext_lazy("Receipt %(document)s was voided."),
            label=gettext_lazy("Void"),
            reason=OPTIONAL,
            button_class="btn-outline-danger",
            when=lambda receipt: receipt.is_draft,
        ),
    ),
)


def _filtered(request: HttpRequest) -> tuple[dict, object]:
    status = request.GET.get("status", "")
    if status not in Status.values:
        status = ""
    args = {
        "status": status or None,
        "search": request.GET.get("q", "").strip(),
        "date_from": date_param(request, "date_from"),
        "date_to": date_param(request, "date_to"),
    }
    return args, selectors.purchase_receipt_list(**args)


@staff_required("purchasing.view_purchasereceipt", modules=ORDER_MODULES)
@vary_on_headers("HX-Request")
def receipt_list(request: HttpRequest) -> HttpResponse:
    """Receipts, newest first, filtered by status, dates and number, order or delivery note."""
    args, receipts = _filtered(request)
    page_obj = Paginator(receipts, PER_PAGE).get_page(request.GET.get("page"))
    template = (
        "purchasing/partials/receipt_table.html"
        if wants_partial(request)
        else "purchasing/receipt_list.html"
    )
    return render(
        request,
        template,
        {
            "page_obj": page_obj,
            "q": args["search"],
            "status": args["status"] or "",
            "date_from": args["date_from"],
            "date_to": args["date_to"],
            "statuses": Status.choices,
            "export_query": request.GET.urlencode(),
        },
    )


@staff_required("purchasing.view_purchasereceipt", modules=ORDER_MODULES)
def receipt_export(request: HttpRequest) -> HttpResponse:
    """The listed receipts' lines (same filters) as an Excel sheet."""
    _args, receipts = _filtered(request)
    rows = (
        (
            receipt.number,
            receipt.date,
            receipt.get_status_display(),
            receipt.supplier.code,
            receipt.supplier.name,
            receipt.purchase_order.number,
            receipt.warehouse.code,
            receipt.delivery_note,
            line.line_no,
            line.item.code,
            line.item.name,
            line.quantity,
            line.unit_cost,
            line.billed_quantity,
        )
        for receipt in receipts
        for line in receipt.lines.all()
    )
    return xlsx_response(
        filename=f"purchase-receipts-{timezone.localdate():%Y%m%d}.xlsx",
        title=_("Purchase receipts"),
        headers=[
            _("Number"),
            _("Date"),
            _("Status"),
            _("Supplier code"),
            _("Supplier"),
            _("Purchase order"),
            _("Warehouse"),
            _("Delivery note"),
            _("Line"),
            _("Item code"),
            _("Item"),
            _("Quantity"),
            _("Unit cost"),
            _("Billed"),
        ],
        rows=rows,
    )


def _as_int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _receipt(pk: int) -> PurchaseReceipt:
    return get_object_or_404(selectors.purchase_receipt_detail_list(), pk=pk)


@staff_required("purchasing.view_purchasereceipt", modules=ORDER_MODULES)
def receipt_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One receipt: its lines with cost and stock move, actions and history."""
    receipt = _receipt(pk)
    lines = list(receipt.lines.all())
    return render(
        request,
        "purchasing/receipt_detail.html",
        {
            "receipt": receipt,
            "lines": lines,
            "total_value": sum((line.quantity * line.unit_cost for line in lines), ZERO),
            "steps": STEPS.buttons(request.user, receipt),
            "history": history_rows(receipt),
        },
    )


@staff_required(
    "purchasing.view_purchaseorder", "purchasing.add_purchasereceipt", modules=ORDER_MODULES
)
@require_http_methods(["GET", "POST"])
def receipt_create(request: HttpRequest, order_pk: int) -> HttpResponse:
    """Save a receipt against an order: a quantity per order line (empty: nothing of it)."""
    order = get_object_or_404(selectors.purchase_order_detail_list(), pk=order_pk)
    order_lines = list(order.lines.all())
    by_pk = {line.pk: line for line in order_lines}
    try:
        services.purchase_receipt_refuse_if_operated(order.warehouse)
    except DomainError as exc:
        messages.error(request, error_text(exc))
        return redirect("purchasing:order-detail", pk=order.pk)
    if request.method == "POST":
        form = ReceiptForm(request.POST)
        formset = ReceiptLineFormSet(request.POST, prefix="lines")
        if form.is_valid() and formset.is_valid():
            lines = [
                {
                    "order_line": by_pk.get(line["order_line"], line["order_line"]),
                    "quantity": line["quantity"],
                }
                for line in formset.cleaned_data
                if line and line.get("quantity")
            ]
            try:
                receipt = services.purchase_receipt_create(
                    purchase_order=order, lines=lines, **form.cleaned_data, actor=request.user
                )
            except (ValidationError, DomainError) as exc:
                form.add_error(None, error_text(exc))
            else:
                messages.success(
                    request, _("Receipt %(document)s was saved.") % {"document": receipt}
                )
                return redirect("purchasing:receipt-detail", pk=receipt.pk)
    else:
        if order.status not in (PurchaseOrder.Status.APPROVED, PurchaseOrder.Status.RECEIVED):
            messages.error(request, _("Only a placed order is received against."))
            return redirect("purchasing:order-detail", pk=order.pk)
        form = ReceiptForm(initial={"date": timezone.localdate(), "warehouse": order.warehouse_id})
        formset = ReceiptLineFormSet(
            prefix="lines",
            initial=[
                {
                    "order_line": line.pk,
                    "quantity": max(line.quantity - line.received_quantity, ZERO),
                }
                for line in order_lines
            ],
        )
    rows = [(by_pk.get(_as_int(line["order_line"].value())), line) for line in formset]
    return render(
        request,
        "purchasing/receipt_form.html",
        {"order": order, "form": form, "formset": formset, "rows": rows},
    )


@staff_required("purchasing.view_purchasereceipt", modules=ORDER_MODULES)
@require_POST
def receipt_action(request: HttpRequest, pk: int, verb: str) -> HttpResponse:
    """Book or void a receipt (buttons on its page)."""
    return STEPS.run(request, get_object_or_404(PurchaseReceipt, pk=pk), verb)


@staff_required("purchasing.view_purchasereceipt", modules=ORDER_MODULES)
def receipt_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The receipt as a PDF (入库单): items, quantities, unit costs and values."""
    receipt = _receipt(pk)
    lines = list(receipt.lines.all())
    rows = [(line, (line.quantity * line.unit_cost).quantize(Decimal("0.01"))) for line in lines]
    return pdf_response(
        "purchasing/receipt_print.html",
        {
            "receipt": receipt,
            "rows": rows,
            "total_value": sum((value for _line, value in rows), ZERO),
            "company": company_settings(),
        },
        filename=f"{receipt.number}.pdf",
        request=request,
    )
