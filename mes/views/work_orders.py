"""Work orders: the list (filtered by status, searched) and one work order's page."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from erp_core.documents.views import staff_required
from mes import selectors_work as selectors
from mes.models import WorkOrder

MES = "mes.access_mes"
PER_PAGE = 50


@staff_required("mes.view_workorder", modules=(MES,))
def work_order_list(request: HttpRequest) -> HttpResponse:
    """Work orders by due date, filtered by status and searched by number or item."""
    status = request.GET.get("status", "")
    if status not in WorkOrder.Status.values:
        status = ""
    q = request.GET.get("q", "").strip()[:100]
    rows = selectors.work_order_list(status=status or None, search=q).prefetch_related("operations")
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "mes/work/work_order_list.html",
        {"page_obj": page, "status": status, "q": q, "statuses": WorkOrder.Status.choices},
    )


@staff_required("mes.view_workorder", modules=(MES,))
def work_order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A work order: its operations, reports, overrides, lots consumed and made."""
    work_order = selectors.work_order_get(pk=pk)
    operations = list(work_order.operations.all())
    return render(
        request,
        "mes/work/work_order_detail.html",
        {
            "work_order": work_order,
            "operations": operations,
            "reports": [r for op in operations for r in op.reports.all()],
            "overrides": [o for op in operations for o in op.overrides.all()],
            "consumptions": list(work_order.consumptions.all()),
            "output_lots": list(work_order.output_lots.all()),
        },
    )
