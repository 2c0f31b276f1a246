"""Staff pages of bills of materials and routings: lists, detail, create, edit, new version.

A version is a header and its rows (BOM lines, routing operations) saved together by
``bom_create`` / ``bom_update`` (``routing_…``): a refusal — a cycle with its path, an
overlapping period, a bad row — comes back on the form and nothing is written.
"""

from copy import copy
from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from common.forms import show_refusal
from erp_core.masterdata import selectors, services
from erp_core.masterdata.forms import (
    BomExplodeForm,
    BomForm,
    BomLineFormSet,
    RoutingForm,
    RoutingOperationFormSet,
)
from erp_core.masterdata.views.common import ERP, ROWS_PER_PAGE, changed_fields, search_text
from erp_core.models import BillOfMaterials, Item, Routing


@dataclass(frozen=True)
class _Version:
    """BOM or routing: the forms, services and names the shared pages need."""

    model: type
    form: type
    formset: type
    create: str
    update: str
    keyword: str
    rows: str
    row_fields: tuple[str, ...]
    choice: str
    detail_url: str
    list_url: str
    list_label: Promise
    new_label: Promise


BOM = _Version(
    BillOfMaterials,
    BomForm,
    BomLineFormSet,
    "bom_create",
    "bom_update",
    "bom",
    "lines",
    services.BOM_LINE_FIELDS,
    "component",
    "erp_core:bom-detail",
    "erp_core:bom-list",
    gettext_lazy("Bills of materials"),
    gettext_lazy("New bill of materials"),
)
ROUTING = _Version(
    Routing,
    RoutingForm,
    RoutingOperationFormSet,
    "routing_create",
    "routing_update",
    "routing",
    "operations",
    services.ROUTING_OPERATION_FIELDS,
    "work_center",
    "erp_core:routing-detail",
    "erp_core:routing-list",
    gettext_lazy("Routings"),
    gettext_lazy("New routing"),
)


def _initial_rows(spec: _Version, header) -> list[dict]:
    """The rows of a saved version as the formset's initial values."""
    rows = getattr(header, spec.rows).all()
    return [{name: getattr(row, name) for name in spec.row_fields} for row in rows]


def _next_version(version: str) -> str:
    """The version after ``version`` when it is a number (2 after 1), else nothing to suggest."""
    return str(int(version) + 1) if version.isdigit() else ""


def _formset(spec: _Version, data=None, *, rows: list[dict] | None = None):
    """The rows' formset; ``rows`` (a saved version's) are its initial values and keep their
    items or work centers selectable even when inactive."""
    current = [row[spec.choice].pk for row in rows or ()]
    return spec.formset(
        data, prefix=spec.rows, initial=rows or None, form_kwargs={"current": current}
    )


def _version_page(
    request: HttpRequest, spec: _Version, *, header=None, source=None, item: Item | None = None
) -> HttpResponse:
    """Create (``header`` None), edit (``header``) or start a new version from ``source``."""
    editing = header is not None
    if request.method == "POST":
        form = spec.form(
            request.POST, instance=copy(header) if editing else None, item_fixed=editing
        )
        # The saved rows as initial values tell whether the rows changed (else kept as they are).
        saved_rows = _initial_rows(spec, header or source) if header or source else None
        formset = _formset(spec, request.POST, rows=saved_rows)
        if form.is_valid() and formset.is_valid():
            try:
                if editing:
                    rows = formset.rows() if formset.has_changed() else None
                    changed = changed_fields(form, header)
                    if rows is None and not changed:
                        messages.info(request, _("Nothing was changed."))
                        return redirect(spec.detail_url, pk=header.pk)
                    saved = getattr(services, spec.update)(
                        **{spec.keyword: header, spec.rows: rows}, **changed
                    )
                else:
                    saved = getattr(services, spec.create)(
                        **form.cleaned_data, **{spec.rows: formset.rows()}
                    )
            except ValidationError as error:
                show_refusal(form, error)
            else:
                text = _("%(object)s was saved.") if editing else _("%(object)s was created.")
                messages.success(request, text % {"object": saved})
                return redirect(spec.detail_url, pk=saved.pk)
    elif editing:
        form = spec.form(instance=header, item_fixed=True)
        formset = _formset(spec, rows=_initial_rows(spec, header))
    elif source is not None:
        form = spec.form(
            initial={
                "item": source.item,
                "version": _next_version(source.version),
                "valid_from": timezone.localdate(),
                "is_active": True,
            }
        )
        formset = _formset(spec, rows=_initial_rows(spec, source))
    else:
        form = spec.form(initial={"item": item, "valid_from": timezone.localdate()})
        formset = _formset(spec)
    if editing:
        title = _("Edit %(object)s") % {"object": header}
    elif source is not None:
        title = _("New version of %(object)s") % {"object": source}
    else:
        title = str(spec.new_label)
    back = header or source
    back_url = reverse(spec.detail_url, args=[back.pk]) if back else reverse(spec.list_url)
    return render(
        request,
        "erp_core/version_form.html",
        {
            "form": form,
            "formset": formset,
            "title": title,
            "header": header,
            "source": source,
            "list_url": reverse(spec.list_url),
            "list_label": spec.list_label,
            "back_url": back_url,
        },
    )


