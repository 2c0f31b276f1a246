"""Bus benchmark: events delivered per second by one Celery worker, and commit-to-applied lag.

Needs PostgreSQL and Redis (defaults: the local ones). It makes its own database, fills a
private queue while no worker runs and times one worker draining it (throughput), then publishes
at a steady rate with the worker running and reports the lag from commit to "applied by every
receiver" (median and p95). Each event has two receivers (the bus probe's), each writing a row
in its own transaction with its receipt.

    .venv/bin/python benchmarks/bus_throughput.py [--events 2000] [--rate 50] [--concurrency 1]
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
parser.add_argument("--events", type=int, default=2000, help="events for the throughput run")
parser.add_argument("--rate", type=float, default=50, help="events per second for the lag run")
parser.add_argument("--seconds", type=float, default=20, help="length of the lag run")
parser.add_argument("--concurrency", type=int, default=1, help="worker pool processes")
parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432")
parser.add_argument("--broker", default="redis://127.0.0.1:6379/14")
args = parser.parse_args()

DB_NAME = "zhongtai_bench"
QUEUE = f"bench-{uuid.uuid4().hex[:8]}"
ENV = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "config.settings",
    "DATABASE_URL": f"{args.pg}/{DB_NAME}",
    "CELERY_BROKER_URL": args.broker,
    "CELERY_TASK_ALWAYS_EAGER": "0",
    "CELERY_TASK_DEFAULT_QUEUE": QUEUE,
    "LOG_LEVEL": "WARNING",
}
os.environ.update(ENV)

subprocess.run(
    ["psql", args.pg + "/postgres", "-qc", f"DROP DATABASE IF EXISTS {DB_NAME}"], check=True
)
subprocess.run(["psql", args.pg + "/postgres", "-qc", f"CREATE DATABASE {DB_NAME}"], check=True)
subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=ENV, check=True)

from tests import bus_probe  # noqa: E402, I001  (sets Django up first)

from django.db.models import Count  # noqa: E402

from integration.models import Event  # noqa: E402

bus_probe.create_tables()


def start_worker() -> subprocess.Popen:
    """One Celery worker on the private queue, loading the probe receivers."""
    return subprocess.Popen(
        [
            sys.executable, "-m", "celery", "-A", "config", "worker", "-I", "tests.bus_probe",
            "-Q", QUEUE, "-c", str(args.concurrency), "-P", "prefork", "-l", "WARNING",
            "--without-heartbeat", "--without-gossip", "--without-mingle",
        ],
        cwd=ROOT, env=ENV,
    )  # fmt: skip


def wait_delivered(total: int, timeout: float = 600) -> None:
    """Block until ``total`` events are delivered."""
    deadline = time.monotonic() + timeout
    while Event.objects.filter(status=Event.Status.DELIVERED).count() < total:
        if time.monotonic() > deadline:
            raise SystemExit("timed out waiting for deliveries")
        time.sleep(0.05)


# --- Throughput: a full queue, one worker draining it ----------------------------------------
for n in range(args.events):
    bus_probe.publish_probe(mode="ok", marker=f"t{n}")
worker = start_worker()
try:
    first = None
    while first is None:  # start the clock at the first delivery: worker boot is not bus time
        first = Event.objects.filter(status=Event.Status.DELIVERED).order_by("delivered_at").first()
        time.sleep(0.01)
    wait_delivered(args.events)
    last = Event.objects.filter(status=Event.Status.DELIVERED).order_by("-delivered_at").first()
    elapsed = (last.delivered_at - first.delivered_at).total_seconds()
    throughput = (args.events - 1) / elapsed if elapsed else float("inf")

    # --- Lag: a steady rate with the worker running ------------------------------------------
    Event.objects.all().delete()
    interval = 1 / args.rate
    count = int(args.rate * args.seconds)
    started = time.monotonic()
    for n in range(count):
        bus_probe.publish_probe(mode="ok", marker=f"l{n}")
        pause = started + (n + 1) * interval - time.monotonic()
        if pause > 0:
            time.sleep(pause)
    wait_delivered(count)
finally:
    worker.terminate()
    worker.wait(timeout=30)

lags = sorted(
    (e.delivered_at - e.occurred_at).total_seconds() * 1000
    for e in Event.objects.only("delivered_at", "occurred_at")
)
receipts = Event.objects.aggregate(n=Count("pk"))["n"]
print(f"worker: 1 process, pool of {args.concurrency}, broker {args.broker}, PostgreSQL {DB_NAME}")
print(f"throughput: {throughput:.0f} events/s ({args.events} events, 2 receivers each)")
print(
    f"lag commit->applied at {args.rate:g} events/s over {args.seconds:g}s ({receipts} events): "
    f"median {statistics.median(lags):.1f} ms, p95 {lags[int(0.95 * (len(lags) - 1))]:.1f} ms"
)
