"""Staff pages of planning, under /planning/: the planner's dashboard (shortages, planned
orders to firm, exception messages, load against capacity per work center and day), MRP runs
with a progress bar polled by htmx, planned orders (firm and release in bulk, pegs on the
detail page), exception messages and forecasts.

Views only call selectors and services; a refusal is shown as a message.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from common.errors import DomainError
from erp_core.documents.views import error_text, staff_required
from erp_core.models import Warehouse
from erp_core.planning import selectors, services
from erp_core.planning.forms import ForecastForm, PlannedOrderFilterForm
from erp_core.planning.models import Forecast, MrpRun, PlannedOrder
from erp_core.planning.tasks import enqueue_mrp_run

VIEW_RUNS = "planning.view_mrprun"
VIEW_PLANNED = "planning.view_plannedorder"
PER_PAGE = 50
DASHBOARD_ROWS = 10
LOAD_DAYS = 14


def _chart(load: dict) -> dict:
    """The load table as JSON-ready numbers (hours with two places) for the chart script."""
    return {
        "days": [day.isoformat() for day in load["days"]],
        "work_centers": [
            {
                "code": wc["code"],
                "load": [float(round(v, 2)) for v in wc["load"]],
                "capacity": [float(round(v, 2)) for v in wc["capacity"]],
            }
            for wc in load["work_centers"]
        ],
    }


@staff_required(VIEW_RUNS, VIEW_PLANNED)
def dashboard(request: HttpRequest) -> HttpResponse:
    """The planner's page: the last run, shortages, orders to firm, exceptions, load."""
    today = timezone.localdate()
    load = selectors.work_center_load(start=today, days=LOAD_DAYS)
    shortages = selectors.shortage_list()
    to_firm = selectors.planned_order_list().filter(status=PlannedOrder.Status.PLANNED)
    exceptions = selectors.exception_message_list()
    return render(
        request,
        "planning/dashboard.html",
        {
            "active_run": selectors.mrp_run_active(),
            "last_run": selectors.mrp_run_last_done(),
            "shortages": shortages[:DASHBOARD_ROWS],
            "shortage_count": shortages.count(),
            "to_firm": to_firm[:DASHBOARD_ROWS],
            "to_firm_count": to_firm.count(),
            "exceptions": exceptions[:DASHBOARD_ROWS],
            "exception_count": exceptions.count(),
            "load": _chart(load),
            "has_load": bool(load["work_centers"]),
            "can_run": request.user.has_perm("planning.run_mrp"),
        },
    )


@staff_required(VIEW_RUNS, "planning.run_mrp")
@require_POST
def run_start(request: HttpRequest) -> HttpResponse:
    """Start a regenerative run and show its page (refused while another one is active)."""
    try:
        run = services.mrp_run_start(actor=request.user, enqueue=enqueue_mrp_run)
    except DomainError as exc:
        messages.error(request, error_text(exc))
        return redirect("planning:dashboard")
    return redirect("planning:run-detail", pk=run.pk)


@staff_required(VIEW_RUNS)
def run_list(request: HttpRequest) -> HttpResponse:
    """Every run, newest first."""
    page_obj = Paginator(selectors.mrp_run_list(), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "planning/run_list.html", {"page_obj": page_obj})


@staff_required(VIEW_RUNS)
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A run with its progress bar (polled while it is queued or running) and its figures."""
    run = get_object_or_404(selectors.mrp_run_list(), pk=pk)
    return render(request, "planning/run_detail.html", {"run": run})


@staff_required(VIEW_RUNS)
def run_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress bar alone, for htmx polling; it stops polling once the run ends."""
    run = get_object_or_404(MrpRun, pk=pk)
    return render(request, "planning/partials/run_progress.html", {"run": run})


