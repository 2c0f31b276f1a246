"""Staff pages of the stock ledger: balances per item × warehouse and the moves behind them,
the moves page, the stock adjustment page, and what an item has on hand (JSON, for the line
forms of every document)."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers

from common.errors import DomainError
from common.forms import show_refusal
from common.htmx import wants_partial
from common.templatetags.numbers import qty
from erp_core.documents.sources import source_labels
from erp_core.documents.views import staff_required
from erp_core.models import Item, Warehouse
from erp_core.stock import selectors, services
from erp_core.stock.forms import AdjustmentForm, MoveFilterForm

PER_PAGE = 50


@login_required
@permission_required(["erp_core.access_erp", "stock.view_stockbalance"], raise_exception=True)
@vary_on_headers("HX-Request")
def balance_list(request: HttpRequest) -> HttpResponse:
    """Quantity and value on hand per item × warehouse, searched by item, filtered by warehouse."""
    search = request.GET.get("q", "").strip()
    warehouse_id = request.GET.get("warehouse") or None
    if warehouse_id is not None and not str(warehouse_id).isdigit():
        warehouse_id = None
    balances = selectors.stock_balance_list(
        search=search, warehouse_id=int(warehouse_id) if warehouse_id else None
    )
    page_obj = Paginator(balances, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page_obj": page_obj,
        "q": search,
        "warehouse_id": warehouse_id,
        "warehouses": Warehouse.objects.order_by("code"),
        "total": selectors.stock_valuation_total(),
    }
    template = (
        "stock/partials/balance_table.html" if wants_partial(request) else "stock/balance_list.html"
    )
    return render(request, template, context)


@login_required
@permission_required(["erp_core.access_erp", "stock.view_stockmove"], raise_exception=True)
def move_list(request: HttpRequest, item_id: int, warehouse_id: int) -> HttpResponse:
    """The ledger rows of one item in one warehouse, with their journal entries."""
    balance = get_object_or_404(
        selectors.stock_balance_list(item_id=item_id, warehouse_id=warehouse_id)
    )
    moves = selectors.stock_move_list(item_id=item_id, warehouse_id=warehouse_id).order_by(
        "-moved_at", "-pk"
    )
    page_obj = Paginator(moves, PER_PAGE).get_page(request.GET.get("page"))
    labels = source_labels((move.source_type, move.source_id) for move in page_obj.object_list)
    for move in page_obj.object_list:
        move.source_label = labels.get((move.source_type, move.source_id), "")
    return render(request, "stock/move_list.html", {"balance": balance, "page_obj": page_obj})


@login_required
@permission_required(["erp_core.access_erp", "stock.view_stockmove"], raise_exception=True)
@vary_on_headers("HX-Request")
def move_journal(request: HttpRequest) -> HttpResponse:
    """Every ledger row, newest first: searched by item, filtered by warehouse and reason."""
    form = MoveFilterForm(request.GET or None)
    args: dict = {}
    if form.is_bound and form.is_valid():
        args = {
            "search": form.cleaned_data["q"].strip(),
            "warehouse_id": form.cleaned_data["warehouse"].pk
            if form.cleaned_data["warehouse"]
            else None,
            "reason": form.cleaned_data["reason"] or None,
        }
    moves = selectors.stock_move_list(**args).order_by("-moved_at", "-pk")
    page_obj = Paginator(moves, PER_PAGE).get_page(request.GET.get("page"))
    labels = source_labels((move.source_type, move.source_id) for move in page_obj.object_list)
    for move in page_obj.object_list:
        move.source_label = labels.get((move.source_type, move.source_id), "")
    template = (
        "stock/partials/move_table.html" if wants_partial(request) else "stock/move_journal.html"
    )
    return render(
        request, template, {"page_obj": page_obj, "filter_form": form, "q": args.get("search", "")}
    )


@staff_required("stock.adjust_stock", "stock.view_stockbalance")
@require_http_methods(["GET", "POST"])
def adjustment_create(request: HttpRequest) -> HttpResponse:
    """Book a counted difference of an item in a warehouse, in or out, with its reason."""
    if request.method == "POST":
        form = AdjustmentForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                move = services.stock_adjustment_book(
                    item=data["item"],
                    warehouse=data["warehouse"],
                    quantity=form.signed_quantity(),
                    unit_cost=data["unit_cost"],
                    reason=data["reason"],
                    abnormal=data.get("abnormal", False),
                    actor=request.user,
                )
            except (ValidationError, DomainError) as exc:
                show_refusal(form, exc)
            else:
                messages.success(
                    request,
                    _("Booked: %(quantity)s %(unit)s of %(item)s in %(warehouse)s.")
                    % {
                        "quantity": qty(move.quantity),
                        "unit": move.item.unit.code,
                        "item": move.item.code,
                        "warehouse": move.warehouse.code,
                    },
                )
                return redirect("stock:move-journal")
    else:
        initial: dict = {}
        for name in ("item", "warehouse"):
            value = request.GET.get(name, "")
            if value.isdigit():
                initial[name] = int(value)
        if request.GET.get("direction") in (AdjustmentForm.IN, AdjustmentForm.OUT):
            initial["direction"] = request.GET["direction"]
        if request.GET.get("reason"):
            initial["reason"] = request.GET["reason"][:255]
        form = AdjustmentForm(initial=initial)
    return render(request, "stock/adjustment_form.html", {"form": form})


@require_GET
@login_required
def on_hand(request: HttpRequest, item_id: int) -> JsonResponse:
    """What an item has on hand per warehouse, for the lines of a document form: whoever may
    see stock balances reads it; the others get a 403 whose ``detail`` says why."""
    if request.user.partner_id is not None or not request.user.has_perm("stock.view_stockbalance"):
        detail = _("Your role may not see stock on hand: ask an administrator.")
        return JsonResponse({"detail": detail}, status=403)
    item = Item.objects.select_related("unit", "vat").filter(pk=item_id).first()
    if item is None:
        return JsonResponse({"detail": _("No such item.")}, status=404)
    balances = selectors.stock_on_hand(item_id=item.pk)
    total = sum((balance.quantity for balance in balances), start=Decimal(0))
    return JsonResponse(
        {
            "item": item.pk,
            "unit": item.unit.code if item.unit_id else "",
            "vat_rate": str(item.vat.rate) if item.vat_id else None,
            "total": str(total),
            "total_text": qty(total),
            "warehouses": [
                {
                    "id": balance.warehouse_id,
                    "code": balance.warehouse.code,
                    "quantity": str(balance.quantity),
                    "text": qty(balance.quantity),
                }
                for balance in balances
            ],
        }
    )
