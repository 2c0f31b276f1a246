"""Stock ledger benchmark on PostgreSQL: posting throughput and a backdated move's revaluation.

0. Ceiling: the rows a posted move leaves (its ledger row, the balance update, the journal
   sequence advanced, a draft entry with two lines then posted) written as plain SQL from one
   client, one statement a row, ``--batch`` moves a transaction, values made up in advance.
   What this machine can write at best; the posting figures are printed as a share of it. The
   same rows one move a transaction are printed too: a commit each is what bounds that case.
1. Posting: N receipts and issues through the services, each with its valuation, balance update
   and journal entry (numbered, in one transaction) — moves per second and SQL statements per
   move; then the same moves booked ``--batch`` at a time through ``stock_moves_book``, as a
   handler books the lines of one shipment (one entry per batch: its moves share a document).
2. Backdated: an item with H later moves (the history is loaded with COPY, valued by the
   engine), then one receipt dated before all of them through ``stock_receipt`` — the time to
   replay the history, write the revaluation rows and post the correcting entry, and the peak
   memory of this process during that call.

    .venv/bin/python benchmarks/stock_posting.py [--moves 2000] [--batch 10] \
        [--history 50000 [500000 …]] [--methods moving_average fifo] [--db NAME] \
        [--template MIGRATED_EMPTY_DB]
"""

import argparse
import contextlib
import datetime as dt
import io
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
parser.add_argument(
    "--history",
    type=int,
    nargs="*",
    default=[50_000],
    help="later moves before the backdated receipt; none: skip that part",
)
parser.add_argument("--methods", nargs="+", default=["moving_average", "fifo"])
parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432")
parser.add_argument(
    "--db", default="zhongtai_bench_stock", help="the database made (dropped first)"
)
parser.add_argument(
    "--template", help="make it as a copy of this migrated, empty database (faster)"
)
args = parser.parse_args()

DB_NAME = args.db
os.environ.update(
    DJANGO_SETTINGS_MODULE="config.settings",
    DATABASE_URL=f"{args.pg}/{DB_NAME}",
    LOG_LEVEL="WARNING",
    # As in production: with DEBUG on, Django also records the text of every statement.
    DEBUG="0",
    SECRET_KEY="benchmark-only-not-a-secret",
)
subprocess.run(
    ["psql", f"{args.pg}/postgres", "-qc", f"DROP DATABASE IF EXISTS {DB_NAME}"], check=True
)
template = f" TEMPLATE {args.template}" if args.template else ""
subprocess.run(
    ["psql", f"{args.pg}/postgres", "-qc", f"CREATE DATABASE {DB_NAME}{template}"], check=True
)
subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, check=True)

import django  # noqa: E402

django.setup()

import psycopg2  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from erp_core.ledger.models import Journal, JournalSequence  # noqa: E402
from erp_core.ledger.selectors import period_for_date  # noqa: E402
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


def rss_mib(field: str) -> float:
    """This process's resident memory (VmRSS) or its peak (VmHWM), in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def reset_peak_rss() -> None:
    """Start the peak (VmHWM) again from the current resident memory (Linux ≥ 4.0)."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


