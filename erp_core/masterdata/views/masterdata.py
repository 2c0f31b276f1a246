"""Staff pages of the master data behind items: units of measure and their conversions, item
categories, tax codes, currencies and exchange rates, warehouses and work centers.

Each kind has a list and shared create and edit pages; the form validates, the kind's service
(``unit_create``, ``unit_update``…) saves, and a service's refusal is shown on the form.
"""

from collections.abc import Callable
from copy import copy
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from common.forms import show_refusal
from erp_core.masterdata import selectors, services
from erp_core.masterdata.forms import (
    CurrencyForm,
    ExchangeRateForm,
    ItemCategoryForm,
    TaxCodeForm,
    UnitConversionForm,
    UnitForm,
    WarehouseForm,
    WorkCenterForm,
)
from erp_core.masterdata.views.common import ERP, ROWS_PER_PAGE, changed_fields, search_text
from erp_core.models import (
    Currency,
    ExchangeRate,
    ItemCategory,
    TaxCode,
    UnitConversion,
    UnitOfMeasure,
    Warehouse,
    WorkCenter,
)


@dataclass(frozen=True)
class _Kind:
    """A kind of master data on the shared form page: its form, services and where it lives."""

    model: type[Model]
    form: type
    create: str
    update: str
    keyword: str
    list_url: str
    list_label: Promise

    @property
    def label(self) -> str:
        return capfirst(str(self.model._meta.verbose_name))

    def service(self, name: str) -> Callable[..., Model]:
        """The service function named ``name`` (looked up when called)."""
        return getattr(services, name)


def _form_page(request, kind: _Kind, form, *, obj=None, cancel: str, crumbs=()) -> HttpResponse:
    title = (
        _("Edit %(object)s") % {"object": obj}
        if obj is not None
        else _("New %(kind)s") % {"kind": kind.model._meta.verbose_name}
    )
    return render(
        request,
        "erp_core/masterdata_form.html",
        {
            "form": form,
            "object": obj,
            "title": title,
            "crumbs": [(kind.list_label, reverse(kind.list_url)), *crumbs],
            "cancel_url": cancel,
        },
    )


def _create(request, kind: _Kind, *, done, initial=None, instance=None, using=None, crumbs=()):
    """GET: the empty form; POST: validate, call the create service with ``using`` too."""
    form_args = {"instance": instance} if instance is not None else {}
    if request.method != "POST":
        form = kind.form(initial=initial, **form_args)
    else:
        form = kind.form(request.POST, **form_args)
        if form.is_valid():
            try:
                obj = kind.service(kind.create)(**form.cleaned_data, **(using or {}))
            except ValidationError as error:
                show_refusal(form, error)
            else:
                messages.success(
                    request,
                    _("%(kind)s %(object)s was created.") % {"kind": kind.label, "object": obj},
                )
                return redirect(done(obj))
    cancel = crumbs[-1][1] if crumbs else reverse(kind.list_url)
    return _form_page(request, kind, form, cancel=cancel, crumbs=crumbs)


def _edit(request, kind: _Kind, obj, *, done, crumbs=()):
    """GET: the form with the object; POST: only the fields that changed go to the service."""
    if request.method != "POST":
        form = kind.form(instance=obj)
    else:
        # The form validates a copy: a refused edit must not show its values as the object's.
        form = kind.form(request.POST, instance=copy(obj))
        if form.is_valid():
            changed = changed_fields(form, obj)
            try:
                if changed:
                    obj = kind.service(kind.update)(**{kind.keyword: obj}, **changed)
            except ValidationError as error:
                show_refusal(form, error)
            else:
                if changed:
                    messages.success(
                        request,
                        _("%(kind)s %(object)s was saved.") % {"kind": kind.label, "object": obj},
                    )
                else:
                    messages.info(request, _("Nothing was changed."))
                return redirect(done(obj))
    return _form_page(request, kind, form, obj=obj, cancel=done(obj), crumbs=crumbs)


