"""MRP runs: start one (refused while another is queued or running), execute it — load in bulk,
plan, save in bulk, publish the shortages — and re-plan the items below a changed sales line.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Collection
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.errors import Conflict
from erp_core.masterdata.models import Warehouse
from erp_core.models import User
from erp_core.planning.core.mrp import (
    DemandKind,
    MrpCycleError,
    PlanResult,
    plan,
    root_demands,
)
from erp_core.planning.models import (
    ExceptionMessage,
    MrpRun,
    PlannedOrder,
    PlannedOrderPeg,
    Shortage,
)
from erp_core.planning.services.load import Loaded, items_below, load_plan_input
from integration import topics
from integration.bus import publish_many

Stage = MrpRun.Status
ZERO = Decimal(0)


def _refuse_if_active() -> None:
    if MrpRun.objects.filter(status__in=MrpRun.ACTIVE).exists():
        raise Conflict(
            _("An MRP run is already queued or running: wait for it to finish."),
            code="mrp_run_active",
        )


@transaction.atomic
def mrp_run_start(
    *, actor: User | None, plan_date: dt.date | None = None, enqueue: Callable | None = None
) -> MrpRun:
    """Queue a regenerative run and send its task after commit.

    Refused (409) while another run is queued or running; the partial unique constraint on
    the run's ``lock`` refuses a second one that slips past the check in a race.
    """
    _refuse_if_active()
    try:
        with transaction.atomic():
            run = MrpRun.objects.create(
                kind=MrpRun.Kind.REGENERATIVE,
                plan_date=plan_date or timezone.localdate(),
                created_by=actor if actor is not None and actor.is_authenticated else None,
            )
    except IntegrityError:
        raise Conflict(
            _("An MRP run is already queued or running: wait for it to finish."),
            code="mrp_run_active",
        ) from None
    if enqueue is not None:
        transaction.on_commit(lambda: enqueue(run.pk))
    return run


def _progress(run: MrpRun, progress: int, stage: str) -> None:
    """Write the progress at once (outside the saving transaction), for the page polling it."""
    run.progress, run.stage = progress, stage
    MrpRun.objects.filter(pk=run.pk).update(progress=progress, stage=stage)


def mrp_run_execute(*, run: MrpRun) -> MrpRun:
    """Run a queued regenerative run: load, plan, save, publish; a failure marks it failed.

    Not one transaction on purpose: the progress is written as it goes so that the page can
    show it; the output is saved in one transaction, so a failure leaves the last plan whole.
    """
    updated = MrpRun.objects.filter(pk=run.pk, status=MrpRun.Status.QUEUED).update(
        status=MrpRun.Status.RUNNING, started_at=timezone.now(), progress=5, stage="load"
    )
    if not updated:
        return MrpRun.objects.get(pk=run.pk)
    run.refresh_from_db()
    try:
        loaded = load_plan_input(today=run.plan_date)
        _progress(run, 35, "plan")
        result = plan(loaded.data)
        _progress(run, 60, "save")
        _save(run=run, loaded=loaded, result=result, scope=None)
    except MrpCycleError as exc:
        _fail(run, "bom_cycle", {"item_ids": list(exc.item_ids)})
    except Exception:
        _fail(run, "error", {})
        raise
    return run


def _fail(run: MrpRun, code: str, args: dict) -> None:
    run.status, run.error_code, run.error_args = MrpRun.Status.FAILED, code, args
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "error_code", "error_args", "finished_at"])


def mrp_net_change(*, item_ids: Collection[int], actor: User | None = None) -> MrpRun | None:
    """Re-plan ``item_ids`` and every item below them (a net-change run), after one sales line
    changed: the rest of the plan stays as the last run left it.

    Skipped (None) while another run is active (its plan reads the change anyway if it has not
    loaded yet; the next regenerative run picks it up otherwise) or before any run was done.
    """
    if not MrpRun.objects.filter(status=MrpRun.Status.DONE).exists():
        return None
    today = timezone.localdate()
    with transaction.atomic():
        if MrpRun.objects.filter(status__in=MrpRun.ACTIVE).exists():
            return None
        try:
            with transaction.atomic():
                run = MrpRun.objects.create(
                    kind=MrpRun.Kind.NET_CHANGE, plan_date=today, status=MrpRun.Status.RUNNING,
                    started_at=timezone.now(), created_by=actor,
                )  # fmt: skip
        except IntegrityError:
            return None
    try:
        scope = items_below(item_ids=item_ids, today=today)
        loaded = load_plan_input(today=today, item_ids=scope)
        result = plan(loaded.data)
        _save(run=run, loaded=loaded, result=result, scope=scope)
    except MrpCycleError as exc:
        _fail(run, "bom_cycle", {"item_ids": list(exc.item_ids)})
    except Exception:
        _fail(run, "error", {})
        raise
    return run


def _default_warehouse_id() -> int | None:
    return (
        Warehouse.objects.filter(is_active=True).order_by("code").values_list("pk", flat=True)
    ).first()


@transaction.atomic
def _save(*, run: MrpRun, loaded: Loaded, result: PlanResult, scope: set[int] | None) -> None:
    """Replace the current plan (of ``scope``, or all of it) with ``result`` in bulk."""
    today = run.plan_date
    old_planned = PlannedOrder.objects.filter(status=PlannedOrder.Status.PLANNED)
    exceptions = ExceptionMessage.objects.all()
    shortages = Shortage.objects.all()
    firm_pegs = PlannedOrderPeg.objects.filter(planned_order__status=PlannedOrder.Status.FIRM)
    if scope is not None:
        old_planned = old_planned.filter(item_id__in=scope)
        exceptions = exceptions.filter(item_id__in=scope)
        shortages = shortages.filter(item_id__in=scope)
        firm_pegs = firm_pegs.filter(planned_order__item_id__in=scope)
    # Two statements, not one with OR: each is a plain semi-join on an indexed column.
    PlannedOrderPeg.objects.filter(planned_order__in=old_planned)._raw_delete(old_planned.db)
    PlannedOrderPeg.objects.filter(parent__in=old_planned)._raw_delete(old_planned.db)
    firm_pegs._raw_delete(firm_pegs.db)
    # The pegs are gone, so nothing cascades: delete the rows with one statement each.
    old_planned._raw_delete(old_planned.db)
    exceptions._raw_delete(exceptions.db)
    shortages._raw_delete(shortages.db)

    rows = [
        PlannedOrder(
            run=run, item_id=o.item_id,
            kind=PlannedOrder.Kind.MAKE if o.make else PlannedOrder.Kind.BUY,
            quantity=o.quantity, start_date=min(o.start, o.due), due_date=o.due,
            is_short=o.start < today,
        )
        for o in result.planned_orders
    ]  # fmt: skip
    PlannedOrder.objects.bulk_create(rows, batch_size=5000)
    ids = [row.pk for row in rows]

    def peg_row(planned_id: int, peg) -> PlannedOrderPeg:
        row = PlannedOrderPeg(
            planned_order_id=planned_id, quantity=peg.quantity, need_date=peg.date
        )
        if peg.kind == DemandKind.SALES_LINE:
            row.kind, row.sales_order_line_id = PlannedOrderPeg.Kind.SALES_LINE, peg.ref
        elif peg.kind == DemandKind.FORECAST:
            row.kind, row.forecast_id = PlannedOrderPeg.Kind.FORECAST, peg.ref
        elif peg.kind == DemandKind.PRODUCTION_ORDER:
            row.kind, row.production_order_id = PlannedOrderPeg.Kind.PRODUCTION_ORDER, peg.ref
        elif peg.kind == DemandKind.PLANNED_ORDER:
            row.kind, row.parent_id = PlannedOrderPeg.Kind.PLANNED_ORDER, ids[peg.ref]
        elif peg.kind in (DemandKind.FIRM_PLANNED_ORDER, DemandKind.EXTERNAL):
            row.kind, row.parent_id = PlannedOrderPeg.Kind.PLANNED_ORDER, peg.ref
        else:
            row.kind = PlannedOrderPeg.Kind.SAFETY_STOCK
        return row

    pegs = [peg_row(ids[o.index], peg) for o in result.planned_orders for peg in o.pegs]
    for (kind, ref), supply_pegs in result.supply_pegs.items():
        if kind == ExceptionMessage.SupplyKind.FIRM_PLANNED_ORDER:
            pegs.extend(peg_row(ref, peg) for peg in supply_pegs)
    PlannedOrderPeg.objects.bulk_create(pegs, batch_size=5000)

    ExceptionMessage.objects.bulk_create(
        [
            ExceptionMessage(
                run=run, kind=e.kind, item_id=e.item_id, supply_kind=e.supply_kind,
                supply_id=e.supply_ref,
                supply_number=loaded.supply_numbers.get((e.supply_kind, e.supply_ref), ""),
                current_date=e.date, suggested_date=e.suggested_date, quantity=e.quantity,
            )
            for e in result.exceptions
        ],
        batch_size=5000,
    )  # fmt: skip

    # One shortage per item: the earliest date, the total short and the sales orders it hurts.
    by_item: dict[int, list] = defaultdict(list)
    for shortage in result.shortages:
        by_item[shortage.item_id].append(shortage)
    index_of = {o.index: o for o in result.planned_orders}
    shortage_rows = []
    for item_id, found in by_item.items():
        orders: dict[int, None] = {}
        for shortage in found:
            for peg in shortage.pegs:
                roots = (
                    root_demands(peg.ref, result.planned_orders)
                    if peg.kind == DemandKind.PLANNED_ORDER and peg.ref in index_of
                    else [(peg.kind, peg.ref)]
                )
                for kind, ref in roots:
                    if kind == DemandKind.SALES_LINE and ref in loaded.sales_order_of_line:
                        orders[loaded.sales_order_of_line[ref]] = None
        shortage_rows.append(
            Shortage(
                run=run, item_id=item_id, need_date=min(s.date for s in found),
                quantity=sum((s.quantity for s in found), ZERO), sales_order_ids=sorted(orders),
            )
        )  # fmt: skip
    Shortage.objects.bulk_create(shortage_rows, batch_size=5000)
    warehouse_id = _default_warehouse_id()
    if warehouse_id is not None and shortage_rows:
        publish_many(
            topic=topics.shortage_detected,
            payloads=[
                {
                    "item_id": row.item_id,
                    "warehouse_id": warehouse_id,
                    "quantity": str(row.quantity),
                    "needed_by": row.need_date.isoformat(),
                    "sales_order_ids": row.sales_order_ids,
                    "mrp_run_id": run.pk,
                }
                for row in shortage_rows
            ],
        )
    run.status = MrpRun.Status.DONE
    run.progress, run.stage = 100, "done"
    run.finished_at = timezone.now()
    run.items_planned = len(loaded.data.items)
    run.planned_order_count = len(rows)
    run.exception_count = len(result.exceptions)
    run.shortage_count = len(shortage_rows)
    run.save(
        update_fields=[
            "status", "progress", "stage", "finished_at", "items_planned",
            "planned_order_count", "exception_count", "shortage_count",
        ]
    )  # fmt: skip