# --- 0. The ceiling: the same rows as plain SQL from one client --------------------------------
def ceiling(moves: int, batch: int) -> float:
    """Moves a second when a posted move's rows are written as plain SQL, one statement a row."""
    item = new_item(f"CEILING-{batch}", "moving_average")
    balance = StockBalance.objects.create(item=item, warehouse=warehouse)
    period = period_for_date(date=timezone.localdate())
    journal = Journal.objects.get(code="STK")
    sequence = JournalSequence.objects.get(journal=journal, fiscal_year=period.fiscal_year)
    rules = {"inventory": 0, "counter": 0}
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM ledger_account WHERE code IN ('1405', '1401') ORDER BY code")
        rules["counter"], rules["inventory"] = (row[0] for row in cursor.fetchall())
    rng = random.Random(3)
    planned = [
        (Decimal(rng.randint(5, 50)) if n % 2 == 0 else -Decimal(rng.randint(1, 5)),
         Decimal(rng.randint(100, 9999)) / 100)
        for n in range(moves)
    ]  # fmt: skip
    now, today = timezone.now(), timezone.localdate()
    client = psycopg2.connect(f"{args.pg}/{DB_NAME}")
    started = time.perf_counter()
    with client.cursor() as cursor:
        for first in range(0, moves, batch):
            for quantity, cost in planned[first : first + batch]:
                value = (quantity * cost).quantize(Decimal("0.01"))
                cursor.execute(
                    "UPDATE stock_stockbalance SET quantity = quantity + %s, value = value + %s, "
                    "updated_at = %s WHERE id = %s",
                    [quantity, value, now, balance.pk],
                )
                cursor.execute(
                    "UPDATE ledger_journalsequence SET next_number = next_number + 1 "
                    "WHERE id = %s RETURNING next_number",
                    [sequence.pk],
                )
                number = cursor.fetchone()[0]
                cursor.execute(
                    "INSERT INTO ledger_journalentry (journal_id, fiscal_year_id, period_id, date, "
                    "memo, memo_kind, memo_args, status, source_type, source_id, created_at) "
                    "VALUES (%s, %s, %s, %s, %s, '', '{}', 'draft', 'stock.move', %s, %s) "
                    "RETURNING id",
                    [journal.pk, period.fiscal_year_id, period.pk, today, "ceiling", number, now],
                )
                entry = cursor.fetchone()[0]
                for account, debit, credit in (
                    (rules["inventory"], max(value, 0), max(-value, 0)),
                    (rules["counter"], max(-value, 0), max(value, 0)),
                ):
                    cursor.execute(
                        "INSERT INTO ledger_journalline (entry_id, account_id, debit, credit, "
                        "memo, memo_kind, memo_args) VALUES (%s, %s, %s, %s, '', '', '{}')",
                        [entry, account, debit, credit],
                    )
                cursor.execute(
                    "UPDATE ledger_journalentry SET status = 'posted', number = %s, "
                    "posted_at = %s WHERE id = %s",
                    [f"CEIL-{number:06d}", now, entry],
                )
                cursor.execute(
                    "INSERT INTO stock_stockmove (item_id, warehouse_id, moved_at, reason, "
                    "quantity, unit_cost, value, receipt_value, variance, source_type, "
                    "source_id, journal_entry_id, created_at) VALUES "
                    "(%s, %s, %s, %s, %s, %s, %s, %s, 0, '', '', %s, %s)",
                    [
                        item.pk,
                        warehouse.pk,
                        now,
                        "receipt" if quantity > 0 else "issue",
                        quantity,
                        cost,
                        value,
                        value if quantity > 0 else None,
                        entry,
                        now,
                    ],
                )
            client.commit()
    elapsed = time.perf_counter() - started
    client.close()
    return moves / elapsed


top = ceiling(args.moves, args.batch)
print(f"ceiling (plain SQL from one client, {args.batch} moves a transaction, 7 statements a "
      f"move): {top:.0f} moves/s")  # fmt: skip
top_single = ceiling(args.moves, 1)
print(f"  the same, one move a transaction (a commit each): {top_single:.0f} moves/s")


