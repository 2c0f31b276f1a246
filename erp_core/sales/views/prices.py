"""Pages of price lists: list, detail with the rows (quantity breaks), create and edit."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from common.errors import DomainError
from common.history import history_rows
from erp_core.documents.views import ERP, error_text, staff_required
from erp_core.sales import selectors, services
from erp_core.sales.forms import PriceListForm, PriceListItemFormSet, plain
from erp_core.sales.models import PriceList


@staff_required("sales.view_pricelist", modules=(ERP,))
def price_list_list(request: HttpRequest) -> HttpResponse:
    """Price lists by code, searched by code or name."""
    search = request.GET.get("q", "").strip()
    return render(
        request,
        "sales/price_list_list.html",
        {"price_lists": selectors.price_list_list(search=search), "q": search},
    )


@staff_required("sales.view_pricelist", modules=(ERP,))
def price_list_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One price list with its rows and change history."""
    price_list = get_object_or_404(selectors.price_list_detail_list(), pk=pk)
    return render(
        request,
        "sales/price_list_detail.html",
        {
            "price_list": price_list,
            "rows": list(price_list.items.all()),
            "history": history_rows(price_list),
        },
    )


def _save(request: HttpRequest, price_list: PriceList | None) -> HttpResponse:
    if request.method == "POST":
        form = PriceListForm(request.POST)
        formset = PriceListItemFormSet(request.POST, prefix="items")
        if form.is_valid() and formset.is_valid():
            rows = [row for row in formset.cleaned_data if row and row.get("item")]
            for row in rows:
                row["min_quantity"] = row.get("min_quantity") or 0
            try:
                if price_list is None:
                    price_list = services.price_list_create(
                        **form.cleaned_data, items=rows, actor=request.user
                    )
                else:
                    price_list = services.price_list_update(
                        price_list=price_list, **form.cleaned_data, items=rows, actor=request.user
                    )
            except (ValidationError, DomainError) as exc:
                form.add_error(None, error_text(exc))
            else:
                messages.success(
                    request, _("Price list %(code)s was saved.") % {"code": price_list.code}
                )
                return redirect("sales:price-list-detail", pk=price_list.pk)
    elif price_list is None:
        form = PriceListForm(initial={"is_active": True})
        formset = PriceListItemFormSet(prefix="items")
    else:
        form = PriceListForm(
            initial={
                name: getattr(price_list, name)
                for name in ("code", "name", "valid_from", "valid_to", "is_default", "is_active")
            }
        )
        formset = PriceListItemFormSet(
            prefix="items",
            initial=[
                {
                    "item": row.item,
                    "min_quantity": plain(row.min_quantity),
                    "unit_price": plain(row.unit_price),
                }
                for row in price_list.items.select_related("item").order_by(
                    "item__code", "min_quantity"
                )
            ],
        )
    return render(
        request,
        "sales/price_list_form.html",
        {"form": form, "formset": formset, "price_list": price_list},
    )


@staff_required("sales.add_pricelist", modules=(ERP,))
@require_http_methods(["GET", "POST"])
def price_list_create(request: HttpRequest) -> HttpResponse:
    """A new price list with its rows."""
    return _save(request, None)


@staff_required("sales.change_pricelist", modules=(ERP,))
@require_http_methods(["GET", "POST"])
def price_list_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a price list; the rows given replace the old ones."""
    return _save(request, get_object_or_404(PriceList, pk=pk))
