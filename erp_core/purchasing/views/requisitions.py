"""Pages of purchase requisitions: list, detail, create, edit, status actions, make an order."""

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
from erp_core.documents.printing import xlsx_response
from erp_core.documents.views import ERP, OPTIONAL, Step, StepTable, error_text, staff_required
from erp_core.purchasing import selectors, services
from erp_core.purchasing.forms import (
    RequisitionForm,
    RequisitionLineFormSet,
    RequisitionOrderForm,
)
from erp_core.purchasing.models import PurchaseRequisition
from erp_core.purchasing.views.common import PER_PAGE, date_param

Status = PurchaseRequisition.Status

STEPS = StepTable(
    argument="requisition",
    detail="purchasing:requisition-detail",
    url="purchasing:requisition-action",
    steps=(
        Step(
            "approve",
            services.purchase_requisition_approve,
            "purchasing.approve_purchaserequisition",
            gettext_lazy("Requisition %(document)s was approved."),
            label=gettext_lazy("Approve"),
            when=lambda requisition: requisition.is_draft,
        ),
        Step(
            "void",
            services.purchase_requisition_void,
            "purchasing.change_purchaserequisition",
            gettext_lazy("Requisition %(document)s was voided."),
            label=gettext_lazy("Void"),
            reason=OPTIONAL,
            button_class="btn-outline-danger",
            when=lambda requisition: requisition.is_draft,
        ),
        Step(
            "unapprove",
            services.purchase_requisition_unapprove,
            "purchasing.approve_purchaserequisition",
            gettext_lazy("Requisition %(document)s is saved again and may be changed."),
            label=gettext_lazy("Unapprove"),
            button_class="btn-outline-secondary",
            when=lambda requisition: requisition.status == Status.APPROVED,
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
    return args, selectors.purchase_requisition_list(**args)


@staff_required("purchasing.view_purchaserequisition", modules=(ERP,))
@vary_on_headers("HX-Request")
def requisition_list(request: HttpRequest) -> HttpResponse:
    """Requisitions, newest first, filtered by status, dates and number or memo."""
    args, requisitions = _filtered(request)
    page_obj = Paginator(requisitions, PER_PAGE).get_page(request.GET.get("page"))
    template = (
        "purchasing/partials/requisition_table.html"
        if wants_partial(request)
        else "purchasing/requisition_list.html"
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


@staff_required("purchasing.view_purchaserequisition", modules=(ERP,))
def requisition_export(request: HttpRequest) -> HttpResponse:
    """The listed requisitions' lines (same filters) as an Excel sheet."""
    _args, requisitions = _filtered(request)
    rows = (
        (
            requisition.number,
            requisition.date,
            requisition.get_status_display(),
            line.line_no,
            line.item.code,
            line.item.name,
            line.quantity,
            line.ordered_quantity,
            line.needed_by,
            line.suggested_supplier.code if line.suggested_supplier else "",
            requisition.memo,
        )
        for requisition in requisitions
        for line in requisition.lines.all()
    )
    return xlsx_response(
        filename=f"purchase-requisitions-{timezone.localdate():%Y%m%d}.xlsx",
        title=_("Purchase requisitions"),
        headers=[
            _("Number"),
            _("Date"),
            _("Status"),
            _("Line"),
            _("Item code"),
            _("Item"),
            _("Quantity"),
            _("Ordered"),
            _("Needed by"),
            _("Suggested supplier"),
            _("Memo"),
        ],
        rows=rows,
    )


@staff_required("purchasing.view_purchaserequisition", modules=(ERP,))
def requisition_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One requisition with its lines, the orders made from it and its history."""
    requisition = get_object_or_404(selectors.purchase_requisition_detail_list(), pk=pk)
    orders = list(
        selectors.purchase_order_list()
        .filter(lines__requisition_line__requisition=requisition)
        .distinct()
    )
    return render(
        request,
        "purchasing/requisition_detail.html",
        {
            "requisition": requisition,
            "lines": list(requisition.lines.all()),
            "orders": orders,
            "steps": STEPS.buttons(request.user, requisition, hide=["unapprove"] if orders else []),
            "history": history_rows(requisition),
        },
    )


def _line_inputs(formset) -> list[dict]:
    return [
        {key: value for key, value in line.items() if value not in (None, "")}
        for line in formset.cleaned_data
        if line and line.get("item")
    ]


def _initial_lines(requisition: PurchaseRequisition) -> list[dict]:
    return [
        {
            "item": line.item_id,
            "quantity": line.quantity,
            "needed_by": line.needed_by,
            "suggested_supplier": line.suggested_supplier_id,
        }
        for line in requisition.lines.all()
    ]


@staff_required("purchasing.add_purchaserequisition", modules=(ERP,))
@require_http_methods(["GET", "POST"])
def requisition_create(request: HttpRequest) -> HttpResponse:
    """Save a new requisition: a head form and a formset of lines."""
    if request.method == "POST":
        form = RequisitionForm(request.POST)
        formset = RequisitionLineFormSet(request.POST, prefix="lines")
        if form.is_valid() and formset.is_valid():
            try:
                requisition = services.purchase_requisition_create(
                    **form.cleaned_data, lines=_line_inputs(formset), actor=request.user
                )
            except (ValidationError, DomainError) as exc:
                form.add_error(None, error_text(exc))
            else:
                messages.success(
                    request, _("Requisition %(document)s was saved.") % {"document": requisition}
                )
                return redirect("purchasing:requisition-detail", pk=requisition.pk)
    else:
        form = RequisitionForm(initial={"date": timezone.localdate()})
        formset = RequisitionLineFormSet(prefix="lines")
    return render(
        request,
        "purchasing/requisition_form.html",
        {"form": form, "formset": formset, "requisition": None},
    )


@staff_required("purchasing.change_purchaserequisition", modules=(ERP,))
@require_http_methods(["GET", "POST"])
def requisition_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a saved requisition; its lines are replaced by the formset's."""
    requisition = get_object_or_404(selectors.purchase_requisition_detail_list(), pk=pk)
    if not requisition.is_draft:
        messages.error(request, _("Only a saved requisition can be changed."))
        return redirect("purchasing:requisition-detail", pk=pk)
    if request.method == "POST":
        form = RequisitionForm(request.POST)
        formset = RequisitionLineFormSet(request.POST, prefix="lines")
        if form.is_valid() and formset.is_valid():
            try:
                requisition = services.purchase_requisition_update(
                    requisition=requisition,
                    expected_revision=int(request.POST.get("revision") or requisition.revision),
                    **form.cleaned_data,
                    lines=_line_inputs(formset),
                    actor=request.user,
                )
            except (ValidationError, DomainError) as exc:
                form.add_error(None, error_text(exc))
            else:
                messages.success(
                    request, _("Requisition %(document)s was saved.") % {"document": requisition}
                )
                return redirect("purchasing:requisition-detail", pk=requisition.pk)
    else:
        form = RequisitionForm(initial={"date": requisition.date, "memo": requisition.memo})
        formset = RequisitionLineFormSet(prefix="lines", initial=_initial_lines(requisition))
    return render(
        request,
        "purchasing/requisition_form.html",
        {"form": form, "formset": formset, "requisition": requisition},
    )


@staff_required("purchasing.view_purchaserequisition", modules=(ERP,))
@require_POST
def requisition_action(request: HttpRequest, pk: int, verb: str) -> HttpResponse:
    """Approve, unapprove or void a requisition (a button on its page)."""
    return STEPS.run(request, get_object_or_404(PurchaseRequisition, pk=pk), verb)


@staff_required(
    "purchasing.view_purchaserequisition", "purchasing.add_purchaseorder", modules=(ERP,)
)
@require_http_methods(["GET", "POST"])
def requisition_order(request: HttpRequest, pk: int) -> HttpResponse:
    """Make a draft order from the requisition's lines that are still to be ordered."""
    requisition = get_object_or_404(selectors.purchase_requisition_detail_list(), pk=pk)
    open_lines = [line for line in requisition.lines.all() if line.ordered_quantity < line.quantity]
    if request.method == "POST":
        form = RequisitionOrderForm(request.POST)
        if form.is_valid():
            try:
                order = services.purchase_order_create_from_requisitions(
                    requisition_lines=open_lines, **form.cleaned_data, actor=request.user
                )
            except (ValidationError, DomainError) as exc:
                form.add_error(None, error_text(exc))
            else:
                messages.success(
                    request,
                    _("Order %(order)s was saved from requisition %(requisition)s.")
                    % {"order": order, "requisition": requisition},
                )
                return redirect("purchasing:order-detail", pk=order.pk)
    else:
        suggested = next(
            (line.suggested_supplier_id for line in open_lines if line.suggested_supplier_id),
            None,
        )
        form = RequisitionOrderForm(initial={"supplier": suggested, "date": timezone.localdate()})
    return render(
        request,
        "purchasing/requisition_order.html",
        {"requisition": requisition, "open_lines": open_lines, "form": form},
    )
