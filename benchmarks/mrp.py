"""MRP benchmark: a seeded synthetic factory, planned by the core alone and by a full run on
PostgreSQL (load, compute, save), then a net-change re-plan after one sales order line changes.

    .venv/bin/python -m benchmarks.mrp --items 20000 --seed 1 [--lines 50000] [--core-only]

The factory: ``--items`` items in 5 BOM levels (finished goods, three levels of made parts,
bought materials); each made item has 2 to 4 components from the levels below (a fifth of them
two levels down, so items are used at two levels); random lot sizing, lead times, routings on
8 work centers, stock on hand; ``--lines`` open demand and supply lines: confirmed sales order
lines and forecasts for finished goods, open purchase order lines for materials, open production
orders (with their components) for made items. The full run makes the database ``--db`` (dropped
first) on ``--pg``, migrates it and bulk-loads the factory (not timed), then times the run.

Each figure is printed on its own line: core seconds, full-run seconds (load, compute, save),
net-change seconds, peak memory (resident, of this process) and the full run's query count.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

LEVELS = 5
WORK_CENTERS = 8
TODAY = dt.date(2026, 1, 5)


def server_cpu() -> float:
    """CPU seconds used so far by the PostgreSQL backend serving this connection (read from
    /proc: the server runs on this machine), so that a run's cost on the server is seen apart
    from the waiting that other jobs on the machine cause."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_mb() -> float:
    """This process's peak resident memory in MB (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Factory:
    """The synthetic factory as plain rows (ids are 1-based positions)."""

    def __init__(self, items: int, lines: int, seed: int) -> None:
        rnd = random.Random(seed)
        self.rnd = rnd
        shares = (0.10, 0.15, 0.20, 0.20, 0.35)
        counts = [max(1, int(items * s)) for s in shares]
        counts[-1] = items - sum(counts[:-1])
        self.levels: list[list[int]] = []
        next_id = 1
        for count in counts:
            self.levels.append(list(range(next_id, next_id + count)))
            next_id += count
        self.items: dict[int, dict] = {}
        # Finished goods are made to order; parts are made, and materials bought, in periods.
        sizing = (
            ("lot_for_lot", "min_multiple"),
            ("period", "period", "period", "period", "fixed"),
            ("period", "period", "period", "period", "fixed"),
            ("period", "period", "period", "period", "fixed"),
            ("period", "period", "period", "period", "min_multiple"),
        )
        for level, ids in enumerate(self.levels):
            for item_id in ids:
                lot = rnd.choice(sizing[level])
                self.items[item_id] = {
                    "level": level,
                    "make": level < LEVELS - 1,
                    "buy_lt": rnd.randint(2, 20),
                    "make_lt": rnd.randint(1, 5),
                    "safety": Decimal(rnd.choice((0, 0, 0, 5, 10))),
                    "lot": lot,
                    "fixed": Decimal(rnd.choice((50, 100, 200))) if lot == "fixed" else None,
                    "min": Decimal(rnd.choice((1, 10, 25))),
                    "multiple": Decimal(rnd.choice((1, 5, 10))),
                    "period": rnd.choice((7, 14) if level < LEVELS - 1 else (14, 28)),
                    "on_hand": Decimal(rnd.choice((0, 0, 10, 50, 200))),
                }
        self.bom: dict[int, list[tuple[int, Decimal]]] = {}
        self.routing: dict[int, list[tuple[int, Decimal, Decimal]]] = {}
        for level in range(LEVELS - 1):
            for item_id in self.levels[level]:
                comps: dict[int, Decimal] = {}
                for _ in range(rnd.randint(2, 4)):
                    below = level + (2 if rnd.random() < 0.2 and level + 2 < LEVELS else 1)
                    comps[rnd.choice(self.levels[below])] = Decimal(rnd.choice((1, 1, 2, 3, 4)))
                self.bom[item_id] = list(comps.items())
                self.routing[item_id] = [
                    (rnd.randint(1, WORK_CENTERS), Decimal(rnd.choice((0, 15, 30))),
                     Decimal(rnd.choice(("0.02", "0.05", "0.1"))))
                    for _ in range(rnd.randint(1, 2))
                ]  # fmt: skip
        finished, materials = self.levels[0], self.levels[-1]
        made = [i for level in self.levels[:-1] for i in level]

        def day(low: int, high: int) -> dt.date:
            return TODAY + dt.timedelta(days=rnd.randint(low, high))

        n_sales, n_forecast, n_po = int(lines * 0.4), int(lines * 0.1), int(lines * 0.25)
        n_mo = lines - n_sales - n_forecast - n_po
        self.sales = [(rnd.choice(finished), day(20, 120), Decimal(rnd.randint(1, 50)))
                      for _ in range(n_sales)]  # fmt: skip
        self.forecasts = []
        for n in range(n_forecast):
            start = TODAY + dt.timedelta(days=7 * rnd.randint(1, 16))
            self.forecasts.append(
                (finished[n % len(finished)], start, Decimal(rnd.randint(20, 200)))
            )
        self.purchases = [(rnd.choice(materials), day(-5, 60), Decimal(rnd.randint(10, 500)))
                          for _ in range(n_po)]  # fmt: skip
        self.productions = [(rnd.choice(made), day(0, 60), Decimal(rnd.randint(5, 100)))
                            for _ in range(n_mo)]  # fmt: skip
        # forecasts are unique per item and period start
        self.forecasts = list({(f[0], f[1]): f for f in self.forecasts}.values())


def core_input(factory: Factory):
    """The core's input built straight from the factory (no database)."""
    from erp_core.planning.core.calendar import Operation, WorkCenterCalendar
    from erp_core.planning.core.mrp import (
        Component,
        Demand,
        DemandKind,
        Forecast,
        PlanInput,
        PlanItem,
        Supply,
        SupplyKind,
    )  # fmt: skip

    items = {
        pk: PlanItem(
            pk, make=row["make"], purchase_lead_time_days=row["buy_lt"],
            production_lead_time_days=row["make_lt"], safety_stock=row["safety"],
            lot_sizing=row["lot"], fixed_order_qty=row["fixed"], min_order_qty=row["min"],
            order_multiple=row["multiple"], period_order_days=row["period"],
            components=tuple(Component(c, q) for c, q in factory.bom.get(pk, ())),
            operations=tuple(Operation(w, s, r) for w, s, r in factory.routing.get(pk, ())),
        )
        for pk, row in factory.items.items()
    }  # fmt: skip
    demands = [
        Demand(i, d, q, DemandKind.SALES_LINE, n) for n, (i, d, q) in enumerate(factory.sales, 1)
    ]
    supplies = [
        Supply(i, d, q, SupplyKind.PURCHASE_ORDER_LINE, n)
        for n, (i, d, q) in enumerate(factory.purchases, 1)
    ]
    for n, (i, d, q) in enumerate(factory.productions, 1):
        supplies.append(Supply(i, d, q, SupplyKind.PRODUCTION_ORDER, n))
        for c, per in factory.bom.get(i, ()):
            demands.append(
                Demand(c, d - dt.timedelta(days=2), q * per, DemandKind.PRODUCTION_ORDER, n)
            )
    forecasts = [
        Forecast(n, i, s, s + dt.timedelta(days=6), q)
        for n, (i, s, q) in enumerate(factory.forecasts, 1)
    ]
    calendars = {
        w: WorkCenterCalendar(w, "1111100", Decimal(960)) for w in range(1, WORK_CENTERS + 1)
    }
    return PlanInput(
        today=TODAY, items=items, on_hand={pk: r["on_hand"] for pk, r in factory.items.items()},
        demands=demands, forecasts=forecasts, supplies=supplies, calendars=calendars,
    )  # fmt: skip


