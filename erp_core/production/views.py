"""Staff pages of production orders, under /production/: list (filters, Excel), detail with the
status actions as POST buttons, create and edit forms, and the printable 生产任务单 (PDF).

Views only call selectors and services; a refusal is shown as a message.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from common.errors import DomainError
from common.history import history_rows
from common.htmx import wants_partial
from erp_core import registry
from erp_core.documents.printing import pdf_response, xlsx_response
from erp_core.documents.views import (
    REQUIRED,
    Step,
    StepTable,
    error_text,
    posted_revision,
    staff_required,
)
from erp_core.production import selectors, services
from erp_core.production.forms import (
    BookTimeForm,
    ConsumeForm,
    OrderFilterForm,
    ProductionOrderForm,
    ReportOutputForm,
)
from erp_core.production.models import ProductionOrder

VIEW = "production.view_productionorder"
ORDERS_PER_PAGE = 25


def _filters(request: HttpRequest) -> tuple[OrderFilterForm, dict]:
    """The list's filter form and the selector arguments it yields (bad values ignored)."""
    form = OrderFilterForm(request.GET or None)
    args: dict = {"search": request.GET.get("q", "").strip()}
    if form.is_valid():
        args.update(
            status=form.cleaned_data["status"] or None,
            item=form.cleaned_data["item"],
            due_from=form.cleaned_data["due_from"],
            due_to=form.cleaned_data["due_to"],
        )
    return form, args