def _search_page(request, rows, template: str, **context) -> HttpResponse:
    """A list page: ``rows`` a page at a time."""
    page_obj = Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, template, {"page_obj": page_obj, **context})


# --- Units of measure and conversions ----------------------------------------------------------

UNIT = _Kind(
    UnitOfMeasure,
    UnitForm,
    "unit_create",
    "unit_update",
    "unit",
    "erp_core:unit-list",
    gettext_lazy("Units of measure"),
)
CONVERSION = _Kind(
    UnitConversion,
    UnitConversionForm,
    "unit_conversion_create",
    "unit_conversion_update",
    "conversion",
    "erp_core:unit-list",
    gettext_lazy("Units of measure"),
)


def _unit_url(unit) -> str:
    return reverse("erp_core:unit-detail", args=[unit.pk])


@login_required
@permission_required([ERP, "erp_core.view_unitofmeasure"], raise_exception=True)
def unit_list(request: HttpRequest) -> HttpResponse:
    """Units of measure, searched by code or name."""
    search = search_text(request)
    return _search_page(
        request, selectors.unit_list(search=search), "erp_core/unit_list.html", q=search
    )


@login_required
@permission_required([ERP, "erp_core.view_unitofmeasure"], raise_exception=True)
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A unit and the conversions from or to it (general and per item)."""
    unit = get_object_or_404(selectors.unit_list(), pk=pk)
    return render(
        request,
        "erp_core/unit_detail.html",
        {"unit": unit, "conversions": selectors.unit_conversion_list(unit=unit)},
    )


@login_required
@permission_required([ERP, "erp_core.add_unitofmeasure"], raise_exception=True)
@require_http_methods(["GET", "POST"])
def unit_create(request: HttpRequest) -> HttpResponse:
    """Create a unit of measure through ``unit_create``."""
    return _create(request, UNIT, done=_unit_url)


@login_required
@permission_required([ERP, "erp_core.change_unitofmeasure"], raise_exception=True)
@require_http_methods(["GET", "POST"])
def unit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a unit of measure through ``unit_update``."""
    unit = get_object_or_404(selectors.unit_list(), pk=pk)
    return _edit(request, UNIT, unit, done=_unit_url)


@login_required
@permission_required([ERP, "erp_core.add_unitconversion"], raise_exception=True)
@require_http_methods(["GET", "POST"])
def unit_conversion_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a conversion from the unit of the page (1 unit = factor × another unit)."""
    unit = get_object_or_404(selectors.unit_list(), pk=pk)
    return _create(
        request,
        CONVERSION,
        done=lambda conversion: _unit_url(unit),
        initial={"from_unit": unit},
        crumbs=[(unit.code, _unit_url(unit))],
    )


@login_required
@permission_required([ERP, "erp_core.change_unitconversion"], raise_exception=True)
@require_http_methods(["GET", "POST"])
def unit_conversion_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a unit conversion through ``unit_conversion_update``."""
    conversion = get_object_or_404(selectors.unit_conversion_list(), pk=pk)
    return _edit(
        request,
        CONVERSION,
        conversion,
        done=lambda obj: _unit_url(obj.from_unit),
        crumbs=[(conversion.from_unit.code, _unit_url(conversion.from_unit))],
    )


# --- Item categories ---------------------------------------------------------------------------

CATEGORY = _Kind(
    ItemCategory,
    ItemCategoryForm,
    "item_category_create",
    "item_category_update",
    "category",
    "erp_core:category-list",
    gettext_lazy("Item categories"),
)


def _category_list_url(category=None) -> str:
    return reverse("erp_core:category-list")


@login_required
@permission_required([ERP, "erp_core.view_itemcategory"], raise_exception=True)
def category_list(request: HttpRequest) -> HttpResponse:
    """The item category tree, indented by depth."""
    return render(request, "erp_core/category_list.html", {"nodes": selectors.item_category_tree()})


