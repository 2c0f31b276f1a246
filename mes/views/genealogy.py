"""Lots and their genealogy: backward to the lots consumed, forward to the lots made and the
customers they shipped to."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from erp_core.documents.views import staff_required
from mes import selectors_work as selectors

MES = "mes.access_mes"
PER_PAGE = 50


@staff_required("mes.view_productionlot", modules=(MES,))
def lot_list(request: HttpRequest) -> HttpResponse:
    """Lots, newest first, searched by number or item code."""
    q = request.GET.get("q", "").strip()[:100]
    page = Paginator(selectors.lot_list(search=q), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "mes/work/lot_list.html", {"page_obj": page, "q": q})


@staff_required("mes.view_productionlot", modules=(MES,))
def lot_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A lot's genealogy both ways."""
    lot = selectors.lot_get(pk=pk)
    forward = selectors.lot_forward(lot=lot)
    return render(
        request,
        "mes/work/lot_detail.html",
        {
            "lot": lot,
            "backward": selectors.lot_backward(lot=lot),
            "forward": forward,
            "customers": selectors.lot_customers(forward),
        },
    )
