"""Staff pages of the ERP core: home, partners, items, warehouses, work centers and BOMs.

Views only call selectors (reads) and services (writes); forms validate and display errors.
"""

from copy import copy
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django.views.decorators.vary import vary_on_headers
from import_export.formats.base_formats import XLSX

from common.history import history_rows
from common.htmx import wants_partial
from erp_core import selectors, services
from erp_core.forms import BomExplodeForm, ItemFilterForm, ItemForm, PartnerForm
from erp_core.resources import ItemResource

PARTNERS_PER_PAGE = 25


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The home page: an entry card per module the user may open."""
    return render(request, "erp_core/home.html")


@login_required
@permission_required(["erp_core.access_erp", "erp_core.view_partner"], raise_exception=True)
@vary_on_headers("HX-Request")
def partner_list(request: HttpRequest) -> HttpResponse:
    """Partners, searched by code, name or tax id (``q``), a page at a time."""
    search = request.GET.get("q", "").strip()
    partners = selectors.partner_list(user=request.user, search=search)
    page_obj = Paginator(partners, PARTNERS_PER_PAGE).get_page(request.GET.get("page"))
    template = (
        "erp_core/partials/partner_table.html"
        if wants_partial(request)
        else "erp_core/partner_list.html"
    )
    return render(request, template, {"page_obj": page_obj, "q": search})


@login_required
@permission_required(["erp_core.access_erp", "erp_core.view_partner"], raise_exception=True)
def partner_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One partner and its change history: who changed which field, when."""
    partner = get_object_or_404(selectors.partner_list(user=request.user), pk=pk)
    return render(
        request,
        "erp_core/partner_detail.html",
        {"partner": partner, "history": history_rows(partner)},
    )


