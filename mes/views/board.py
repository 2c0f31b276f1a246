"""The shop-floor board: every machine with its state, how long it has been in it and today's
OEE, refreshed by htmx without a reload; the OEE trend and the downtime Pareto (ECharts)."""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.vary import vary_on_headers

from mes import selectors
from mes.models import DowntimeReason, Machine, WorkOperation
from mes.oee import Figures
from mes.views.machines import mes_required

TREND_DAYS = 14
PARETO_DAYS = 7
#: How often the board's tiles refresh, in seconds.
REFRESH_SECONDS = 15


def _tiles(now: datetime) -> list[dict]:
    machines = list(selectors.machine_list().filter(is_active=True))
    today = timezone.localdate(now)
    oee = {row.machine.pk: row.figures for row in selectors.oee_rows(
        machines=machines, first=today, last=today, by="day", now=now
    )}  # fmt: skip
    reasons = dict(DowntimeReason.choices)
    # The operation each machine is on (running, else paused), with its order: one query.
    current: dict[int, WorkOperation] = {}
    for operation in (
        WorkOperation.objects.filter(
            machine__in=machines,
            status__in=[WorkOperation.Status.RUNNING, WorkOperation.Status.PAUSED],
        )
        .select_related("work_order__item", "work_order__production_order")
        .order_by("status", "pk")  # "running" sorts after "paused": it wins below
    ):
        current[operation.machine_id] = operation
    tiles = []
    for machine in machines:
        since = machine.state_since
        operation = current.get(machine.pk)
        progress = None
        if operation is not None and operation.work_order.quantity:
            done = operation.quantity_good / operation.work_order.quantity * 100
            progress = min(int(done), 100)
        tiles.append(
            {
                "operation": operation,
                "progress": progress,
                "machine": machine,
                "minutes": int((now - since).total_seconds() // 60) if since else None,
                "figures": oee.get(machine.pk),
                "reason": reasons.get(machine.open_reason or "", ""),
            }
        )
    return tiles


@mes_required("mes.view_machine")
@vary_on_headers("HX-Request")
def board(request: HttpRequest) -> HttpResponse:
    """The board; ``HX-Request`` answers only the tiles (what the polling swaps in)."""
    now = timezone.now()
    tiles = _tiles(now)
    counts = dict.fromkeys(Machine.State.values, 0)
    for tile in tiles:
        counts[tile["machine"].state] += 1
    context = {"tiles": tiles, "counts": counts, "now": now, "refresh": REFRESH_SECONDS}
    if request.headers.get("HX-Request") and not request.headers.get("HX-History-Restore-Request"):
        return render(request, "mes/board_tiles.html", context)
    context.update(_charts(now))
    return render(request, "mes/board.html", context)


def _charts(now: datetime) -> dict:
    today = timezone.localdate(now)
    machines = list(Machine.objects.select_related("work_center").filter(is_active=True))
    rows = selectors.oee_rows(
        machines=machines, first=today - timedelta(days=TREND_DAYS - 1), last=today, now=now
    )
    days: dict = {}
    for row in rows:
        days.setdefault(row.day, Figures()).add(row.figures)
    trend = {
        "days": [day.isoformat() for day in sorted(days)],
        "oee": [_percent(days[day].oee) for day in sorted(days)],
        "availability": [_percent(days[day].availability) for day in sorted(days)],
        "performance": [_percent(days[day].performance) for day in sorted(days)],
        "quality": [_percent(days[day].quality) for day in sorted(days)],
    }
    start = timezone.make_aware(datetime.combine(today - timedelta(days=PARETO_DAYS - 1), time.min))
    labels = dict(DowntimeReason.choices)
    pareto_rows = selectors.downtime_pareto(machine_ids=None, start=start, end=now)
    pareto = {
        "reasons": [str(labels.get(reason, "")) or "" for reason, _minutes in pareto_rows],
        "codes": [reason for reason, _minutes in pareto_rows],
        "minutes": [float(minutes) for _reason, minutes in pareto_rows],
    }
    return {"trend": trend, "pareto": pareto, "trend_days": TREND_DAYS, "pareto_days": PARETO_DAYS}


def _percent(value: Decimal | None) -> float | None:
    return None if value is None else float((value * 100).quantize(Decimal("0.1")))
