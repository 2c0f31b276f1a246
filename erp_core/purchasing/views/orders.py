"""Pages of purchase orders: list with filters and Excel export, detail with receipts and
actions, create and edit with a lines formset, and the printable order (采购订单, PDF)."""

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
from erp_core import registry
from erp_core.documents.amounts import totals
from erp_core.documents.printing import pdf_response, xlsx_response
from erp_core.documents.views import OPTIONAL, Step, StepTable, error_text, staff_required
from erp_core.documents.words import amount_in_words
from erp_core.ledger.selectors import company_settings
from erp_core.purchasing import selectors, services
from erp_core.purchasing.forms import (
    AcknowledgeForm,
    OrderFilterForm,
    OrderForm,
    OrderLineFormSet,
)
from erp_core.purchasing.models import PurchaseOrder
from erp_core.purchasing.views.common import ORDER_MODULES, PER_PAGE

Status = PurchaseOrder.Status

STEPS = StepTable(
    argument="order",
    detail="purchasing:order-detail",
    url="purchasing:order-action",
    steps=(
        Step(
            "approve",
            services.purchase_order_approve,
            "purchasing.approve_purchaseorder",
            gettext_lazy("Order %(document)s was placed."),
            label=gettext_lazy("Place order"),
            when=lambda order: order.is_draft,
        ),
        Step(
            "void",
            services.purchase_order_void,
            "purchasing.change_purchaseorder",
            gettext_lazy("Order %(document)s was voided."),
            label=gettext_lazy("Void"),
            reason=OPTIONAL,
            button_class="btn-outline-danger",
            when=lambda order: order.is_draft,
        ),
        Step(
            "close",
            services.purchase_order_close,
            "purchasing.approve_purchaseorder",
            gettext_lazy("Order %(document)s was closed."),
            label=gettext_lazy("Close (short-close)"),
            reason=OPTIONAL,
            button_class="btn-outline-secondary",
            when=lambda order: order.status in (Status.APPROVED, Status.RECEIVED),
        ),
        Step(
            "acknowledge",
            services.purchase_order_acknowledge,
            "purchasing.change_purchaseorder",
            gettext_lazy("The supplier's acknowledgement of %(document)s was recorded."),
            label=gettext_lazy("Record acknowledgement"),
            form=lambda data, order: AcknowledgeForm(data),
            inline_fields=("supplier_reference",),
            button_class="btn-outline-primary",
            when=lambda order: order.status == Status.APPROVED and not order.acknowledged_at,
        ),
        Step(
            "unapprove",
            services.purchase_order_unapprove,
            "purchasing.approve_purchaseorder",
            gettext_lazy("Order %(document)s is saved again and may be changed."),
            label=gettext_lazy("Unapprove"),
            button_class="btn-outline-secondary",
            when=lambda order: order.status == Status.APPROVED,
        ),
        Step(
            "cancel",
            services.purchase_order_cancel,
            "purchasing.approve_purchaseorder",
            gettext_lazy("Order %(document)s was cancelled."),
            label=gettext_lazy("Cancel order"),
            reason=OPTIONAL,
            button_class="btn-outline-danger",
            when=lambda order: order.status == Status.APPROVED,
        ),
    ),
)


def _filtered(request: HttpRequest) -> tuple[OrderFilterForm, dict, object]:
    """The list's filter form, the selector arguments it yields (bad values ignored), rows."""
    form = OrderFilterForm(request.GET or None)
    args: dict = {"search": request.GET.get("q", "").strip()}
    if form.is_bound:
        form.is_valid()
        cleaned = getattr(form, "cleaned_data", {})
        args["status"] = cleaned.get("status") or None
        args["supplier"] = cleaned.get("supplier")
        args["date_from"] = cleaned.get("date_from")
        args["date_to"] = cleaned.get("date_to")
    return form, args, selectors.purchase_order_list(**args)


@staff_required("purchasing.view_purchaseorder", modules=ORDER_MODULES)
@vary_on_headers("HX-Request")
def order_list(request: HttpRequest) -> HttpResponse:
    """Purchase orders, newest first, filtered by status, supplier, dates, number or memo."""
    form, args, orders = _filtered(request)
    page_obj = Paginator(orders, PER_PAGE).get_page(request.GET.get("page"))
    template = (
        "purchasing/partials/order_table.html"
        if wants_partial(request)
        else "purchasing/order_list.html"
    )
    return render(
        request,
        template,
        {
            "page_obj": page_obj,
            "q": args["search"],
            "filter_form": form,
            "statuses": Status.choices,
            "suppliers": form.fields["supplier"].queryset.order_by("code"),
            "export_query": request.GET.urlencode(),
        },
    )


@staff_required("purchasing.view_purchaseorder", modules=ORDER_MODULES)
def order_export(request: HttpRequest) -> HttpResponse:
    """The listed orders (same filters) as an Excel sheet, one row per order."""
    _form, _args, orders = _filtered(request)
    rows = (
        (
            order.number,
            order.date,
            order.supplier.code,
            order.supplier.name,
            order.warehouse.code,
            order.get_status_display(),
            order.expected_date,
            order.total_net,
            order.total_tax,
            order.total_gross,
            order.supplier_reference,
            timezone.localtime(order.acknowledged_at) if order.acknowledged_at else None,
        )
        for order in orders
    )
    return xlsx_response(
        filename=f"purchase-orders-{timezone.localdate():%Y%m%d}.xlsx",
        title=_("Purchase orders"),
        headers=[
            _("Number"),
            _("Date"),
            _("Supplier code"),
            _("Supplier"),
            _("Warehouse"),
            _("Status"),
            _("Expected date"),
            _("Amount"),
            _("VAT"),
            _("Amount incl. VAT"),
            _("Supplier's reference"),
            _("Acknowledged at"),
        ],
        rows=rows,
    )


