"""Pages of sales orders: list with filters and Excel export, detail with deliveries, the
credit check and the status steps, create and edit with a lines formset, and the printable
order (销售订单, PDF)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from common.errors import DomainError, NotFound
from common.history import history_rows
from common.htmx import wants_partial
from erp_core import registry
from erp_core.documents.amounts import totals
from erp_core.documents.printing import pdf_response, xlsx_response
from erp_core.documents.views import (
    ERP,
    REQUIRED,
    Step,
    StepTable,
    error_text,
    staff_required,
)
from erp_core.documents.words import amount_in_words
from erp_core.ledger.selectors import company_settings
from erp_core.sales import selectors, services
from erp_core.sales.forms import (
    ApproveForm,
    OrderFilterForm,
    OrderForm,
    OrderLineFormSet,
    plain,
)
from erp_core.sales.models import SalesOrder
from erp_core.sales.services.orders import ORDER_FIELDS
from erp_core.sales.views.common import ORDER_MODULES, PER_PAGE

Status = SalesOrder.Status
APPROVE = "sales.approve_salesorder"
OVERRIDE = "sales.override_credit_limit"


def _filtered(request: HttpRequest) -> tuple[OrderFilterForm, dict]:
    """The list's filter form and the selector arguments it yields (bad values ignored)."""
    form = OrderFilterForm(request.GET or None)
    args: dict = {"search": request.GET.get("q", "").strip()}
    if form.is_bound and form.is_valid():
        for name in ("status", "customer", "date_from", "date_to"):
            args[name] = form.cleaned_data.get(name) or None
    return form, args


def _order_or_404(pk: int) -> SalesOrder:
    try:
        return selectors.sales_order_get(pk=pk)
    except NotFound:
        raise Http404 from None


@staff_required("sales.view_salesorder", modules=ORDER_MODULES)
@vary_on_headers("HX-Request")
def order_list(request: HttpRequest) -> HttpResponse:
    """Sales orders, newest first, filtered by status, customer, dates; searched by number."""
    form, args = _filtered(request)
    page_obj = Paginator(selectors.sales_order_list(**args), PER_PAGE).get_page(
        request.GET.get("page")
    )
    template = (
        "sales/partials/order_table.html" if wants_partial(request) else "sales/order_list.html"
    )
    return render(
        request,
        template,
        {
            "page_obj": page_obj,
            "q": args["search"],
            "filter_form": form,
            "export_query": request.GET.urlencode(),
        },
    )


@staff_required("sales.view_salesorder", modules=ORDER_MODULES)
def order_export(request: HttpRequest) -> HttpResponse:
    """The listed orders (same filters) as an Excel sheet."""
    _form, args = _filtered(request)
    rows = (
        (
            order.number,
            order.date,
            order.customer.code,
            order.customer.name,
            order.get_status_display(),
            order.customer_reference,
            order.requested_date,
            order.promised_date,
            order.total_net,
            order.total_tax,
            order.total_gross,
        )
        for order in selectors.sales_order_list(**args)
    )
    return xlsx_response(
        filename=f"sales-orders-{timezone.localdate():%Y%m%d}.xlsx",
        title=_("Sales orders"),
        headers=[
            _("Number"),
            _("Date"),
            _("Customer code"),
            _("Customer"),
            _("Status"),
            _("Customer's PO number"),
            _("Requested date"),
            _("Promised date"),
            _("Amount"),
            _("VAT"),
            _("Amount incl. VAT"),
        ],
        rows=rows,
    )