def _item_from_query(request: HttpRequest) -> Item | None:
    value = request.GET.get("item", "")
    return Item.objects.filter(pk=value).first() if value.isdigit() else None


def _active_filter(request: HttpRequest) -> tuple[str, bool | None]:
    value = request.GET.get("active", "")
    return value, {"yes": True, "no": False}.get(value)


def _version_list(request: HttpRequest, rows, template: str) -> HttpResponse:
    page_obj = Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        template,
        {"page_obj": page_obj, "q": search_text(request), "active": request.GET.get("active", "")},
    )


# --- Bills of materials ------------------------------------------------------------------------


@login_required
@permission_required([ERP, "erp_core.view_billofmaterials"], raise_exception=True)
def bom_list(request: HttpRequest) -> HttpResponse:
    """BOM versions searched by the item's code or name, optionally only (in)active ones."""
    _value, active = _active_filter(request)
    rows = selectors.bom_header_list(search=search_text(request), active=active)
    return _version_list(request, rows, "erp_core/bom_list.html")


@login_required
@permission_required([ERP, "erp_core.view_billofmaterials"], raise_exception=True)
def bom_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A BOM version, its lines and its multi-level explosion for a quantity on a date."""
    bom = get_object_or_404(selectors.bom_list(), pk=pk)
    form = BomExplodeForm(
        request.GET or None, initial={"quantity": 1, "date": timezone.localdate()}
    )
    quantity, on_date = Decimal(1), timezone.localdate()
    if form.is_bound and form.is_valid():
        quantity, on_date = form.cleaned_data["quantity"], form.cleaned_data["date"]
    explosion, error = None, None
    try:
        explosion = selectors.bom_explode(bom=bom, quantity=quantity, on_date=on_date)
    except ValidationError as exc:
        error = "; ".join(exc.messages)
    return render(
        request,
        "erp_core/bom_detail.html",
        {"bom": bom, "form": form, "explosion": explosion, "explosion_error": error},
    )


@login_required
@permission_required([ERP, "erp_core.add_billofmaterials"], raise_exception=True)
@require_http_methods(["GET", "POST"])
def bom_create(request: HttpRequest) -> HttpResponse:
    """Create a BOM version with its lines (``?item=`` pre-selects the parent item)."""
    return _version_page(request, BOM, item=_item_from_query(request))


@login_required
@permission_required([ERP, "erp_core.change_billofmaterials"], raise_exception=True)
@require_http_methods(["GET", "POST"])
def bom_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a BOM version's header and lines (lines are replaced only when they changed)."""
    return _version_page(request, BOM, header=get_object_or_404(selectors.bom_list(), pk=pk))


@login_required
@permission_required([ERP, "erp_core.add_billofmaterials"], raise_exception=True)
@require_http_methods(["GET", "POST"])
def bom_new_version(request: HttpRequest, pk: int) -> HttpResponse:
    """A new version of a BOM, starting from a copy of its lines; the old one is left as is."""
    return _version_page(request, BOM, source=get_object_or_404(selectors.bom_list(), pk=pk))


# --- Routings ----------------------------------------------------------------------------------


@login_required
@permission_required([ERP, "erp_core.view_routing"], raise_exception=True)
def routing_list(request: HttpRequest) -> HttpResponse:
    """Routing versions searched by the item's code or name, optionally only (in)active ones."""
    _value, active = _active_filter(request)
    rows = selectors.routing_header_list(search=search_text(request), active=active)
    return _version_list(request, rows, "erp_core/routing_list.html")


@login_required
@permission_required([ERP, "erp_core.view_routing"], raise_exception=True)
def routing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A routing version and its operations with their times."""
    routing = get_object_or_404(selectors.routing_list(), pk=pk)
    operations = list(routing.operations.all())
    return render(
        request,
        "erp_core/routing_detail.html",
        {
            "routing": routing,
            "operations": operations,
            "setup_total": sum((op.setup_minutes for op in operations), Decimal(0)),
            "run_total": sum((op.run_minutes_per_unit for op in operations), Decimal(0)),
        },
    )


@login_required
@permission_required([ERP, "erp_core.add_routing"], raise_exception=True)
@require_http_methods(["GET", "POST"])
def routing_create(request: HttpRequest) -> HttpResponse:
    """Create a routing version with its operations (``?item=`` pre-selects the item)."""
    return _version_page(request, ROUTING, item=_item_from_query(request))


@login_required
@permission_required([ERP, "erp_core.change_routing"], raise_exception=True)
@require_http_methods(["GET", "POST"])
def routing_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a routing version's header and operations."""
    routing = get_object_or_404(selectors.routing_list(), pk=pk)
    return _version_page(request, ROUTING, header=routing)


@login_required
@permission_required([ERP, "erp_core.add_routing"], raise_exception=True)
@require_http_methods(["GET", "POST"])
def routing_new_version(request: HttpRequest, pk: int) -> HttpResponse:
    """A new version of a routing, starting from a copy of its operations."""
    routing = get_object_or_404(selectors.routing_list(), pk=pk)
    return _version_page(request, ROUTING, source=routing)
