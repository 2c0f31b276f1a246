"""Staff pages of production orders, under /production/: list (filters, Excel), detail with the
status actions as POST buttons, create and edit forms, and the printable 生产任务单 (PDF).

Views only call selectors and services; a refusal is shown as a message.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
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
from erp_core.documents.views import error_text, posted_revision
from erp_core.production import selectors, services
from erp_core.production.forms import (
    BookTimeForm,
    ConsumeForm,
    OrderFilterForm,
    ProductionOrderForm,
    ReportOutputForm,
    VoidForm,
)
from erp_core.production.models import ProductionOrder

ERP = "erp_core.access_erp"
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


@login_required
@permission_required([ERP, VIEW], raise_exception=True)
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


@login_required
@permission_required([ERP, VIEW], raise_exception=True)
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


@login_required
@permission_required([ERP, VIEW], raise_exception=True)
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
            "void_form": VoidForm(),
        },
    )


@login_required
@permission_required([ERP, VIEW], raise_exception=True)
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


@login_required
@permission_required([ERP, "production.add_productionorder"], raise_exception=True)
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


@login_required
@permission_required([ERP, "production.change_productionorder"], raise_exception=True)
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


# --- The status actions ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Action:
    """A POST button of the detail page: who may press it and what it does."""

    permission: str
    run: Callable[[HttpRequest, ProductionOrder], object]
    done: str


def _run_form(form_class, request: HttpRequest, call, **form_kwargs):
    form = form_class(request.POST, **form_kwargs)
    if not form.is_valid():
        errors = [e for errors in form.errors.values() for e in errors]
        raise ValidationError(errors)
    return call(form.cleaned_data)


def _release(request, order):
    return services.production_order_release(
        order=order, actor=request.user, expected_revision=posted_revision(request)
    )


def _unrelease(request, order):
    return services.production_order_unrelease(
        order=order, actor=request.user, expected_revision=posted_revision(request)
    )


def _void(request, order):
    return _run_form(
        VoidForm, request,
        lambda data: services.production_order_void(
            order=order, actor=request.user, reason=data["reason"],
            expected_revision=posted_revision(request),
        ),
    )  # fmt: skip


def _consume(request, order):
    return _run_form(
        ConsumeForm, request,
        lambda data: services.production_order_consume(
            order=order, item=data["item"], quantity=data["quantity"],
            warehouse=data["warehouse"], actor=request.user,
        ),
        order=order,
    )  # fmt: skip


def _report_output(request, order):
    return _run_form(
        ReportOutputForm, request,
        lambda data: services.production_order_report_output(
            order=order, quantity=data["quantity"], scrap_quantity=data["scrap_quantity"],
            actor=request.user,
        ),
    )  # fmt: skip


def _book_time(request, order):
    return _run_form(
        BookTimeForm, request,
        lambda data: services.production_order_book_time(
            order=order, operation=data["operation"], machine_hours=data["machine_hours"],
            labour_hours=data["labour_hours"], actor=request.user,
        ),
        order=order,
    )  # fmt: skip


def _complete(request, order):
    return services.production_order_complete(
        order=order, actor=request.user, expected_revision=posted_revision(request)
    )


def _close(request, order):
    return services.production_order_close(
        order=order, actor=request.user, expected_revision=posted_revision(request)
    )


ACTIONS: dict[str, _Action] = {
    "release": _Action(
        "production.release_productionorder", _release, gettext_lazy("%(order)s was released.")
    ),
    "unrelease": _Action(
        "production.release_productionorder",
        _unrelease,
        gettext_lazy("%(order)s is planned again."),
    ),
    "void": _Action(
        "production.void_productionorder", _void, gettext_lazy("%(order)s was voided.")
    ),
    "consume": _Action(
        "production.report_productionorder",
        _consume,
        gettext_lazy("The consumption was booked on %(order)s."),
    ),
    "report-output": _Action(
        "production.report_productionorder",
        _report_output,
        gettext_lazy("The output was booked on %(order)s."),
    ),
    "book-time": _Action(
        "production.report_productionorder",
        _book_time,
        gettext_lazy("The time was booked on %(order)s."),
    ),
    "complete": _Action(
        "production.report_productionorder", _complete, gettext_lazy("%(order)s is done.")
    ),
    "close": _Action(
        "production.close_productionorder",
        _close,
        gettext_lazy("%(order)s was closed and its variance posted."),
    ),
}


@login_required
@permission_required([ERP, VIEW], raise_exception=True)
@require_POST
def order_action(request: HttpRequest, pk: int, verb: str) -> HttpResponse:
    """Run one step of the status flow (release, consume, close…) and show the outcome."""
    step = ACTIONS.get(verb)
    if step is None:
        raise Http404(verb)
    if not request.user.has_perm(step.permission):
        raise PermissionDenied
    order = get_object_or_404(ProductionOrder, pk=pk)
    try:
        step.run(request, order)
    except (ValidationError, DomainError) as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, step.done % {"order": order.number})
    return redirect("production:order-detail", pk=pk)