@login_required
@permission_required([ERP, "erp_core.add_itemcategory"], raise_exception=True)
@require_http_methods(["GET", "POST"])
def category_create(request: HttpRequest) -> HttpResponse:
    """Create a category, under the one given as ``?parent=`` if any."""
    parent = request.GET.get("parent", "")
    initial = {"parent": parent} if parent.isdigit() else None
    return _create(request, CATEGORY, done=_category_list_url, initial=initial)


@login_required
@permission_required([ERP, "erp_core.change_itemcategory"], raise_exception=True)
@require_http_methods(["GET", "POST"])
def category_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change or move a category; moving it under itself or a descendant is refused."""
    category = get_object_or_404(selectors.item_category_list(), pk=pk)
    return _edit(request, CATEGORY, category, done=_category_list_url)


# --- Tax codes ---------------------------------------------------------------------------------

TAX_CODE = _Kind(
    TaxCode,
    TaxCodeForm,
    "tax_code_create",
    "tax_code_update",
    "tax_code",
    "erp_core:tax-code-list",
    gettext_lazy("Tax codes"),
)


def _tax_code_list_url(tax_code=None) -> str:
    return reverse("erp_core:tax-code-list")


@login_required
@permission_required([ERP, "erp_core.view_taxcode"], raise_exception=True)
def tax_code_list(request: HttpRequest) -> HttpResponse:
    """Tax codes (VAT rates), searched by code or name."""
    search = search_text(request)
    return _search_page(
        request, selectors.tax_code_list(search=search), "erp_core/tax_code_list.html", q=search
    )


@login_required
@permission_required([ERP, "erp_core.add_taxcode"], raise_exception=True)
@require_http_methods(["GET", "POST"])
def tax_code_create(request: HttpRequest) -> HttpResponse:
    """Create a tax code through ``tax_code_create``."""
    return _create(request, TAX_CODE, done=_tax_code_list_url)


@login_required
@permission_required([ERP, "erp_core.change_taxcode"], raise_exception=True)
@require_http_methods(["GET", "POST"])
def tax_code_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a tax code through ``tax_code_update``."""
    tax_code = get_object_or_404(selectors.tax_code_list(), pk=pk)
    return _edit(request, TAX_CODE, tax_code, done=_tax_code_list_url)


# --- Currencies and exchange rates -------------------------------------------------------------

CURRENCY = _Kind(
    Currency,
    CurrencyForm,
    "currency_create",
    "currency_update",
    "currency",
    "erp_core:currency-list",
    gettext_lazy("Currencies"),
)
RATE = _Kind(
    ExchangeRate,
    ExchangeRateForm,
    "exchange_rate_create",
    "exchange_rate_update",
    "exchange_rate",
    "erp_core:currency-list",
    gettext_lazy("Currencies"),
)
RATES_PER_PAGE = 50


def _currency_url(currency) -> str:
    return reverse("erp_core:currency-detail", args=[currency.pk])


@login_required
@permission_required([ERP, "erp_core.view_currency"], raise_exception=True)
def currency_list(request: HttpRequest) -> HttpResponse:
    """Currencies, searched by ISO code or name."""
    search = search_text(request)
    return _search_page(
        request, selectors.currency_list(search=search), "erp_core/currency_list.html", q=search
    )


@login_required
@permission_required(
    [ERP, "erp_core.view_currency", "erp_core.view_exchangerate"], raise_exception=True
)
def currency_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A currency and its exchange rates, newest first."""
    currency = get_object_or_404(selectors.currency_list(), pk=pk)
    page_obj = Paginator(selectors.exchange_rate_list(currency=currency), RATES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request, "erp_core/currency_detail.html", {"currency": currency, "page_obj": page_obj}
    )


@login_required
@permission_required([ERP, "erp_core.add_currency"], raise_exception=True)
@require_http_methods(["GET", "POST"])
def currency_create(request: HttpRequest) -> HttpResponse:
    """Create a currency through ``currency_create``."""
    return _create(request, CURRENCY, done=_currency_url)


@login_required
@permission_required([ERP, "erp_core.change_currency"], raise_exception=True)
@require_http_methods(["GET", "POST"])
def currency_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a currency through ``currency_update``."""
    currency = get_object_or_404(selectors.currency_list(), pk=pk)
    return _edit(request, CURRENCY, currency, done=_currency_url)


