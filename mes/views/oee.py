"""The OEE page: per machine per shift or per day over a span of days, with the definitions."""

from datetime import date, timedelta

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_date

from erp_core.models import WorkCenter
from mes import selectors
from mes.models import Machine
from mes.views.machines import int_param, mes_required

MAX_DAYS = 31


def _date(request: HttpRequest, name: str) -> date | None:
    try:
        return parse_date(request.GET.get(name, "")[:10])
    except ValueError:
        return None


@mes_required("mes.view_machine")
def oee_page(request: HttpRequest) -> HttpResponse:
    """OEE rows for ``?from=``…``?to=`` (the last 7 days by default, at most 31), ``?by=``
    shift or day, ``?work_center=``."""
    today = timezone.localdate()
    last = _date(request, "to") or today
    first = _date(request, "from") or last - timedelta(days=6)
    if first > last:
        first, last = last, first
    if (last - first).days >= MAX_DAYS:
        first = last - timedelta(days=MAX_DAYS - 1)
    by = "shift" if request.GET.get("by") == "shift" else "day"
    work_center_id = int_param(request, "work_center")
    machines = Machine.objects.select_related("work_center").filter(is_active=True)
    if work_center_id:
        machines = machines.filter(work_center_id=work_center_id)
    rows = selectors.oee_rows(machines=list(machines), first=first, last=last, by=by)
    context = {
        "rows": rows,
        "first": first,
        "last": last,
        "by": by,
        "work_center_id": work_center_id,
        "work_centers": WorkCenter.objects.filter(mes_machines__isnull=False).distinct(),
        "day_start": selectors.day_start(),
    }
    return render(request, "mes/oee.html", context)
