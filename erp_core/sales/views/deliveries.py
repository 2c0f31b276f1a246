"""Pages of deliveries: list with filters and Excel export, detail with ship and void, the
delivery of an order's open lines, and the printable delivery note (送货单, PDF)."""

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
from erp_core.documents.views import REQUIRED, Step, StepTable, error_text, staff_required
from erp_core.ledger.selectors import company_settings
from erp_core.sales import selectors, services
from erp_core.sales.forms import DeliveryFilterForm, DeliveryForm
from erp_core.sales.models import SalesOrder
from erp_core.sales.views.common import ORDER_MODULES, PER_PAGE


def _filtered(request: HttpRequest) -> tuple[DeliveryFilterForm, dict]:
    """The list's filter form and the selector arguments it yields (bad values ignored)."""
    form = DeliveryFilterForm(request.GET or None)
    args: dict = {"search": request.GET.get("q", "").strip()}
    if form.is_bound and form.is_valid():
        for name in ("status", "customer", "date_from", "date_to"):
            args[name] = form.cleaned_data.get(name) or None
    return form, args


@staff_required("sales.view_delivery", modules=ORDER_MODULES)
@vary_on_headers("HX-Request")
def delivery_list(request: HttpRequest) -> HttpResponse:
    """Deliveries, newest first, filtered by status, customer and dates; searched by number."""
    form, args = _filtered(request)
    page_obj = Paginator(selectors.delivery_list(**args), PER_PAGE).get_page(
        request.GET.get("page")
    )
    template = (
        "sales/partials/delivery_table.html"
        if wants_partial(request)
        else "sales/delivery_list.html"
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


@staff_required("sales.view_delivery", modules=ORDER_MODULES)
def delivery_export(request: HttpRequest) -> HttpResponse:
    """The listed deliveries (same filters) as an Excel sheet."""
    _form, args = _filtered(request)
    rows = (
        (
            delivery.number,
            delivery.date,
            delivery.customer.code,
            delivery.customer.name,
            delivery.sales_order.number,
            delivery.warehouse.code,
            delivery.get_status_display(),
            delivery.shipment_reference,
        )
        for delivery in selectors.delivery_list(**args)
    )
    return xlsx_response(
        filename=f"deliveries-{timezone.localdate():%Y%m%d}.xlsx",
        title=_("Deliveries"),
        headers=[
            _("Number"),
            _("Date"),
            _("Customer code"),
            _("Customer"),
            _("Sales order"),
            _("Warehouse"),
            _("Status"),
            _("Shipment reference"),
        ],
        rows=rows,
    )


@staff_required("sales.view_delivery", modules=ORDER_MODULES)
def delivery_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One delivery with its lines and their cost of goods; ship, void and invoice buttons."""
    delivery = get_object_or_404(selectors.delivery_detail_list(), pk=pk)
    lines = list(delivery.lines.all())
    # A shipment's stock move is an issue, valued below zero: the cost of goods is its size.
    costs = [abs(line.stock_move.value) if line.stock_move else None for line in lines]
    return render(
        request,
        "sales/delivery_detail.html",
        {
            "delivery": delivery,
            "lines": list(zip(lines, costs, strict=True)),
            "uninvoiced": delivery.is_approved
            and any(line.uninvoiced_quantity > 0 for line in lines),
            "steps": STEPS.buttons(request.user, delivery),
            "history": history_rows(delivery),
        },
    )


@staff_required("sales.add_delivery", modules=ORDER_MODULES)
@require_http_methods(["GET", "POST"])
def delivery_create(request: HttpRequest, order_pk: int) -> HttpResponse:
    """Deliver a confirmed order's open lines (each at most what is still open)."""
    order = get_object_or_404(selectors.sales_order_detail_list(), pk=order_pk)
    if order.status != SalesOrder.Status.APPROVED:
        messages.error(request, _("Only a confirmed order is delivered."))
        return redirect("sales:order-detail", pk=order.pk)
    try:
        services.delivery_refuse_if_operated(order.warehouse)
    except DomainError as exc:
        messages.error(request, error_text(exc))
        return redirect("sales:order-detail", pk=order.pk)
    order_lines = list(order.lines.all())
    if request.method == "POST":
        form = DeliveryForm(request.POST, order_lines=order_lines)
        if form.is_valid():
            try:
                delivery = services.delivery_create(
                    sales_order=order,
                    lines=form.lines(),
                    date=form.cleaned_data["date"],
                    warehouse=form.cleaned_data["warehouse"],
                    memo=form.cleaned_data["memo"],
                    actor=request.user,
                )
            except (ValidationError, DomainError) as exc:
                form.add_error(None, error_text(exc))
            else:
                messages.success(
                    request, _("Delivery %(delivery)s was saved.") % {"delivery": delivery.number}
                )
                return redirect("sales:delivery-detail", pk=delivery.pk)
    else:
        form = DeliveryForm(
            initial={"date": timezone.localdate(), "warehouse": order.warehouse},
            order_lines=order_lines,
        )
    return render(request, "sales/delivery_form.html", {"form": form, "order": order})


STEPS = StepTable(
    argument="delivery",
    detail="sales:delivery-detail",
    url="sales:delivery-{name}",
    steps=(
        Step(
            "ship",
            services.delivery_approve,
            "sales.ship_delivery",
            gettext_lazy("Delivery %(document)s was shipped."),
            label=gettext_lazy("Ship"),
            when=lambda delivery: delivery.is_draft,
        ),
        Step(
            "void",
            services.delivery_void,
            "sales.change_delivery",
            gettext_lazy("Delivery %(document)s was voided."),
            label=gettext_lazy("Void"),
            reason=REQUIRED,
            missing=gettext_lazy("Say why the delivery is voided."),
            button_class="btn-outline-danger",
            when=lambda delivery: delivery.is_draft,
        ),
    ),
)


@staff_required("sales.view_delivery", modules=ORDER_MODULES)
@require_POST
def delivery_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """Ship (审核: the goods are issued and counted delivered) or void (作废, with a reason) a
    saved delivery."""
    return STEPS.run(request, get_object_or_404(selectors.delivery_list(), pk=pk), step)


@staff_required("sales.view_delivery", modules=ORDER_MODULES)
def delivery_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable delivery note (送货单) for the customer to sign."""
    delivery = get_object_or_404(selectors.delivery_detail_list(), pk=pk)
    return pdf_response(
        "sales/delivery_print.html",
        {
            "delivery": delivery,
            "lines": list(delivery.lines.all()),
            "company": company_settings(),
        },
        filename=f"{delivery.number}.pdf",
        request=request,
    )
