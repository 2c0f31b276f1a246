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
    SupplyPeg,
)
from erp_core.planning.services import bulk
from erp_core.planning.services.load import (
    Loaded,
    bom_components,
    items_below,
    load_plan_input,
)
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
        bom = bom_components(today)  # read once: for the set and for its input
        scope = items_below(item_ids=item_ids, today=today, bom=bom)
        loaded = load_plan_input(today=today, item_ids=scope, bom=bom)
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


PLANNED_FIELDS = (
    "run_id", "item_id", "kind", "status", "quantity", "start_date", "due_date", "is_short",
)  # fmt: skip
PEG_FIELDS = (
    "planned_order_id", "kind", "quantity", "need_date", "sales_order_line_id", "forecast_id",
    "production_order_id", "parent_id",
)  # fmt: skip
EXCEPTION_FIELDS = (
    "run_id", "kind", "item_id", "supply_kind", "supply_id", "supply_number", "current_date",
    "suggested_date", "quantity",
)  # fmt: skip
SUPPLY_PEG_FIELDS = (
    "item_id", "supply_kind", "supply_id", "supply_date", *PEG_FIELDS[1:],
)  # fmt: skip
PegRow = tuple  # (planned order id, kind, quantity, need date, line, forecast, order, parent)


def _planned_row(run_id: int, today: dt.date, o) -> tuple:
    return (
        run_id, o.item_id, PlannedOrder.Kind.MAKE if o.make else PlannedOrder.Kind.BUY,
        PlannedOrder.Status.PLANNED, o.quantity, min(o.start, o.due), o.due, o.start < today,
    )  # fmt: skip


def _demand_columns(peg, ids: list[int]) -> tuple:
    """The demand a peg serves as its columns (kind, quantity, need date, sales order line,
    forecast, production order, parent planned order); ``ids`` names this run's planned
    orders by index."""
    kind, ref, qty, date = peg.kind, peg.ref, peg.quantity, peg.date
    if kind == DemandKind.SALES_LINE:
        return (PlannedOrderPeg.Kind.SALES_LINE, qty, date, ref, None, None, None)
    if kind == DemandKind.FORECAST:
        return (PlannedOrderPeg.Kind.FORECAST, qty, date, None, ref, None, None)
    if kind == DemandKind.PRODUCTION_ORDER:
        return (PlannedOrderPeg.Kind.PRODUCTION_ORDER, qty, date, None, None, ref, None)
    if kind == DemandKind.PLANNED_ORDER:
        return (PlannedOrderPeg.Kind.PLANNED_ORDER, qty, date, None, None, None, ids[ref])
    if kind in (DemandKind.FIRM_PLANNED_ORDER, DemandKind.EXTERNAL):
        return (PlannedOrderPeg.Kind.PLANNED_ORDER, qty, date, None, None, None, ref)
    return (PlannedOrderPeg.Kind.SAFETY_STOCK, qty, date, None, None, None, None)


def _peg_rows(result: PlanResult, ids: list[int]) -> list[PegRow]:
    """Every peg of the result as a row: the planned orders' (``ids`` by index) and the firm
    planned orders' (rewritten by each run)."""
    rows = [
        (ids[o.index], *_demand_columns(peg, ids)) for o in result.planned_orders for peg in o.pegs
    ]
    for (kind, ref), supply_pegs in result.supply_pegs.items():
        if kind == ExceptionMessage.SupplyKind.FIRM_PLANNED_ORDER:
            rows.extend((ref, *_demand_columns(peg, ids)) for peg in supply_pegs)
    return rows


OPEN_SUPPLY = frozenset(SupplyPeg.SupplyKind.values)


def _supply_peg_rows(loaded: Loaded, result: PlanResult, ids: list[int]) -> list[tuple]:
    """The pegs of open supply (purchase order and requisition lines, production orders) as
    rows in the order of ``SUPPLY_PEG_FIELDS``, dated with the supply's date as loaded."""
    supplies = {(s.kind, s.ref): s for s in loaded.data.supplies if s.kind in OPEN_SUPPLY}
    rows: list[tuple] = []
    for key, pegs in result.supply_pegs.items():
        supply = supplies.get(key)
        if supply is None:
            continue
        head = (supply.item_id, supply.kind, supply.ref, supply.date)
        rows.extend((*head, *_demand_columns(peg, ids)) for peg in pegs)
    return rows


