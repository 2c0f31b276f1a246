"""Stock ledger benchmark on PostgreSQL: posting throughput and a backdated move's revaluation.

1. Posting: N receipts and issues through the services, each with its valuation, balance update
   and journal entry (numbered, in one transaction) — moves per second.
2. Backdated: an item with H later moves (the history is bulk-loaded, valued by the engine), then
   one receipt dated before all of them through ``stock_receipt`` — the time to replay the
   history, write the revaluation rows and post the correcting entry.

    .venv/bin/python benchmarks/stock_posting.py [--moves 2000] [--history 50000]
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
rng = random.Random(3)
item = new_item("POST", "moving_average")
started = time.perf_counter()
for n in range(args.moves):
    if n % 2 == 0:
        services.stock_receipt(item=item, warehouse=warehouse, quantity=Decimal(rng.randint(5, 50)),
                               unit_cost=Decimal(rng.randint(100, 9999)) / 100)  # fmt: skip
    else:
        services.stock_issue(item=item, warehouse=warehouse, quantity=Decimal(rng.randint(1, 5)))
elapsed = time.perf_counter() - started
print(f"posting: {args.moves} moves with journal entries in {elapsed:.1f} s "
      f"= {args.moves / elapsed:.0f} moves/s (moving average, one item)")  # fmt: skip

# --- 2. Backdated move before a long history --------------------------------------------------
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