@login_required
@permission_required([ERP, "erp_core.add_exchangerate"], raise_exception=True)
@require_http_methods(["GET", "POST"])
def exchange_rate_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a rate of the page's currency from a date on (the base currency has none)."""
    currency = get_object_or_404(selectors.currency_list(), pk=pk)
    return _create(
        request,
        RATE,
        done=lambda rate: _currency_url(currency),
        initial={"date": timezone.localdate()},
        instance=ExchangeRate(currency=currency),
        using={"currency": currency},
        crumbs=[(currency.code, _currency_url(currency))],
    )


@login_required
@permission_required([ERP, "erp_core.change_exchangerate"], raise_exception=True)
@require_http_methods(["GET", "POST"])
def exchange_rate_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct an exchange rate through ``exchange_rate_update``."""
    rate = get_object_or_404(selectors.exchange_rate_list(), pk=pk)
    return _edit(
        request,
        RATE,
        rate,
        done=lambda obj: _currency_url(obj.currency),
        crumbs=[(rate.currency.code, _currency_url(rate.currency))],
    )


# --- Warehouses and work centers ---------------------------------------------------------------


@login_required
@permission_required([ERP, "erp_core.view_warehouse"], raise_exception=True)
def warehouse_list(request: HttpRequest) -> HttpResponse:
    """Warehouses, searched by code or name."""
    search = search_text(request)
    return _search_page(
        request, selectors.warehouse_list(search=search), "erp_core/warehouse_list.html", q=search
    )


@login_required
@permission_required([ERP, "erp_core.view_workcenter"], raise_exception=True)
def work_center_list(request: HttpRequest) -> HttpResponse:
    """Work centers with their calendar and daily capacity, searched by code or name."""
    search = search_text(request)
    return _search_page(
        request,
        selectors.work_center_list(search=search),
        "erp_core/work_center_list.html",
        q=search,
    )


WAREHOUSE = _Kind(
    Warehouse,
    WarehouseForm,
    "warehouse_create",
    "warehouse_update",
    "warehouse",
    "erp_core:warehouse-list",
    gettext_lazy("Warehouses"),
)
WORK_CENTER = _Kind(
    WorkCenter,
    WorkCenterForm,
    "work_center_create",
    "work_center_update",
    "work_center",
    "erp_core:work-center-list",
    gettext_lazy("Work centers"),
)


@login_required
@permission_required([ERP, "erp_core.add_warehouse"], raise_exception=True)
@require_http_methods(["GET", "POST"])
def warehouse_create(request: HttpRequest) -> HttpResponse:
    """Create a warehouse through ``warehouse_create``."""
    return _create(request, WAREHOUSE, done=lambda obj: reverse("erp_core:warehouse-list"))


@login_required
@permission_required([ERP, "erp_core.change_warehouse"], raise_exception=True)
@require_http_methods(["GET", "POST"])
def warehouse_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a warehouse through ``warehouse_update``."""
    warehouse = get_object_or_404(selectors.warehouse_list(), pk=pk)
    return _edit(request, WAREHOUSE, warehouse, done=lambda obj: reverse("erp_core:warehouse-list"))


@login_required
@permission_required([ERP, "erp_core.add_workcenter"], raise_exception=True)
@require_http_methods(["GET", "POST"])
def work_center_create(request: HttpRequest) -> HttpResponse:
    """Create a work center through ``work_center_create``."""
    return _create(request, WORK_CENTER, done=lambda obj: reverse("erp_core:work-center-list"))


@login_required
@permission_required([ERP, "erp_core.change_workcenter"], raise_exception=True)
@require_http_methods(["GET", "POST"])
def work_center_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a work center through ``work_center_update``."""
    center = get_object_or_404(selectors.work_center_list(), pk=pk)
    return _edit(
        request, WORK_CENTER, center, done=lambda obj: reverse("erp_core:work-center-list")
    )