def _exception_rows(run_id: int, loaded: Loaded, result: PlanResult) -> list[tuple]:
    numbers = loaded.supply_numbers
    return [
        (
            run_id, e.kind, e.item_id, e.supply_kind, e.supply_ref,
            numbers.get((e.supply_kind, e.supply_ref), ""), e.date, e.suggested_date, e.quantity,
        )
        for e in result.exceptions
    ]  # fmt: skip


def _shortage_rows(run: MrpRun, loaded: Loaded, result: PlanResult) -> list[Shortage]:
    """One shortage per item: the earliest date, the total short and the sales orders it
    hurts (found up the pegs)."""
    by_item: dict[int, list] = defaultdict(list)
    for shortage in result.shortages:
        by_item[shortage.item_id].append(shortage)
    index_of = {o.index: o for o in result.planned_orders}
    rows = []
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
        rows.append(
            Shortage(
                run=run, item_id=item_id, need_date=min(s.date for s in found),
                quantity=sum((s.quantity for s in found), ZERO), sales_order_ids=sorted(orders),
            )
        )  # fmt: skip
    return rows


def _diff(old: dict[int, tuple], new: list[tuple]) -> tuple[list[int], list[tuple], list[int]]:
    """Match ``new`` rows against ``old`` (id → the same columns) as multisets: answer the old
    ids to delete, the new rows to insert, and for each new row the id it has (a kept old id,
    or 0 for an inserted one)."""
    free: dict[tuple, list[int]] = defaultdict(list)
    for pk, values in old.items():
        free[values].append(pk)
    inserted: list[tuple] = []
    kept: list[int] = []
    for values in new:
        pks = free.get(values)
        if pks:
            kept.append(pks.pop())
        else:
            kept.append(0)
            inserted.append(values)
    deleted = [pk for pks in free.values() for pk in pks]
    return deleted, inserted, kept


@transaction.atomic
def _save(*, run: MrpRun, loaded: Loaded, result: PlanResult, scope: set[int] | None) -> None:
    """Replace the current plan (all of it, or the net-change set's part) with ``result``."""
    if scope is None:
        _replace_all(run=run, loaded=loaded, result=result)
    else:
        _replace_scope(run=run, loaded=loaded, result=result, scope=scope)
    shortage_rows = _shortage_rows(run, loaded, result)
    Shortage.objects.bulk_create(shortage_rows, batch_size=2000)
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
    run.planned_order_count = len(result.planned_orders)
    run.exception_count = len(result.exceptions)
    run.shortage_count = len(shortage_rows)
    run.save(
        update_fields=[
            "status", "progress", "stage", "finished_at", "items_planned",
            "planned_order_count", "exception_count", "shortage_count",
        ]
    )  # fmt: skip


def _replace_all(*, run: MrpRun, loaded: Loaded, result: PlanResult) -> None:
    """A regenerative run: delete the previous plan with one statement per table, then write
    the new one in bulk (``COPY`` on PostgreSQL)."""
    old_planned = PlannedOrder.objects.filter(status=PlannedOrder.Status.PLANNED)
    firm_pegs = PlannedOrderPeg.objects.filter(planned_order__status=PlannedOrder.Status.FIRM)
    # Two statements, not one with OR: each is a plain semi-join on an indexed column.
    PlannedOrderPeg.objects.filter(planned_order__in=old_planned)._raw_delete(old_planned.db)
    PlannedOrderPeg.objects.filter(parent__in=old_planned)._raw_delete(old_planned.db)
    firm_pegs._raw_delete(firm_pegs.db)
    SupplyPeg.objects.all()._raw_delete(old_planned.db)
    # The pegs are gone, so nothing cascades: delete the rows with one statement each.
    old_planned._raw_delete(old_planned.db)
    ExceptionMessage.objects.all()._raw_delete(old_planned.db)
    Shortage.objects.all()._raw_delete(old_planned.db)

    today = run.plan_date
    ids = bulk.insert_returning_ids(
        PlannedOrder,
        PLANNED_FIELDS,
        [_planned_row(run.pk, today, o) for o in result.planned_orders],
    )
    bulk.insert_rows(PlannedOrderPeg, PEG_FIELDS, _peg_rows(result, ids))
    bulk.insert_rows(SupplyPeg, SUPPLY_PEG_FIELDS, _supply_peg_rows(loaded, result, ids))
    bulk.insert_rows(ExceptionMessage, EXCEPTION_FIELDS, _exception_rows(run.pk, loaded, result))


