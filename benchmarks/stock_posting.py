"""Stock ledger benchmark on PostgreSQL: posting throughput and a backdated move's revaluation.

1. Posting: N receipts and issues through the services, each with its valuation, balance update
   and journal entry (numbered, in one transaction) — moves per second and SQL statements per
   move; then the same moves booked ``--batch`` to a transaction, as a handler books the lines
   of one shipment (the posting rules are read once per transaction).
2. Backdated: an item with H later moves (the history is bulk-loaded, valued by the engine), then
   one receipt dated before all of them through ``stock_receipt`` — the time to replay the
   history, write the revaluation rows and post the correcting entry.

    .venv/bin/python benchmarks/stock_posting.py [--moves 2000] [--batch 10] [--history 50000]
"""

import argparse
import datetime as dt
import os
import random
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
parser.add_argument("--moves", type=int, default=2000)
parser.add_argument("--batch", type=int, default=10, help="moves per transaction in the 2nd run")
parser.add_argument("--history", type=int, default=50_000)
parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432")
args = parser.parse_args()

DB_NAME = "zhongtai_bench_stock"
os.environ.update(
    DJANGO_SETTINGS_MODULE="config.settings",
    DATABASE_URL=f"{args.pg}/{DB_NAME}",
    LOG_LEVEL="WARNING",
)
subprocess.run(
    ["psql", f"{args.pg}/postgres", "-qc", f"DROP DATABASE IF EXISTS {DB_NAME}"], check=True
)
subprocess.run(["psql", f"{args.pg}/postgres", "-qc", f"CREATE DATABASE {DB_NAME}"], check=True)
subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, check=True)

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from erp_core.ledger.services import ledger_seed  # noqa: E402
from erp_core.models import Item, ItemCategory, UnitOfMeasure, Warehouse  # noqa: E402
from erp_core.stock import services  # noqa: E402
from erp_core.stock.models import StockBalance, StockMove  # noqa: E402
from erp_core.valuation import Move, value_moves  # noqa: E402
from erp_core.valuation.engine import stock_effect  # noqa: E402

ledger_seed()
unit = UnitOfMeasure.objects.create(code="PCS", name="Piece", category="count")
category = ItemCategory.objects.create(code="RM", name="Raw")
warehouse = Warehouse.objects.create(code="MAIN", name="Main")


def new_item(code: str, method: str) -> Item:
    return Item.objects.create(
        code=code, name=code, item_type="raw", unit=unit, category=category, costing_method=method
    )


# --- 1. Posting throughput --------------------------------------------------------------------
class StatementCounter:
    """Counts the SQL statements sent (savepoints included)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def post_move(item: Item, n: int, rng: random.Random) -> None:
    """The n-th move: receipts and issues alternate."""
    if n % 2 == 0:
        services.stock_receipt(item=item, warehouse=warehouse, quantity=Decimal(rng.randint(5, 50)),
                               unit_cost=Decimal(rng.randint(100, 9999)) / 100)  # fmt: skip
    else:
        services.stock_issue(item=item, warehouse=warehouse, quantity=Decimal(rng.randint(1, 5)))


for batch in (1, args.batch):
    rng = random.Random(3)
    item = new_item(f"POST-{batch}", "moving_average")
    counter = StatementCounter()
    started, cpu_started = time.perf_counter(), time.process_time()
    with connection.execute_wrapper(counter):
        for first in range(0, args.moves, batch):
            if batch == 1:
                post_move(item, first, rng)
                continue
            with transaction.atomic():
                for n in range(first, min(first + batch, args.moves)):
                    post_move(item, n, rng)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    label = "one move a transaction" if batch == 1 else f"{batch} moves a transaction"
    print(f"posting ({label}): {args.moves} moves with journal entries in {elapsed:.1f} s "
          f"= {args.moves / elapsed:.0f} moves/s; per move {counter.count / args.moves:.1f} SQL "
          f"statements, {cpu * 1000 / args.moves:.1f} ms of this process's CPU "
          f"(moving average, one item)")  # fmt: skip

# --- 2. Backdated move before a long history --------------------------------------------------
rng = random.Random(3)
for method in ("moving_average", "fifo"):
    item = new_item(f"HIST-{method}", method)
    start = timezone.now() - dt.timedelta(days=20)
    moves, on_hand = [], Decimal(0)
    for n in range(args.history):
        if on_hand > 10 and rng.random() < 0.5:
            quantity = -Decimal(rng.randint(1, int(on_hand) // 2))
            moves.append(Move(n, quantity))
        else:
            quantity = Decimal(rng.randint(1, 100))
            moves.append(
                Move(n, quantity, value=Decimal(rng.randint(100, 99_999)) / 100 * quantity)
            )
        on_hand += quantity
    valued = value_moves(method=method, moves=moves)
    rows = []
    for n, (move, result) in enumerate(zip(moves, valued, strict=True)):
        value, variance = stock_effect(result)
        rows.append(StockMove(
            item=item, warehouse=warehouse, moved_at=start + dt.timedelta(seconds=20 * n),
            reason="receipt" if move.quantity > 0 else "issue", quantity=move.quantity,
            unit_cost=result.unit_cost, value=value, variance=variance,
            receipt_value=(result.value + result.variance) if move.quantity > 0 else None,
        ))  # fmt: skip
    StockMove.objects.bulk_create(rows, batch_size=5000)
    state = valued[-1].state
    StockBalance.objects.create(
        item=item, warehouse=warehouse, quantity=state.quantity, value=state.value,
        layers=[[str(layer.quantity), str(layer.value)] for layer in state.layers],
        last_unit_cost=state.last_unit_cost,
    )  # fmt: skip
    started = time.perf_counter()
    services.stock_receipt(
        item=item, warehouse=warehouse, quantity=Decimal(25), unit_cost=Decimal("7.77"),
        moved_at=start - dt.timedelta(hours=1),
    )  # fmt: skip
    elapsed = time.perf_counter() - started
    corrections = StockMove.objects.filter(item=item, reason="revaluation").count()
    print(f"backdated ({method}): {args.history} later moves re-valued in {elapsed:.2f} s, "
          f"{corrections} revaluation rows and one correcting entry")  # fmt: skip
