"""WMS benchmark on PostgreSQL with a real Celery worker: from a WMS action to the ERP's books.

1. **Dispatch** a shipment of ``--lines`` (200) sales order lines, picked by scan from as many
   bins: ``shipment_dispatch`` takes the goods out of the shipping bin and publishes
   ``wms.shipment_dispatched``; the worker's ERP receivers book the delivery (one stock move a
   line, cost of goods sold in one journal entry) and the invoice.
2. **Approve** a count of ``--bins`` (1,000) bins, each holding its own item and each counted
   one short: ``count_approve`` adjusts the quants and publishes ``wms.count_completed``; the
   worker posts the losses (one adjustment a line, one journal entry).

For each it prints the WMS action's own time, the time from the start of the action until the
ERP stock ledger holds every move *and* each of them is in the general ledger (its journal
entry), and moves per second over that span. It makes the database ``--db`` (dropped first),
migrates and seeds the books, and starts one worker on a private queue of the ``--broker``.

    .venv/bin/python benchmarks/wms.py [--lines 200] [--bins 1000] [--concurrency 1]
"""

import argparse
import os
import subprocess
import sys
import time
import uuid
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
parser.add_argument("--lines", type=int, default=200, help="lines of the dispatched shipment")
parser.add_argument("--bins", type=int, default=1000, help="bins of the approved count")
parser.add_argument("--concurrency", type=int, default=1, help="worker pool processes")
parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432")
parser.add_argument("--db", default="wms_db", help="database to make (dropped first)")
parser.add_argument("--broker", default="redis://127.0.0.1:6379/2")
args = parser.parse_args()
if args.lines > args.bins:
    parser.error("--lines must not exceed --bins: each shipped line comes from its own bin")

QUEUE = f"bench-wms-{uuid.uuid4().hex[:8]}"
ENV = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "config.settings",
    "DATABASE_URL": f"{args.pg}/{args.db}",
    "CELERY_BROKER_URL": args.broker,
    "CELERY_TASK_ALWAYS_EAGER": "0",
    "CELERY_TASK_DEFAULT_QUEUE": QUEUE,
    "DB_CONN_MAX_AGE": "60",
    "LOG_LEVEL": "WARNING",
}
os.environ.update(ENV)

subprocess.run(["psql", f"{args.pg}/postgres", "-qc", f"DROP DATABASE IF EXISTS {args.db}"],
               check=True)  # fmt: skip
subprocess.run(["psql", f"{args.pg}/postgres", "-qc", f"CREATE DATABASE {args.db}"], check=True)
subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=ENV, check=True)

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from erp_core.models import Item, Partner, Warehouse  # noqa: E402
from erp_core.sales import services as sales  # noqa: E402
from erp_core.stock.models import StockMove  # noqa: E402
from erp_core.stock.services import MoveLine, stock_moves_book  # noqa: E402
from erp_core.testing.books import seed_books  # noqa: E402
from erp_core.tests.factories import (  # noqa: E402
    ItemCategoryFactory,
    PartnerFactory,
    TaxCodeFactory,
    UnitOfMeasureFactory,
)
from integration.models import Event  # noqa: E402
from wms.models import Bin, OutboundOrder, Zone  # noqa: E402
from wms.services import counts  # noqa: E402
from wms.services import outbound as out  # noqa: E402
from wms.services.internal import bin_move  # noqa: E402
from wms.services.setup import wms_warehouse_adopt, wms_warehouse_setup  # noqa: E402

D = Decimal
POLL = 0.01


def start_worker() -> subprocess.Popen:
    """One Celery worker on the private queue (the project's receivers, as in production)."""
    return subprocess.Popen(
        [
            sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", QUEUE,
            "-c", str(args.concurrency), "-P", "prefork", "-l", "WARNING",
            "--without-heartbeat", "--without-gossip", "--without-mingle",
        ],
        cwd=ROOT, env=ENV,
    )  # fmt: skip


def wait_quiet(timeout: float = 600) -> None:
    """Block until no event waits for delivery."""
    deadline = time.monotonic() + timeout
    while Event.objects.exclude(status=Event.Status.DELIVERED).exists():
        if time.monotonic() > deadline:
            stuck = list(
                Event.objects.exclude(status=Event.Status.DELIVERED).values("topic", "status")
            )
            raise SystemExit(f"events not delivered: {stuck[:5]}")
        time.sleep(0.05)


def wait_booked(moves, expected: int, timeout: float = 600) -> float:
    """Block until ``expected`` ledger moves of ``moves`` exist, each in a journal entry; the
    moment it is so (perf_counter)."""
    deadline = time.monotonic() + timeout
    while moves.filter(journal_entry__isnull=False).count() < expected:
        if time.monotonic() > deadline:
            raise SystemExit(f"only {moves.count()} of {expected} moves booked")
        time.sleep(POLL)
    return time.perf_counter()


