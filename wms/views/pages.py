"""The WMS pages: the warehouse dashboard, the stock browser, and the lists and details of
zones, bins, lots, expected receipts, counts and open tasks."""

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django.views.decorators.vary import vary_on_headers

from common.errors import DomainError
from common.htmx import wants_partial
from erp_core.documents.views import error_text
from erp_core.models import Warehouse
from wms import selectors
from wms.forms import BinForm, ZoneForm
from wms.models import Bin, Count, ExpectedReceipt, Lot, MoveTask, Zone
from wms.services.layout import layout_save
from wms.views.kit import int_param, paginate, wms_required

EXPIRY_DAYS = 30
MAX_EXPIRY_DAYS = 3660


def _search(request: HttpRequest) -> str:
    return request.GET.get("q", "").strip()[:100]


def _choice(request: HttpRequest, name: str, choices) -> str:
    value = request.GET.get(name, "")
    return value if value in dict(choices) else ""


# --- the dashboard -----------------------------------------------------------------------------


@wms_required()
def dashboard(request: HttpRequest) -> HttpResponse:
    """Open work by kind, lots expiring within ``?days=`` (30), full and empty bins, and the
    bin-fill heat map of one warehouse (``?warehouse=``)."""
    days = int_param(request, "days")
    days = EXPIRY_DAYS if days is None else min(days, MAX_EXPIRY_DAYS)
    warehouses = list(selectors.warehouses_with_bins())
    warehouse_id = int_param(request, "warehouse")
    warehouse = next((w for w in warehouses if w.pk == warehouse_id), None)
    if warehouse is None and warehouses:
        warehouse = warehouses[0]
    tasks = selectors.open_task_counts()
    documents = selectors.open_document_counts()
    work = [
        selectors.OpenWork(str(label), tasks.get(kind, 0), "wms:task-list", f"kind={kind}")
        for kind, label in MoveTask.Kind.choices
    ]
    work += [
        selectors.OpenWork(
            _("Receipts to receive"), documents["receipts"], "wms:receipt-list", "status=draft"
        ),
        selectors.OpenWork(_("Pick lists to pick"), documents["pick_lists"], "wms:scan-pick"),
        selectors.OpenWork(_("Counts open"), documents["counts"], "wms:count-list"),
        selectors.OpenWork(_("Transfers under way"), documents["transfers"], "wms:task-list"),
    ]
    expiring = selectors.lots_expiring(days=days)
    wid = warehouse.pk if warehouse else None
    full = selectors.bins_full(warehouse_id=wid)
    empty = selectors.bins_empty(warehouse_id=wid)
    context = {
        "work": work,
        "days": days,
        "today": timezone.localdate(),
        "expiring": expiring[: selectors.LIST_LIMIT],
        "expiring_count": expiring.count(),
        "full": full[: selectors.LIST_LIMIT],
        "full_count": full.count(),
        "empty": empty[: selectors.LIST_LIMIT],
        "empty_count": empty.count(),
        "warehouses": warehouses,
        "warehouse": warehouse,
        "heat_map": selectors.bin_heat_map(warehouse_id=wid) if wid else None,
    }
    return render(request, "wms/dashboard.html", context)


@wms_required()
def bin_fill_data(request: HttpRequest, warehouse_id: int) -> JsonResponse:
    """The heat map's data of one warehouse as JSON (zones, columns, cells)."""
    warehouse = get_object_or_404(Warehouse, pk=warehouse_id)
    return JsonResponse(selectors.bin_heat_map(warehouse_id=warehouse.pk))


# --- the stock browser -------------------------------------------------------------------------


@wms_required()
@vary_on_headers("HX-Request")
def stock_list(request: HttpRequest) -> HttpResponse:
    """Stock per item, searched by item code, name, barcode, pinyin initials or lot number."""
    search = _search(request)
    warehouse_id = int_param(request, "warehouse")
    rows = selectors.stock_by_item(search=search, warehouse_id=warehouse_id)
    context = {
        "page_obj": paginate(request, rows),
        "q": search,
        "warehouse_id": warehouse_id,
        "warehouses": selectors.warehouses_with_bins(),
    }
    partial = wants_partial(request)
    return render(request, "wms/stock_table.html" if partial else "wms/stock_list.html", context)