@staff_required("sales.view_salesorder", modules=ORDER_MODULES)
def order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One order: lines and totals, deliveries, the credit position, the status steps."""
    order = _order_or_404(pk)
    lines = list(order.lines.all())
    credit = None
    if order.status == Status.DRAFT and order.customer.credit_limit > 0:
        credit = selectors.credit_position(order=order)
    deliveries = list(selectors.delivery_list(sales_order=order))
    return render(
        request,
        "sales/order_detail.html",
        {
            "order": order,
            "lines": lines,
            "totals": totals(lines),
            "deliveries": deliveries,
            "delivered": order.status == Status.APPROVED
            and selectors.sales_order_is_delivered(order),
            "has_open": any(line.open_quantity > 0 for line in lines),
            "shipped_by": registry.stock_operator(order.warehouse_id),
            "credit": credit,
            "steps": STEPS.buttons(
                request.user,
                order,
                hide=(["approve"] if credit and credit.exceeded else [])
                + (["unapprove", "cancel"] if deliveries else []),
            ),
            "history": history_rows(order),
            # What the apps above sales add (billing: invoiced and paid, its documents).
            "panels": registry.panels(request, order),
        },
    )


def _save_order(request: HttpRequest, order: SalesOrder | None) -> HttpResponse:
    """Create or edit through the services; their refusals show on the form."""
    if request.method == "POST":
        form = OrderForm(request.POST)
        formset = OrderLineFormSet(request.POST, prefix="lines")
        if form.is_valid() and formset.is_valid():
            head = dict(form.cleaned_data)
            revision = head.pop("revision", None)
            lines = [row for row in formset.cleaned_data if row and row.get("item")]
            try:
                if order is None:
                    order = services.sales_order_create(**head, lines=lines, actor=request.user)
                    text = _("Sales order %(order)s was saved.")
                else:
                    order = services.sales_order_update(
                        order=order,
                        **head,
                        lines=lines,
                        expected_revision=revision,
                        actor=request.user,
                    )
                    text = _("Sales order %(order)s was changed.")
            except (ValidationError, DomainError) as exc:
                form.add_error(None, error_text(exc))
            else:
                messages.success(request, text % {"order": order.number})
                return redirect("sales:order-detail", pk=order.pk)
    elif order is None:
        form = OrderForm(initial={"date": timezone.localdate()})
        formset = OrderLineFormSet(prefix="lines")
    else:
        form = OrderForm(
            initial={
                **{name: getattr(order, name) for name in ORDER_FIELDS},
                "revision": order.revision,
            }
        )
        formset = OrderLineFormSet(
            prefix="lines",
            initial=[
                {
                    "item": line.item,
                    "quantity": plain(line.quantity),
                    "unit_price": plain(line.unit_price),
                    "discount_percent": plain(line.discount_percent),
                    "tax_code": line.tax_code,
                    "promised_date": line.promised_date,
                }
                for line in order.lines.all()
            ],
        )
    return render(
        request, "sales/order_form.html", {"form": form, "formset": formset, "order": order}
    )


@staff_required("sales.add_salesorder", modules=(ERP,))
@require_http_methods(["GET", "POST"])
def order_create(request: HttpRequest) -> HttpResponse:
    """A new order: head and lines; prices default from the price list."""
    return _save_order(request, None)


@staff_required("sales.change_salesorder", modules=(ERP,))
@require_http_methods(["GET", "POST"])
def order_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a saved order (refused once confirmed)."""
    order = _order_or_404(pk)
    if order.status != Status.DRAFT:
        messages.error(request, _("Only a saved order can be changed."))
        return redirect("sales:order-detail", pk=pk)
    return _save_order(request, order)


def _approve_permission(data: QueryDict) -> str:
    """Finance confirms over the credit limit (the override fields); Sales within it."""
    return OVERRIDE if data.get("override_credit") else APPROVE


STEPS = StepTable(
    argument="order",
    detail="sales:order-detail",
    url="sales:order-{name}",
    steps=(
        Step(
            "approve",
            services.sales_order_approve,
            _approve_permission,
            gettext_lazy("Sales order %(document)s was confirmed."),
            label=gettext_lazy("Confirm"),
            when=lambda order: order.is_draft,
            form=lambda data, order: ApproveForm(data),
        ),
        Step(
            "unapprove",
            services.sales_order_unapprove,
            APPROVE,
            gettext_lazy("Sales order %(document)s is saved again and may be changed."),
            label=gettext_lazy("Unconfirm"),
            confirm=gettext_lazy(
                "Take the confirmation back? The order returns to saved and its reservations "
                "are released."
            ),
            button_class="btn-outline-secondary",
            when=lambda order: order.is_approved,
        ),
        Step(
            "cancel",
            services.sales_order_cancel,
            APPROVE,
            gettext_lazy("Sales order %(document)s was cancelled."),
            label=gettext_lazy("Cancel order"),
            confirm=gettext_lazy("Cancel this order? This cannot be undone."),
            button_class="btn-outline-danger",
            when=lambda order: order.is_approved,
        ),
        Step(
            "close",
            services.sales_order_close,
            APPROVE,
            gettext_lazy("Sales order %(document)s was closed."),
            label=gettext_lazy("Close order"),
            confirm=gettext_lazy(
                "Close this order? What is not delivered yet will not be delivered. This "
                "cannot be undone."
            ),
            button_class="btn-outline-secondary",
            when=lambda order: order.is_approved,
        ),
        Step(
            "void",
            services.sales_order_void,
            "sales.change_salesorder",
            gettext_lazy("Sales order %(document)s was voided."),
            label=gettext_lazy("Void"),
            reason=REQUIRED,
            missing=gettext_lazy("Say why the order is voided."),
            button_class="btn-outline-danger",
            when=lambda order: order.is_draft,
        ),
    ),
)


@staff_required("sales.view_salesorder", modules=(ERP,))
@require_POST
def order_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """Take a status step (confirm, unconfirm, void, close, cancel) from the order's page; with
    the override fields, Finance confirms over the credit limit."""
    return STEPS.run(request, _order_or_404(pk), step)


@staff_required("sales.view_salesorder", modules=ORDER_MODULES)
def order_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable order (销售订单): lines, VAT, total in figures and in words (大写)."""
    order = _order_or_404(pk)
    lines = list(order.lines.all())
    total = totals(lines)
    return pdf_response(
        "sales/order_print.html",
        {
            "order": order,
            "lines": lines,
            "totals": total,
            "in_words": amount_in_words(total.gross),
            "company": company_settings(),
        },
        filename=f"{order.number}.pdf",
        request=request,
    )