def _order(pk: int) -> PurchaseOrder:
    return get_object_or_404(selectors.purchase_order_list(), pk=pk)


@staff_required("purchasing.view_purchaseorder", modules=ORDER_MODULES)
def order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One order: lines (ordered, received, still open), totals, receipts, actions, history."""
    order = _order(pk)
    lines = list(order.lines.all())
    receipts = list(selectors.purchase_order_receipts(order=order))
    received_any = any(line.received_quantity for line in lines)
    return render(
        request,
        "purchasing/order_detail.html",
        {
            "order": order,
            "lines": lines,
            "receipts": receipts,
            "open_lines": any(line.received_quantity < line.quantity for line in lines),
            "received_by": registry.stock_operator(order.warehouse_id),
            "steps": STEPS.buttons(
                request.user,
                order,
                hide=([] if received_any else ["close"])
                + (["unapprove", "cancel"] if receipts else []),
            ),
            "history": history_rows(order),
        },
    )


def _line_inputs(formset) -> list[dict]:
    return [
        {key: value for key, value in line.items() if value not in (None, "")}
        for line in formset.cleaned_data
        if line and line.get("item")
    ]


def _header(form: OrderForm) -> dict:
    header = dict(form.cleaned_data)
    if header.get("payment_terms_days") is None:
        header.pop("payment_terms_days", None)
    return header


@staff_required("purchasing.add_purchaseorder", modules=ORDER_MODULES)
@require_http_methods(["GET", "POST"])
def order_create(request: HttpRequest) -> HttpResponse:
    """Save a new order: a head form and a formset of lines."""
    if request.method == "POST":
        form = OrderForm(request.POST)
        formset = OrderLineFormSet(request.POST, prefix="lines")
        if form.is_valid() and formset.is_valid():
            try:
                order = services.purchase_order_create(
                    **_header(form), lines=_line_inputs(formset), actor=request.user
                )
            except (ValidationError, DomainError) as exc:
                form.add_error(None, error_text(exc))
            else:
                messages.success(request, _("Order %(document)s was saved.") % {"document": order})
                return redirect("purchasing:order-detail", pk=order.pk)
    else:
        form = OrderForm(initial={"date": timezone.localdate()})
        formset = OrderLineFormSet(prefix="lines")
    return render(
        request, "purchasing/order_form.html", {"form": form, "formset": formset, "order": None}
    )


def _initial_lines(order: PurchaseOrder) -> list[dict]:
    return [
        {
            "item": line.item_id,
            "quantity": line.quantity,
            "unit_price": line.unit_price,
            "discount_percent": line.discount_percent,
            "tax_code": line.tax_code_id,
            "expected_date": line.expected_date,
            "description": line.description,
            "requisition_line": line.requisition_line_id,
        }
        for line in order.lines.all()
    ]


@staff_required("purchasing.change_purchaseorder", modules=ORDER_MODULES)
@require_http_methods(["GET", "POST"])
def order_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a saved order; its lines are replaced by the formset's."""
    order = _order(pk)
    if not order.is_draft:
        messages.error(request, _("Only a saved order can be changed."))
        return redirect("purchasing:order-detail", pk=pk)
    if request.method == "POST":
        form = OrderForm(request.POST)
        formset = OrderLineFormSet(request.POST, prefix="lines")
        if form.is_valid() and formset.is_valid():
            try:
                order = services.purchase_order_update(
                    order=order,
                    expected_revision=int(request.POST.get("revision") or order.revision),
                    **_header(form),
                    lines=_line_inputs(formset),
                    actor=request.user,
                )
            except (ValidationError, DomainError) as exc:
                form.add_error(None, error_text(exc))
            else:
                messages.success(request, _("Order %(document)s was saved.") % {"document": order})
                return redirect("purchasing:order-detail", pk=order.pk)
    else:
        form = OrderForm(
            initial={
                "supplier": order.supplier_id,
                "date": order.date,
                "warehouse": order.warehouse_id,
                "expected_date": order.expected_date,
                "payment_terms_days": order.payment_terms_days,
                "over_receipt_tolerance": order.over_receipt_tolerance,
                "under_receipt_tolerance": order.under_receipt_tolerance,
                "memo": order.memo,
            }
        )
        formset = OrderLineFormSet(prefix="lines", initial=_initial_lines(order))
    return render(
        request, "purchasing/order_form.html", {"form": form, "formset": formset, "order": order}
    )


@staff_required("purchasing.view_purchaseorder", modules=ORDER_MODULES)
@require_POST
def order_action(request: HttpRequest, pk: int, verb: str) -> HttpResponse:
    """Place, unapprove, void, close, cancel or acknowledge an order (buttons on its page)."""
    return STEPS.run(request, get_object_or_404(PurchaseOrder, pk=pk), verb)


@staff_required("purchasing.view_purchaseorder", modules=ORDER_MODULES)
def order_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The order as a PDF (采购订单): lines with VAT, 价税合计 and the amount in words (大写)."""
    order = _order(pk)
    lines = list(order.lines.all())
    sums = totals(lines)
    return pdf_response(
        "purchasing/order_print.html",
        {
            "order": order,
            "lines": lines,
            "totals": sums,
            "in_words": amount_in_words(sums.gross),
            "company": company_settings(),
        },
        filename=f"{order.number}.pdf",
        request=request,
    )