def _replace_scope(*, run: MrpRun, loaded: Loaded, result: PlanResult, scope: set[int]) -> None:
    """A net change: compare the set's new plan with what is stored and write only the
    difference. A planned order, peg or exception message that comes out the same is kept
    as it is (with the run that made it); the rest is deleted or inserted."""
    today = run.plan_date
    old_orders = {
        pk: values
        for pk, *values in PlannedOrder.objects.filter(
            item_id__in=scope, status=PlannedOrder.Status.PLANNED
        ).values_list("pk", "item_id", "kind", "quantity", "start_date", "due_date", "is_short")
    }
    new_orders = [_planned_row(run.pk, today, o) for o in result.planned_orders]
    gone_orders, _added, order_ids = _diff(
        {pk: tuple(v) for pk, v in old_orders.items()}, [row[1:3] + row[4:] for row in new_orders]
    )
    added_rows = [row for row, pk in zip(new_orders, order_ids, strict=True) if not pk]
    added_ids = iter(bulk.insert_returning_ids(PlannedOrder, PLANNED_FIELDS, added_rows))
    order_ids = [pk or next(added_ids) for pk in order_ids]

    peg_columns = ("pk", *PEG_FIELDS)
    # The pegs of the set's planned and firm orders, and those naming a planned order of the
    # set as their parent (a released order's, which go with it).
    stored = PlannedOrderPeg.objects.filter(
        planned_order__item_id__in=scope,
        planned_order__status__in=[PlannedOrder.Status.PLANNED, PlannedOrder.Status.FIRM],
    )
    old_pegs = {pk: tuple(v) for pk, *v in stored.values_list(*peg_columns)}
    if gone_orders:
        old_pegs.update(
            (pk, tuple(v))
            for pk, *v in PlannedOrderPeg.objects.filter(parent_id__in=gone_orders).values_list(
                *peg_columns
            )
        )
    gone_pegs, added_pegs, _kept = _diff(old_pegs, _peg_rows(result, order_ids))
    bulk.delete_ids(PlannedOrderPeg, gone_pegs)
    bulk.delete_ids(PlannedOrder, gone_orders)
    bulk.insert_rows(PlannedOrderPeg, PEG_FIELDS, added_pegs)

    # The pegs of the set's open supply (the set is closed downwards: a peg naming one of its
    # planned orders as parent is on an item of the set too).
    stored_supply = {
        pk: tuple(v)
        for pk, *v in SupplyPeg.objects.filter(item_id__in=scope).values_list(
            "pk", *SUPPLY_PEG_FIELDS
        )
    }
    gone_supply, added_supply, _kept = _diff(
        stored_supply, _supply_peg_rows(loaded, result, order_ids)
    )
    bulk.delete_ids(SupplyPeg, gone_supply)
    bulk.insert_rows(SupplyPeg, SUPPLY_PEG_FIELDS, added_supply)

    old_exceptions = {
        pk: tuple(v)
        for pk, *v in ExceptionMessage.objects.filter(item_id__in=scope).values_list(
            "pk", *EXCEPTION_FIELDS[1:]
        )
    }
    gone, added, _kept = _diff(
        old_exceptions, [row[1:] for row in _exception_rows(run.pk, loaded, result)]
    )
    bulk.delete_ids(ExceptionMessage, gone)
    bulk.insert_rows(ExceptionMessage, EXCEPTION_FIELDS, [(run.pk, *row) for row in added])
    Shortage.objects.filter(item_id__in=scope)._raw_delete(Shortage.objects.db)