# --- 1. Posting throughput --------------------------------------------------------------------
class StatementCounter:
    """Counts the SQL statements sent (savepoints included)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def planned_line(item: Item, n: int, rng: random.Random, source) -> services.MoveLine:
    """The n-th move: receipts and issues alternate."""
    if n % 2 == 0:
        return services.MoveLine(item=item, warehouse=warehouse, reason="receipt",
                                 quantity=Decimal(rng.randint(5, 50)), source=source,
                                 unit_cost=Decimal(rng.randint(100, 9999)) / 100)  # fmt: skip
    return services.MoveLine(item=item, warehouse=warehouse, reason="issue",
                             quantity=-Decimal(rng.randint(1, 5)), source=source)  # fmt: skip


def post_move(line: services.MoveLine) -> None:
    """One move in its own transaction, through the single-move services."""
    if line.quantity > 0:
        services.stock_receipt(item=line.item, warehouse=line.warehouse, quantity=line.quantity,
                               unit_cost=line.unit_cost, source=line.source)  # fmt: skip
    else:
        services.stock_issue(item=line.item, warehouse=line.warehouse, quantity=-line.quantity,
                             source=line.source)  # fmt: skip


for batch in (1, args.batch):
    rng = random.Random(3)
    item = new_item(f"POST-{batch}", "moving_average")
    counter = StatementCounter()
    started, cpu_started = time.perf_counter(), time.process_time()
    with connection.execute_wrapper(counter):
        for first in range(0, args.moves, batch):
            # The moves of one transaction come from one document, as a shipment's lines do.
            source = services.Source(type="bench.document", id=str(first))
            lines = [planned_line(item, n, rng, source)
                     for n in range(first, min(first + batch, args.moves))]  # fmt: skip
            if batch == 1:
                post_move(lines[0])
            else:
                services.stock_moves_book(lines=lines)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    label = "one move a transaction" if batch == 1 else f"{batch} moves a transaction"
    rate = args.moves / elapsed
    share = f"{rate / top:.0%} of the ceiling"
    if batch == 1:
        share += f", {rate / top_single:.0%} of its one-move-a-transaction line"
    print(f"posting ({label}): {args.moves} moves with journal entries in {elapsed:.1f} s "
          f"= {rate:.0f} moves/s ({share}); per move "
          f"{counter.count / args.moves:.2f} SQL statements, {cpu * 1000 / args.moves:.1f} ms of "
          f"this process's CPU (moving average, one item)")  # fmt: skip


# --- 2. Backdated move before a long history --------------------------------------------------
COLUMNS = (
    "item_id, warehouse_id, moved_at, reason, quantity, unit_cost, value, receipt_value, "
    "variance, source_type, source_id, created_at"
)


def load_history(item: Item, method: str, size: int, start: dt.datetime, rng) -> None:
    """Value ``size`` random moves with the engine and COPY them in as the item's ledger."""
    state, on_hand, chunk = None, Decimal(0), 20_000
    created = timezone.now().isoformat()
    for first in range(0, size, chunk):
        moves = []
        for n in range(first, min(first + chunk, size)):
            if on_hand > 10 and rng.random() < 0.5:
                quantity = -Decimal(rng.randint(1, int(on_hand) // 2))
                moves.append(Move(n, quantity))
            else:
                quantity = Decimal(rng.randint(1, 100))
                moves.append(
                    Move(n, quantity, value=Decimal(rng.randint(100, 99_999)) / 100 * quantity)
                )
            on_hand += quantity
        valued = value_moves(method=method, moves=moves, opening=state)
        state = valued[-1].state
        rows = io.StringIO()
        for move, result in zip(moves, valued, strict=True):
            value, variance = stock_effect(result)
            receipt = str(result.value + result.variance) if move.quantity > 0 else r"\N"
            moved_at = (start + dt.timedelta(seconds=20 * move.id)).isoformat()
            reason = "receipt" if move.quantity > 0 else "issue"
            fields = (item.pk, warehouse.pk, moved_at, reason, move.quantity, result.unit_cost,
                      value, receipt, variance, "", "", created)  # fmt: skip
            rows.write("\t".join(map(str, fields)) + "\n")
        rows.seek(0)
        with connection.cursor() as cursor:
            cursor.copy_expert(f"COPY stock_stockmove ({COLUMNS}) FROM STDIN", rows)
    StockBalance.objects.create(
        item=item, warehouse=warehouse, quantity=state.quantity, value=state.value,
        layers=[[str(layer.quantity), str(layer.value)] for layer in state.layers],
        last_unit_cost=state.last_unit_cost,
    )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE stock_stockmove")


for size in args.history:
    for method in args.methods:
        rng = random.Random(3)
        item = new_item(f"HIST-{method}-{size}", method)
        start = timezone.now() - dt.timedelta(seconds=20 * size + 3600)
        load_history(item, method, size, start, rng)
        resident = rss_mib("VmRSS")
        reset_peak_rss()
        started = time.perf_counter()
        services.stock_receipt(
            item=item, warehouse=warehouse, quantity=Decimal(25), unit_cost=Decimal("7.77"),
            moved_at=start - dt.timedelta(hours=1),
        )  # fmt: skip
        elapsed = time.perf_counter() - started
        peak = rss_mib("VmHWM")
        corrections = StockMove.objects.filter(item=item, reason="revaluation").count()
        print(f"backdated ({method}): {size} later moves re-valued in {elapsed:.2f} s, "
              f"{corrections} revaluation rows and one correcting entry; peak memory "
              f"{peak:.0f} MiB ({peak - resident:+.0f} MiB over the {resident:.0f} MiB before "
              f"the call)")  # fmt: skip