@wms_required()
def stock_item(request: HttpRequest, item_id: int) -> HttpResponse:
    """One item's stock: per warehouse, then per bin and lot."""
    item = selectors.item_get(item_id=item_id)
    if item is None:
        raise Http404
    quants = list(selectors.stock_of_item(item_id=item.pk))
    warehouses: dict[int, dict] = {}
    for quant in quants:
        entry = warehouses.setdefault(
            quant.bin.warehouse_id,
            {"warehouse": quant.bin.warehouse, "on_hand": 0, "reserved": 0, "quants": []},
        )
        entry["on_hand"] += quant.on_hand
        entry["reserved"] += quant.reserved
        entry["quants"].append(quant)
    return render(
        request, "wms/stock_item.html", {"item": item, "warehouses": list(warehouses.values())}
    )


# --- zones and bins ----------------------------------------------------------------------------


@wms_required()
def zone_list(request: HttpRequest) -> HttpResponse:
    """Zones with their bin counts."""
    zones = selectors.zone_list(warehouse_id=int_param(request, "warehouse"))
    return render(request, "wms/zone_list.html", {"page_obj": paginate(request, zones)})


def _save_form(request: HttpRequest, form, *, title: str, cancel: str, done: str):
    """Save a zone or bin form through ``layout_save`` (its rules, one transaction); a refusal
    is shown on the form."""
    if request.method == "POST" and form.is_valid():
        try:
            obj = layout_save(
                model=form._meta.model,
                data=form.cleaned_data,
                instance=form.instance if form.instance.pk else None,
            )
        except (ValidationError, DomainError) as exc:
            form.add_error(None, error_text(exc))
        else:
            return redirect(done.format(pk=obj.pk) if "{pk}" in done else done)
    context = {
        "form": form,
        "title": title,
        "cancel_url": cancel,
        "object": form.instance.pk,
        "crumbs": [(title, cancel)],
    }
    return render(request, "wms/form.html", context, status=400 if form.errors else 200)


@wms_required("wms.add_zone")
@require_http_methods(["GET", "POST"])
def zone_create(request: HttpRequest) -> HttpResponse:
    """A new zone."""
    form = ZoneForm(request.POST or None)
    url = reverse("wms:zone-list")
    return _save_form(request, form, title=_("New zone"), cancel=url, done=url)


@wms_required("wms.change_zone")
@require_http_methods(["GET", "POST"])
def zone_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a zone's code or name."""
    zone = get_object_or_404(Zone, pk=pk)
    form = ZoneForm(request.POST or None, instance=zone)
    url = reverse("wms:zone-list")
    return _save_form(
        request, form, title=_("Zone %(code)s") % {"code": zone.code}, cancel=url, done=url
    )


@wms_required()
@vary_on_headers("HX-Request")
def bin_list(request: HttpRequest) -> HttpResponse:
    """Bins with how full they are, searched by code or barcode, by warehouse and zone."""
    search = _search(request)
    bins = selectors.bin_list(
        search=search,
        warehouse_id=int_param(request, "warehouse"),
        zone_id=int_param(request, "zone"),
    )
    context = {"page_obj": paginate(request, bins), "q": search}
    partial = wants_partial(request)
    return render(request, "wms/bin_table.html" if partial else "wms/bin_list.html", context)


