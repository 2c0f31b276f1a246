"""Staff pages of items: list with search, filters and Excel export, detail, create, edit."""

from copy import copy

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
from erp_core.masterdata import selectors, services
from erp_core.masterdata.forms import ItemFilterForm, ItemForm
from erp_core.masterdata.resources import ItemResource
from erp_core.masterdata.views.common import changed_fields

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
            changed = changed_fields(form, item)
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