def report(name: str, action: float, booked: float, moves: int) -> None:
    print(f"{name}: WMS action {action * 1000:.0f} ms; action start → ERP ledger and GL hold all "
          f"{moves} moves {booked:.2f} s; {moves / booked:.0f} moves/s")  # fmt: skip


# --- the warehouse: items, bins, stock ---------------------------------------------------------
seed_books()
worker = start_worker()
try:
    started = time.perf_counter()
    unit, category = UnitOfMeasureFactory(), ItemCategoryFactory()
    vat = TaxCodeFactory(code="VB13", rate=D("0.13"))
    warehouse = Warehouse.objects.create(code="WH-B", name="Bench warehouse")
    items = [
        Item.objects.create(code=f"B{n:05d}", name=f"Bench item {n}", unit=unit,
                            category=category, vat=vat, item_type=Item.ItemType.FINISHED_GOOD,
                            list_price=D("100.00"), standard_cost=D("10.00"))
        for n in range(1, args.bins + 1)
    ]  # fmt: skip
    # The ERP holds the stock before WMS takes the warehouse over (10 of each item).
    stock_moves_book(
        lines=[MoveLine(item=item, warehouse=warehouse, quantity=D(10),
                        reason=StockMove.Reason.RECEIPT, unit_cost=D("10")) for item in items]
    )  # fmt: skip
    setup = wms_warehouse_setup(warehouse=warehouse)
    wms_warehouse_adopt(warehouse=warehouse)
    setup.refresh_from_db()
    zone = Zone.objects.create(warehouse=warehouse, code="B", name="Bench aisle")
    Bin.objects.bulk_create(
        [Bin(warehouse=warehouse, zone=zone, code=f"B-{n:05d}", barcode=f"WHB-{n:05d}",
             bin_type=Bin.Type.STORAGE, walking_order=n) for n in range(1, args.bins + 1)]
    )  # fmt: skip
    Bin.objects.create(warehouse=warehouse, zone=zone, code="SHIP", barcode="WHB-SHIP",
                       bin_type=Bin.Type.SHIPPING, walking_order=args.bins + 1)  # fmt: skip
    bins = list(Bin.objects.filter(zone=zone, bin_type=Bin.Type.STORAGE).order_by("walking_order"))
    for item, bin in zip(items, bins, strict=True):
        bin_move(from_bin=setup.default_bin, to_bin=bin, item=item, quantity=D(10))
    print(f"set-up: {args.bins} items in {args.bins} bins in {time.perf_counter() - started:.1f} s")

    # --- 1. a shipment of --lines lines ---------------------------------------------------------
    customer = PartnerFactory(kind=Partner.Kind.CUSTOMER)
    with transaction.atomic():
        order = sales.sales_order_create(
            customer=customer, warehouse=warehouse, date=timezone.localdate(),
            lines=[{"item": item, "quantity": D(2)} for item in items[: args.lines]],
            actor=None,
        )  # fmt: skip
        order = sales.sales_order_approve(order=order, actor=None)
    wait_quiet()  # the worker makes the outbound order
    outbound = OutboundOrder.objects.get(sales_order=order)
    pick_list = out.pick_list_create(orders=[outbound])
    for task in pick_list.tasks.select_related("bin", "item").order_by("sequence"):
        out.pick_list_pick(pick_list=pick_list, task_id=task.pk, bin_barcode=task.bin.barcode,
                           item_code=task.item.code, quantity=str(task.quantity))  # fmt: skip
    out.package_create(order=outbound, weight="480")
    shipment = out.shipment_create(order=outbound, carrier="Bench", tracking_number="B-1")
    shipped = StockMove.objects.filter(warehouse=warehouse, reason=StockMove.Reason.SHIPMENT)

    t0 = time.perf_counter()
    out.shipment_dispatch(shipment=shipment)
    t_action = time.perf_counter() - t0
    t_booked = wait_booked(shipped, args.lines) - t0
    report(f"dispatch of a {args.lines}-line shipment", t_action, t_booked, args.lines)
    wait_quiet()  # the invoice, and whatever else the dispatch set off

    # --- 2. a count of --bins bins, each one short ----------------------------------------------
    count = counts.count_start(warehouse=warehouse, bins=bins)
    shipped_items = {item.pk for item in items[: args.lines]}
    for item, bin in zip(items, bins, strict=True):
        on_hand = 8 if item.pk in shipped_items else 10
        counts.count_record(count=count, bin_barcode=bin.barcode, barcode=item.code,
                            quantity=str(on_hand - 1))  # fmt: skip
    counts.count_submit(count=count, actor=None)
    adjusted = StockMove.objects.filter(
        warehouse=warehouse, reason=StockMove.Reason.ADJUSTMENT, source_type="wms.count"
    )
    t0 = time.perf_counter()
    counts.count_approve(count=count, actor=None)
    t_action = time.perf_counter() - t0
    t_booked = wait_booked(adjusted, args.bins) - t0
    report(f"approval of a {args.bins}-bin count", t_action, t_booked, args.bins)
    wait_quiet()
finally:
    worker.terminate()
    worker.wait(timeout=30)