@wms_required()
def bin_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A bin and what it holds."""
    bin = get_object_or_404(selectors.bins_with_fill(), pk=pk)
    quants = selectors.bin_quants(bin_id=bin.pk)
    return render(request, "wms/bin_detail.html", {"bin": bin, "quants": quants})


@wms_required("wms.add_bin")
@require_http_methods(["GET", "POST"])
def bin_create(request: HttpRequest) -> HttpResponse:
    """A new bin."""
    form = BinForm(request.POST or None, initial={"zone": int_param(request, "zone")})
    return _save_form(
        request,
        form,
        title=_("New bin"),
        cancel=reverse("wms:bin-list"),
        done=reverse("wms:bin-detail", args=[0]).replace("/0/", "/{pk}/"),
    )


@wms_required("wms.change_bin")
@require_http_methods(["GET", "POST"])
def bin_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a bin."""
    bin = get_object_or_404(Bin, pk=pk)
    form = BinForm(request.POST or None, instance=bin)
    url = reverse("wms:bin-detail", args=[bin.pk])
    return _save_form(
        request, form, title=_("Bin %(code)s") % {"code": bin.code}, cancel=url, done=url
    )


# --- lots, receipts, counts, tasks -------------------------------------------------------------


@wms_required()
@vary_on_headers("HX-Request")
def lot_list(request: HttpRequest) -> HttpResponse:
    """Lots, earliest expiry first, searched by lot number or item, filtered by status."""
    search = _search(request)
    status = _choice(request, "status", Lot.Status.choices)
    lots = selectors.lot_list(search=search, status=status)
    context = {
        "page_obj": paginate(request, lots),
        "q": search,
        "status": status,
        "statuses": Lot.Status.choices,
        "today": timezone.localdate(),
    }
    partial = wants_partial(request)
    return render(request, "wms/lot_table.html" if partial else "wms/lot_list.html", context)


@wms_required()
def lot_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A lot: its dates and status, where it lies, its serial numbers."""
    lot = get_object_or_404(Lot.objects.select_related("item", "item__unit"), pk=pk)
    context = {
        "lot": lot,
        "quants": selectors.lot_quants(lot_id=lot.pk),
        "serials": selectors.lot_serials(lot_id=lot.pk)[:200],
        "today": timezone.localdate(),
    }
    return render(request, "wms/lot_detail.html", context)


@wms_required()
def receipt_list(request: HttpRequest) -> HttpResponse:
    """Expected receipts, newest first, by status."""
    status = _choice(request, "status", ExpectedReceipt.Status.choices)
    receipts = selectors.expected_receipt_list(status=status, search=_search(request))
    context = {
        "page_obj": paginate(request, receipts),
        "status": status,
        "statuses": ExpectedReceipt.Status.choices,
        "q": _search(request),
    }
    return render(request, "wms/receipt_list.html", context)


@wms_required()
def receipt_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An expected receipt with its lines and what was scanned against each."""
    receipt = selectors.expected_receipt_get(pk=pk)
    if receipt is None:
        raise Http404
    return render(request, "wms/receipt_detail.html", {"receipt": receipt})


@wms_required()
def count_list(request: HttpRequest) -> HttpResponse:
    """Counts, newest first, by status, with how many lines are counted."""
    status = _choice(request, "status", Count.Status.choices)
    counts = selectors.count_list(status=status)
    context = {
        "page_obj": paginate(request, counts),
        "status": status,
        "statuses": Count.Status.choices,
    }
    return render(request, "wms/count_list.html", context)


@wms_required()
def count_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A count and its lines; a blind count hides what the books hold until it is submitted."""
    count = selectors.count_get(pk=pk)
    if count is None:
        raise Http404
    hide_books = count.blind and count.status == Count.Status.DRAFT
    return render(request, "wms/count_detail.html", {"count": count, "hide_books": hide_books})


@wms_required()
def task_list(request: HttpRequest) -> HttpResponse:
    """Move tasks (open by default), by kind."""
    kind = _choice(request, "kind", MoveTask.Kind.choices)
    status = request.GET.get("status", MoveTask.Status.OPEN)
    status = status if status in dict(MoveTask.Status.choices) else ""
    tasks = selectors.move_task_list(kind=kind, status=status)
    context = {
        "page_obj": paginate(request, tasks),
        "kind": kind,
        "kinds": MoveTask.Kind.choices,
        "status": status,
        "statuses": MoveTask.Status.choices,
    }
    return render(request, "wms/task_list.html", context)