@staff_required(VIEW_PLANNED)
def planned_order_list(request: HttpRequest) -> HttpResponse:
    """Planned orders by due date, filtered; firm or release the ticked ones."""
    form = PlannedOrderFilterForm(request.GET or None)
    orders = selectors.planned_order_list()
    if form.is_valid():
        data = form.cleaned_data
        if data["status"]:
            orders = orders.filter(status=data["status"])
        if data["kind"]:
            orders = orders.filter(kind=data["kind"])
        if data["item"]:
            orders = orders.filter(item=data["item"])
        if data["short"]:
            orders = orders.filter(is_short=True)
    elif not request.GET:
        orders = orders.exclude(status=PlannedOrder.Status.RELEASED)
    run = request.GET.get("run", "")
    if run.isdigit():
        orders = orders.filter(run_id=int(run))
    page_obj = Paginator(orders, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "planning/planned_order_list.html",
        {
            "page_obj": page_obj,
            "filter_form": form,
            "query": query.urlencode(),
            "warehouses": Warehouse.objects.filter(is_active=True).order_by("code"),
            "can_firm": request.user.has_perm("planning.firm_plannedorder"),
            "can_release": request.user.has_perm("planning.release_plannedorder"),
        },
    )


@staff_required(VIEW_PLANNED)
@require_POST
def planned_order_bulk(request: HttpRequest) -> HttpResponse:
    """Firm, unfirm or release the ticked planned orders, all or nothing."""
    step = request.POST.get("step")
    needed = {
        "firm": "planning.firm_plannedorder",
        "unfirm": "planning.firm_plannedorder",
        "release": "planning.release_plannedorder",
    }.get(step or "")
    back = redirect(f"{reverse('planning:planned-order-list')}?{request.POST.get('query', '')}")
    if needed is None or not request.user.has_perm(needed):
        messages.error(request, _("You may not do this to the planned orders."))
        return back
    try:
        ids = [int(v) for v in request.POST.getlist("ids")]
    except ValueError:
        ids = []
    try:
        if step == "release":
            warehouse = Warehouse.objects.filter(
                pk=request.POST.get("warehouse") or 0, is_active=True
            ).first()
            orders = services.planned_orders_release(
                ids=ids, actor=request.user, warehouse=warehouse
            )
            messages.success(
                request, _("%(count)d planned orders released.") % {"count": len(orders)}
            )
        elif step == "firm":
            orders = services.planned_orders_firm(ids=ids, actor=request.user)
            messages.success(
                request, _("%(count)d planned orders firmed.") % {"count": len(orders)}
            )
        else:
            orders = services.planned_orders_unfirm(ids=ids, actor=request.user)
            messages.success(
                request, _("%(count)d planned orders given back to MRP.") % {"count": len(orders)}
            )
    except (ValidationError, DomainError) as exc:
        messages.error(request, error_text(exc))
    return back


@staff_required(VIEW_PLANNED)
def planned_order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A planned order and what it serves (its pegs), up to the sales orders behind it."""
    order = get_object_or_404(selectors.planned_order_list(with_pegs=True), pk=pk)
    return render(
        request,
        "planning/planned_order_detail.html",
        {"order": order, "roots": selectors.planned_order_roots(order=order)},
    )


@staff_required("planning.view_exceptionmessage")
def exception_list(request: HttpRequest) -> HttpResponse:
    """The current exception messages, by date."""
    page_obj = Paginator(selectors.exception_message_list(), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "planning/exception_list.html", {"page_obj": page_obj})


@staff_required("planning.view_shortage")
def shortage_list(request: HttpRequest) -> HttpResponse:
    """The current shortages, the earliest first."""
    page_obj = Paginator(selectors.shortage_list(), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "planning/shortage_list.html", {"page_obj": page_obj})


@staff_required("planning.view_forecast")
@require_http_methods(["GET", "POST"])
def forecast_list(request: HttpRequest) -> HttpResponse:
    """Forecasts by item and period, with a form to add one."""
    can_add = request.user.has_perm("planning.add_forecast")
    form = ForecastForm(request.POST or None) if can_add else None
    if request.method == "POST":
        if form is None:
            messages.error(request, _("You may not add forecasts."))
            return redirect("planning:forecast-list")
        if form.is_valid():
            try:
                services.forecast_create(**form.cleaned_data)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("Forecast saved."))
                return redirect("planning:forecast-list")
    page_obj = Paginator(selectors.forecast_list(), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "planning/forecast_list.html",
        {"page_obj": page_obj, "form": form, "today": timezone.localdate()},
    )


@staff_required("planning.delete_forecast")
@require_POST
def forecast_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete a forecast."""
    services.forecast_delete(forecast=get_object_or_404(Forecast, pk=pk))
    messages.success(request, _("Forecast deleted."))
    return redirect("planning:forecast-list")
