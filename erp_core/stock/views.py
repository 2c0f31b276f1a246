"""Staff pages of the stock ledger: balances per item × warehouse and the moves behind them."""

from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.vary import vary_on_headers

from common.htmx import wants_partial
from erp_core.documents.sources import source_labels
from erp_core.models import Warehouse
from erp_core.stock import selectors

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