def load_database(factory: Factory) -> int:
    """Bulk-load the factory into the migrated database; answer one sales order line's id."""
    from erp_core.masterdata.models import (
        BillOfMaterials,
        BomLine,
        Item,
        ItemCategory,
        Partner,
        Routing,
        RoutingOperation,
        UnitOfMeasure,
        Warehouse,
        WorkCenter,
    )  # fmt: skip
    from erp_core.planning.models import Forecast
    from erp_core.production.models import ProductionOrder, ProductionOrderMaterial
    from erp_core.purchasing.models import PurchaseOrder, PurchaseOrderLine
    from erp_core.sales.models import SalesOrder, SalesOrderLine
    from erp_core.stock.models import StockBalance

    pcs = UnitOfMeasure.objects.get_or_create(
        code="PCS", defaults={"name": "Piece", "category": "count"}
    )[0]
    category = ItemCategory.objects.get_or_create(code="BENCH", defaults={"name": "Bench"})[0]
    warehouse = Warehouse.objects.get_or_create(code="WH-BENCH", defaults={"name": "Bench"})[0]
    customer = Partner.objects.get_or_create(
        code="C-BENCH", defaults={"name": "Customer", "kind": "customer"}
    )[0]
    supplier = Partner.objects.get_or_create(
        code="S-BENCH", defaults={"name": "Supplier", "kind": "supplier"}
    )[0]
    centers = WorkCenter.objects.bulk_create(
        [
            WorkCenter(code=f"WC{n}", name=f"Work center {n}", machines=2)
            for n in range(1, WORK_CENTERS + 1)
        ]
    )
    kinds = ("finished", "semi", "semi", "semi", "raw")
    rows = [
        Item(
            code=f"B{pk:06d}", name=f"Item {pk}", item_type=kinds[r["level"]],
            make_or_buy="make" if r["make"] else "buy", unit=pcs, category=category,
            purchase_lead_time_days=r["buy_lt"], production_lead_time_days=r["make_lt"],
            safety_stock=r["safety"], lot_sizing=r["lot"], fixed_order_qty=r["fixed"],
            min_order_qty=r["min"], order_multiple=r["multiple"], period_order_days=r["period"],
        )
        for pk, r in factory.items.items()
    ]  # fmt: skip
    Item.objects.bulk_create(rows, batch_size=2000)
    ids = {n: row.pk for n, row in enumerate(rows, 1)}
    boms = BillOfMaterials.objects.bulk_create(
        [
            BillOfMaterials(item_id=ids[p], version="1", valid_from=dt.date(2020, 1, 1))
            for p in factory.bom
        ],
        batch_size=2000,
    )
    BomLine.objects.bulk_create(
        [
            BomLine(bom=bom, sequence=10 * (n + 1), component_id=ids[c], quantity_per=q)
            for bom, p in zip(boms, factory.bom, strict=True)
            for n, (c, q) in enumerate(factory.bom[p])
        ],
        batch_size=5000,
    )
    routings = Routing.objects.bulk_create(
        [
            Routing(item_id=ids[p], version="1", valid_from=dt.date(2020, 1, 1))
            for p in factory.routing
        ],
        batch_size=2000,
    )
    RoutingOperation.objects.bulk_create(
        [
            RoutingOperation(routing=routing, sequence=10 * (n + 1), work_center=centers[w - 1],
                             setup_minutes=s, run_minutes_per_unit=r)
            for routing, p in zip(routings, factory.routing, strict=True)
            for n, (w, s, r) in enumerate(factory.routing[p])
        ],
        batch_size=5000,
    )  # fmt: skip
    StockBalance.objects.bulk_create(
        [StockBalance(item_id=ids[p], warehouse=warehouse, quantity=r["on_hand"])
         for p, r in factory.items.items() if r["on_hand"]],
        batch_size=5000,
    )  # fmt: skip
    per_order = 10
    orders = SalesOrder.objects.bulk_create(
        [SalesOrder(number=f"SO-B-{n}", date=TODAY, customer=customer, warehouse=warehouse,
                    status="approved") for n in range(0, len(factory.sales), per_order)],
        batch_size=2000,
    )  # fmt: skip
    lines = SalesOrderLine.objects.bulk_create(
        [
            SalesOrderLine(order=orders[n // per_order], line_no=n % per_order + 1, item_id=ids[i],
                           quantity=q, requested_date=d)
            for n, (i, d, q) in enumerate(factory.sales)
        ],
        batch_size=5000,
    )  # fmt: skip
    Forecast.objects.bulk_create(
        [Forecast(item_id=ids[i], period_start=s, period_end=s + dt.timedelta(days=6), quantity=q)
         for i, s, q in factory.forecasts],
        batch_size=5000,
    )  # fmt: skip
    pos = PurchaseOrder.objects.bulk_create(
        [PurchaseOrder(number=f"PO-B-{n}", date=TODAY, supplier=supplier, warehouse=warehouse,
                       status="approved") for n in range(0, len(factory.purchases), per_order)],
        batch_size=2000,
    )  # fmt: skip
    PurchaseOrderLine.objects.bulk_create(
        [
            PurchaseOrderLine(order=pos[n // per_order], line_no=n % per_order + 1, item_id=ids[i],
                              quantity=q, expected_date=d)
            for n, (i, d, q) in enumerate(factory.purchases)
        ],
        batch_size=5000,
    )  # fmt: skip
    bom_of = {p: bom.pk for bom, p in zip(boms, factory.bom, strict=True)}
    mos = ProductionOrder.objects.bulk_create(
        [
            ProductionOrder(number=f"MO-B-{n}", date=TODAY, item_id=ids[i], quantity=q,
                            warehouse=warehouse, component_warehouse=warehouse, bom_id=bom_of[i],
                            due_date=d, start_date=d - dt.timedelta(days=2), status="released")
            for n, (i, d, q) in enumerate(factory.productions)
        ],
        batch_size=2000,
    )  # fmt: skip
    ProductionOrderMaterial.objects.bulk_create(
        [
            ProductionOrderMaterial(order=mo, line_no=n + 1, component_id=ids[c], unit=pcs,
                                    quantity_required=q * per)
            for mo, (i, _d, q) in zip(mos, factory.productions, strict=True)
            for n, (c, per) in enumerate(factory.bom[i])
        ],
        batch_size=5000,
    )  # fmt: skip
    return lines[0].pk


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--items", type=int, default=20000)
    parser.add_argument("--lines", type=int, default=50000, help="open demand and supply lines")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--db", default="mrp_db")
    parser.add_argument("--core-only", action="store_true", help="skip the database runs")
    parser.add_argument(
        "--reuse-db",
        action="store_true",
        help="keep the database a previous run of the same --items/--lines/--seed loaded",
    )
    args = parser.parse_args()

    if not args.core_only:
        os.environ["DATABASE_URL"] = f"{args.pg}/{args.db}"
        # Events are queued for the workers (an in-memory broker nobody reads), as in
        # production: their delivery is the workers' work, not the run's.
        os.environ["CELERY_TASK_ALWAYS_EAGER"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from erp_core.planning.core.mrp import plan

    factory = Factory(args.items, args.lines, args.seed)
    data = core_input(factory)
    started, cpu = time.perf_counter(), time.process_time()
    result = plan(data)
    core, core_cpu = time.perf_counter() - started, time.process_time() - cpu
    print(f"items {len(factory.items)}  open lines {args.lines}  levels {LEVELS}  seed {args.seed}")
    print(
        f"core: {core:.2f} s  (CPU {core_cpu:.2f} s; {len(result.planned_orders)} planned "
        f"orders, {len(result.exceptions)} exceptions, {len(result.shortages)} shortages)"
    )
    del data, result
    if args.core_only:
        print(f"peak memory: {peak_mb():.0f} MB")
        return

    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from erp_core.planning.models import MrpRun
    from erp_core.sales.models import SalesOrderLine

    if args.reuse_db:
        # A run cut short leaves its row active; the plan it replaces stays and is replaced.
        MrpRun.objects.filter(status__in=MrpRun.ACTIVE).update(status=MrpRun.Status.FAILED)
        line_id = SalesOrderLine.objects.order_by("pk").values_list("pk", flat=True).first()
    else:
        base = f"{args.pg}/postgres"
        subprocess.run(["psql", base, "-qc", f"DROP DATABASE IF EXISTS {args.db}"], check=True)
        subprocess.run(["psql", base, "-qc", f"CREATE DATABASE {args.db}"], check=True)
        call_command("migrate", verbosity=0)
        line_id = load_database(factory)
    del factory

    from unittest import mock

    from django.utils import timezone

    from erp_core.planning.services import mrp_net_change, mrp_run_execute, mrp_run_start
    from erp_core.planning.services import runs as runs_module

    stages: dict[str, float] = {}
    real_load, real_plan, real_save = (
        runs_module.load_plan_input,
        runs_module.plan,
        runs_module._save,
    )

    def timed(name, fn):
        def wrapper(*a, **kw):
            t = time.perf_counter()
            try:
                return fn(*a, **kw)
            finally:
                stages[name] = time.perf_counter() - t

        return wrapper

    with mock.patch.object(timezone, "localdate", return_value=TODAY), \
            mock.patch.object(runs_module, "load_plan_input", timed("load", real_load)), \
            mock.patch.object(runs_module, "plan", timed("compute", real_plan)), \
            mock.patch.object(runs_module, "_save", timed("save", real_save)):  # fmt: skip
        run = mrp_run_start(actor=None, plan_date=TODAY)
        with CaptureQueriesContext(connection) as queries:
            server = server_cpu()
            started, cpu = time.perf_counter(), time.process_time()
            run = mrp_run_execute(run=run)
            full, full_cpu = time.perf_counter() - started, time.process_time() - cpu
            full_server = server_cpu() - server
        full_queries = len(queries)
        del queries
        assert run.status == MrpRun.Status.DONE, run.error_code
        print(f"full run: {full:.2f} s  (this process's CPU {full_cpu:.2f} s, the database "
              f"server's {full_server:.2f} s; load "
              f"{stages['load']:.2f} s, compute "
              f"{stages['compute']:.2f} s, save {stages['save']:.2f} s; "
              f"{run.planned_order_count} planned orders, {run.exception_count} exceptions, "
              f"{run.shortage_count} short items)")  # fmt: skip
        print(f"full run queries: {full_queries}")
        line = SalesOrderLine.objects.get(pk=line_id)
        SalesOrderLine.objects.filter(pk=line_id).update(quantity=line.quantity + 7)
        with CaptureQueriesContext(connection) as queries:
            server = server_cpu()
            started, cpu = time.perf_counter(), time.process_time()
            net = mrp_net_change(item_ids=[line.item_id])
            net_seconds, net_cpu = time.perf_counter() - started, time.process_time() - cpu
            net_server = server_cpu() - server
        assert net is not None and net.status == MrpRun.Status.DONE
        print(
            f"net change: {net_seconds:.2f} s  (CPU {net_cpu:.2f} s, the database server's "
            f"{net_server:.2f} s; {net.items_planned} items "
            f"re-planned, {len(queries)} queries)"
        )
    print(f"peak memory: {peak_mb():.0f} MB")


if __name__ == "__main__":
    main()