@staff_required(VIEW)
@vary_on_headers("HX-Request")
def order_list(request: HttpRequest) -> HttpResponse:
    """Orders by due date, filtered by status, item and due date, searched by number or item."""
    form, args = _filters(request)
    page_obj = Paginator(selectors.production_order_list(**args), ORDERS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    template = (
        "production/partials/order_table.html"
        if wants_partial(request)
        else "production/order_list.html"
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        template,
        {"page_obj": page_obj, "filter_form": form, "export_query": query.urlencode()},
    )


@staff_required(VIEW)
def order_export(request: HttpRequest) -> HttpResponse:
    """The listed orders (same search and filters) as an Excel sheet."""
    _form, args = _filters(request)
    rows = (
        (
            order.number,
            order.date,
            order.item.code,
            order.item.name,
            order.quantity,
            order.item.unit.code,
            order.quantity_produced,
            order.quantity_scrapped,
            order.due_date,
            order.get_status_display(),
            order.warehouse.code,
            order.planned_cost,
            order.actual_cost,
            order.variance,
        )
        for order in selectors.production_order_list(**args)
    )
    headers = [
        _("Number"),
        _("Date"),
        _("Item"),
        _("Name"),
        _("Quantity"),
        _("Unit"),
        _("Produced"),
        _("Scrapped"),
        _("Due date"),
        _("Status"),
        _("Warehouse"),
        _("Planned cost"),
        _("Actual cost"),
        _("Variance"),
    ]
    stamp = timezone.localdate().strftime("%Y%m%d")
    return xlsx_response(
        filename=f"production-orders-{stamp}.xlsx",
        title=_("Production orders"),
        headers=headers,
        rows=rows,
    )


def _order(pk: int) -> ProductionOrder:
    return get_object_or_404(selectors.production_order_detail_list(), pk=pk)


@staff_required(VIEW)
def order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One order: header, materials, operations, time, cost summary, stock moves, actions."""
    order = _order(pk)
    return render(
        request,
        "production/order_detail.html",
        {
            "order": order,
            "materials": list(order.materials.all()),
            "operations": list(order.operations.all()),
            "time_bookings": list(order.time_bookings.all()),
            "cost": selectors.production_order_cost_summary(order=order),
            "moves": list(selectors.production_order_stock_moves(order=order)),
            "history": history_rows(order),
            "consume_form": ConsumeForm(
                order=order, initial={"warehouse": order.component_warehouse_id}
            ),
            "output_form": ReportOutputForm(),
            "time_form": BookTimeForm(order=order),
            "steps": STEPS.buttons(request.user, order),
            # A front module (MES) reports this order's consumption, output and time.
            "reported_by": registry.production_operator(order.pk),
        },
    )


@staff_required(VIEW)
def order_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable production order (生产任务单) as a PDF."""
    order = _order(pk)
    return pdf_response(
        "production/order_print.html",
        {
            "order": order,
            "materials": list(order.materials.all()),
            "operations": list(order.operations.all()),
            "printed_at": timezone.localtime(),
        },
        filename=f"{order.number}.pdf",
        request=request,
    )


@staff_required("production.add_productionorder")
@require_http_methods(["GET", "POST"])
def order_create(request: HttpRequest) -> HttpResponse:
    """Create a planned order: the form validates, ``production_order_create`` saves."""
    if request.method == "POST":
        form = ProductionOrderForm(request.POST)
        if form.is_valid():
            try:
                order = services.production_order_create(**form.cleaned_data, actor=request.user)
            except (ValidationError, DomainError) as exc:
                _add_errors(form, exc)
            else:
                messages.success(
                    request, _("Production order %(order)s was saved.") % {"order": order}
                )
                return redirect("production:order-detail", pk=order.pk)
    else:
        form = ProductionOrderForm(initial={"date": timezone.localdate()})
    return render(request, "production/order_form.html", {"form": form, "order": None})


@staff_required("production.change_productionorder")
@require_http_methods(["GET", "POST"])
def order_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a planned order; its snapshot is rebuilt from the BOM and routing as they are."""
    order = _order(pk)
    if not order.is_draft:
        messages.error(request, _("Only a planned order can be changed."))
        return redirect("production:order-detail", pk=pk)
    if request.method == "POST":
        form = ProductionOrderForm(request.POST)
        if form.is_valid():
            try:
                order = services.production_order_update(
                    order=order,
                    actor=request.user,
                    expected_revision=posted_revision(request),
                    **form.cleaned_data,
                )
            except (ValidationError, DomainError) as exc:
                _add_errors(form, exc)
            else:
                messages.success(
                    request, _("Production order %(order)s was saved.") % {"order": order}
                )
                return redirect("production:order-detail", pk=order.pk)
    else:
        form = ProductionOrderForm(initial=ProductionOrderForm.initial_for(order))
    return render(request, "production/order_form.html", {"form": form, "order": order})


def _add_errors(form, exc: Exception) -> None:
    """Put a service's refusal on the form: per field where it names one of the form's."""
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error_text(exc))


# --- The status steps ------------------------------------------------------------------------

IN_WORK = (ProductionOrder.Status.RELEASED, ProductionOrder.Status.IN_PROGRESS)
REPORT = "production.report_productionorder"

STEPS = StepTable(
    argument="order",
    detail="production:order-detail",
    url="production:order-action",
    steps=(
        Step(
            "release",
            services.production_order_release,
            "production.release_productionorder",
            gettext_lazy("%(document)s was released."),
            label=pgettext_lazy("production order", "Release"),
            when=lambda order: order.is_draft,
        ),
        Step(
            "unrelease",
            services.production_order_unrelease,
            "production.release_productionorder",
            gettext_lazy("%(document)s is planned again."),
            label=pgettext_lazy("production order", "Unrelease"),
            button_class="btn-outline-warning",
            when=lambda order: order.is_released,
        ),
        Step(
            "complete",
            services.production_order_complete,
            REPORT,
            gettext_lazy("%(document)s is done."),
            label=gettext_lazy("Complete"),
            button_class="btn-outline-success",
            when=lambda order: order.status in IN_WORK,
        ),
        Step(
            "close",
            services.production_order_close,
            "production.close_productionorder",
            gettext_lazy("%(document)s was closed and its variance posted."),
            label=gettext_lazy("Close and post variance"),
            button_class="btn-success",
            when=lambda order: order.status == ProductionOrder.Status.DONE,
        ),
        Step(
            "void",
            services.production_order_void,
            "production.void_productionorder",
            gettext_lazy("%(document)s was voided."),
            label=gettext_lazy("Void"),
            reason=REQUIRED,
            button_class="btn-outline-danger",
            when=lambda order: order.is_draft,
        ),
        # Reported from the forms under the order's operations, not from the action bar.
        Step(
            "consume",
            services.production_order_consume,
            REPORT,
            gettext_lazy("The consumption was booked on %(document)s."),
            form=lambda data, order: ConsumeForm(data, order=order),
            revision=False,
        ),
        Step(
            "report-output",
            services.production_order_report_output,
            REPORT,
            gettext_lazy("The output was booked on %(document)s."),
            form=lambda data, order: ReportOutputForm(data),
            revision=False,
        ),
        Step(
            "book-time",
            services.production_order_book_time,
            REPORT,
            gettext_lazy("The time was booked on %(document)s."),
            form=lambda data, order: BookTimeForm(data, order=order),
            revision=False,
        ),
    ),
)


@staff_required(VIEW)
@require_POST
def order_action(request: HttpRequest, pk: int, verb: str) -> HttpResponse:
    """Take one step of the status flow (release, consume, close…) and show the outcome."""
    return STEPS.run(request, get_object_or_404(ProductionOrder, pk=pk), verb)