@login_required
@permission_required(["erp_core.access_erp", "erp_core.add_partner"], raise_exception=True)
@require_http_methods(["GET", "POST"])
def partner_create(request: HttpRequest) -> HttpResponse:
    """Create a partner: the form validates, ``partner_create`` saves."""
    form = PartnerForm(request.POST) if request.method == "POST" else PartnerForm()
    if request.method == "POST" and form.is_valid():
        try:
            partner = services.partner_create(**form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Partner %(partner)s was created.") % {"partner": partner})
            return redirect("erp_core:partner-detail", pk=partner.pk)
    return render(request, "erp_core/partner_form.html", {"form": form, "partner": None})


@login_required
@permission_required(["erp_core.access_erp", "erp_core.change_partner"], raise_exception=True)
@require_http_methods(["GET", "POST"])
def partner_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a partner: only the fields that changed go to ``partner_update``."""
    partner = get_object_or_404(selectors.partner_list(user=request.user), pk=pk)
    if request.method != "POST":
        form = PartnerForm(instance=partner)
    else:
        # The form validates a copy: a refused edit must not show its values as the partner's.
        form = PartnerForm(request.POST, instance=copy(partner))
        if form.is_valid():
            changed = _changed_fields(form, partner)
            try:
                if changed:
                    partner = services.partner_update(partner=partner, **changed)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if changed:
                    messages.success(
                        request, _("Partner %(partner)s was saved.") % {"partner": partner}
                    )
                else:
                    messages.info(request, _("Nothing was changed."))
                return redirect("erp_core:partner-detail", pk=partner.pk)
    return render(request, "erp_core/partner_form.html", {"form": form, "partner": partner})


def _changed_fields(form, instance) -> dict:
    """The fields whose cleaned value differs from the saved object's, for an ``_update``."""
    return {
        name: form.cleaned_data[name]
        for name in form.changed_data
        if form.cleaned_data[name] != getattr(instance, name)
    }


# --- Items ------------------------------------------------------------------------------------

ITEMS_PER_PAGE = 25


def _item_filters(request: HttpRequest) -> tuple[ItemFilterForm, dict]:
    """The item list's filter form and the selector arguments it yields (bad values ignored)."""
    form = ItemFilterForm(request.GET or None, categories=selectors.item_category_list())
    args = {"search": request.GET.get("q", "").strip()}
    if form.is_valid():
        args["category"] = form.cleaned_data["category"]
        args["item_type"] = form.cleaned_data["item_type"]
    return form, args


@login_required
@permission_required(["erp_core.access_erp", "erp_core.view_item"], raise_exception=True)
@vary_on_headers("HX-Request")
def item_list(request: HttpRequest) -> HttpResponse:
    """Items searched by code, name, barcode or pinyin initials, filtered by category and type."""
    form, args = _item_filters(request)
    items = selectors.item_list(**args)
    page_obj = Paginator(items, ITEMS_PER_PAGE).get_page(request.GET.get("page"))
    template = (
        "erp_core/partials/item_table.html" if wants_partial(request) else "erp_core/item_list.html"
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


@login_required
@permission_required(["erp_core.access_erp", "erp_core.view_item"], raise_exception=True)
def item_export(request: HttpRequest) -> HttpResponse:
    """The listed items (same search and filters) as an Excel sheet, importable in the admin."""
    _form, args = _item_filters(request)
    dataset = ItemResource().export(queryset=selectors.item_list(**args))
    content = XLSX().export_data(dataset)
    stamp = timezone.localdate().strftime("%Y%m%d")
    response = HttpResponse(content, content_type=XLSX().get_content_type())
    response["Content-Disposition"] = f'attachment; filename="items-{stamp}.xlsx"'
    return response


@login_required
@permission_required(["erp_core.access_erp", "erp_core.view_item"], raise_exception=True)
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One item: its data, BOM versions, routings, where it is used, and its change history."""
    item = get_object_or_404(selectors.item_list(), pk=pk)
    return render(
        request,
        "erp_core/item_detail.html",
        {
            "item": item,
            "boms": selectors.bom_list(item=item),
            "routings": selectors.routing_list(item=item),
            "where_used": selectors.item_where_used(item=item),
            "history": history_rows(item),
        },
    )


@login_required
@permission_required(["erp_core.access_erp", "erp_core.add_item"], raise_exception=True)
@require_http_methods(["GET", "POST"])
def item_create(request: HttpRequest) -> HttpResponse:
    """Create an item: the form validates, ``item_create`` saves (and fills the initials)."""
    form = ItemForm(request.POST) if request.method == "POST" else ItemForm()
    if request.method == "POST" and form.is_valid():
        try:
            item = services.item_create(**form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Item %(item)s was created.") % {"item": item})
            return redirect("erp_core:item-detail", pk=item.pk)
    return render(request, "erp_core/item_form.html", {"form": form, "item": None})


@login_required
@permission_required(["erp_core.access_erp", "erp_core.change_item"], raise_exception=True)
@require_http_methods(["GET", "POST"])
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change an item: only the fields that changed go to ``item_update``."""
    item = get_object_or_404(selectors.item_list(), pk=pk)
    if request.method != "POST":
        form = ItemForm(instance=item)
    else:
        form = ItemForm(request.POST, instance=copy(item))
        if form.is_valid():
            changed = _changed_fields(form, item)
            try:
                if changed:
                    item = services.item_update(item=item, **changed)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if changed:
                    messages.success(request, _("Item %(item)s was saved.") % {"item": item})
                else:
                    messages.info(request, _("Nothing was changed."))
                return redirect("erp_core:item-detail", pk=item.pk)
    return render(request, "erp_core/item_form.html", {"form": form, "item": item})


# --- Warehouses, work centers ------------------------------------------------------------------


@login_required
@permission_required(["erp_core.access_erp", "erp_core.view_warehouse"], raise_exception=True)
def warehouse_list(request: HttpRequest) -> HttpResponse:
    """Warehouses, searched by code or name."""
    search = request.GET.get("q", "").strip()
    page_obj = Paginator(selectors.warehouse_list(search=search), ITEMS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "erp_core/warehouse_list.html", {"page_obj": page_obj, "q": search})


@login_required
@permission_required(["erp_core.access_erp", "erp_core.view_workcenter"], raise_exception=True)
def work_center_list(request: HttpRequest) -> HttpResponse:
    """Work centers with their calendar and daily capacity, searched by code or name."""
    search = request.GET.get("q", "").strip()
    page_obj = Paginator(selectors.work_center_list(search=search), ITEMS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "erp_core/work_center_list.html", {"page_obj": page_obj, "q": search})


# --- Bills of materials ------------------------------------------------------------------------


@login_required
@permission_required(["erp_core.access_erp", "erp_core.view_billofmaterials"], raise_exception=True)
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
