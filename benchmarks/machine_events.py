"""Machine data benchmark: 50 simulated machines posting batches of events over HTTP.

Needs PostgreSQL (default: the local one). It makes its own database, a work center with the
machines and one device (with its own token) per machine, starts gunicorn on the project, and
runs one client thread per machine for ``--seconds``: each posts a batch of ``--batch`` events
(counter readings, now and then a state change with a stop reason, an alarm), waits for the
answer, and posts the next. Then it prints the events accepted per minute, the loss (events
answered as accepted but not stored, or never accepted — must be 0) and the latency of the batch
POST (median, p95), and checks that resending a batch stores nothing twice.

    .venv/bin/python benchmarks/machine_events.py [--seconds 120] [--machines 50] [--batch 50]
        [--interval 0] [--reuse]

``--interval 7.5`` paces each machine to one batch of 50 every 7.5 s: 20,000 events a minute
offered, the aim; ``--interval 0`` posts back to back and measures the most the server takes.
"""

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
parser.add_argument("--seconds", type=float, default=120, help="length of the run")
parser.add_argument("--machines", type=int, default=50, help="simulated machines (one device each)")
parser.add_argument("--batch", type=int, default=50, help="events per POST")
parser.add_argument(
    "--interval",
    type=float,
    default=0,
    help="seconds from one batch's start to the next per machine (0: back to back, saturating)",
)
parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
parser.add_argument("--port", type=int, default=8765)
parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432")
parser.add_argument("--db", default="zhongtai_bench_mes")
parser.add_argument("--reuse", action="store_true", help="keep the database of an earlier run")
args = parser.parse_args()

ENV = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "config.settings",
    "DATABASE_URL": f"{args.pg}/{args.db}",
    "DB_CONN_MAX_AGE": "60",
    "DEBUG": "0",
    "SECRET_KEY": "benchmark-only-not-a-secret",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SECURE_SSL_REDIRECT": "0",
    "LOG_LEVEL": "WARNING",
}
os.environ.update(ENV)

if not args.reuse:
    subprocess.run(
        ["psql", args.pg + "/postgres", "-qc", f"DROP DATABASE IF EXISTS {args.db}"], check=True
    )
    subprocess.run(["psql", args.pg + "/postgres", "-qc", f"CREATE DATABASE {args.db}"], check=True)
subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=ENV, check=True)

import django  # noqa: E402

django.setup()

from erp_core.models import WorkCenter  # noqa: E402
from mes.models import Downtime, Machine, MachineDevice, MachineEvent  # noqa: E402
from mes.services.devices import device_issue  # noqa: E402

Downtime.objects.all().delete()  # an earlier run's (--reuse)
MachineEvent.objects.all().delete()
MachineDevice.objects.all().delete()
Machine.objects.all().delete()
center, _new = WorkCenter.objects.get_or_create(
    code="BENCH", defaults={"name": "Benchmark line", "machines": args.machines}
)
tokens: list[tuple[str, str]] = []
for n in range(args.machines):
    machine = Machine.objects.create(work_center=center, code=f"B{n:03d}", name=f"Bench {n}")
    _device, token = device_issue(name=f"bench-{n}", machines=[machine])
    tokens.append((machine.code, token))

server = subprocess.Popen(
    [
        sys.executable, "-m", "gunicorn", "config.wsgi", "-b", f"127.0.0.1:{args.port}",
        "-w", str(args.workers), "--threads", str(args.threads), "--log-level", "warning",
    ],
    cwd=ROOT, env=ENV,
)  # fmt: skip
URL = f"http://127.0.0.1:{args.port}/api/v1/mes/machine-events/"
for _ in range(300):
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{args.port}/healthz", timeout=1)
        break
    except OSError:
        time.sleep(0.2)

REASONS = ["breakdown", "changeover", "material_shortage", "no_operator"]


def post(token: str, body: list[dict]) -> tuple[int, dict, float]:
    """POST a batch; its status, answer and latency in seconds."""
    request = urllib.request.Request(
        URL,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Device {token}"},
        method="POST",
    )
    began = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            status, data = answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        status, data = error.code, {"detail": error.read()[:200].decode(errors="replace")}
    return status, data, time.perf_counter() - began


class Simulated(threading.Thread):
    """One machine's device: counters that grow (and reset once), states now and then."""

    def __init__(self, code: str, token: str, deadline: float, seed: int) -> None:
        super().__init__(daemon=True)
        self.code, self.token, self.deadline = code, token, deadline
        self.random = random.Random(seed)
        self.sent = self.accepted = self.failures = 0
        self.latencies: list[float] = []
        self.first_batch: list[dict] = []
        self.good = self.scrap = self.seq = 0
        self.clock = datetime.now(UTC) - timedelta(hours=2)

    def event(self, kind: str, **fields) -> dict:
        self.seq += 1
        self.clock += timedelta(milliseconds=self.random.randint(50, 150))
        return {"event_id": f"{self.code}-{self.seq}", "machine": self.code, "kind": kind,
                "occurred_at": self.clock.isoformat(), **fields}  # fmt: skip

    def batch(self) -> list[dict]:
        events = []
        for _ in range(args.batch):
            roll = self.random.random()
            if roll < 0.02:
                down = self.random.random() < 0.5
                fields = (
                    {"state": "down", "reason": self.random.choice(REASONS)}
                    if down
                    else {"state": "running"}
                )
                events.append(self.event("state", **fields))
            elif roll < 0.03:
                events.append(self.event("alarm", code=f"A{self.random.randint(1, 40)}"))
            else:
                if self.seq == 5000:  # the counter resets once
                    self.good = self.scrap = 0
                self.good += self.random.randint(0, 3)
                self.scrap += self.random.random() < 0.05
                events.append(self.event("counter", good=self.good, scrap=self.scrap))
        return events

    def run(self) -> None:
        next_start = time.monotonic() + self.random.uniform(0, args.interval)
        while time.monotonic() < self.deadline:
            if args.interval:
                time.sleep(max(0.0, next_start - time.monotonic()))
                next_start += args.interval
                if time.monotonic() >= self.deadline:
                    break
            body = self.batch()
            if not self.first_batch:
                self.first_batch = body
            status, data, latency = post(self.token, body)
            self.sent += len(body)
            if status == 201:
                self.accepted += data["accepted"]
                self.latencies.append(latency)
            else:
                self.failures += 1
                print(f"{self.code}: {status} {data}", file=sys.stderr)


try:
    began = time.monotonic()
    threads = [
        Simulated(code, token, began + args.seconds, seed)
        for seed, (code, token) in enumerate(tokens)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    sent = sum(t.sent for t in threads)
    accepted = sum(t.accepted for t in threads)
    stored = MachineEvent.objects.count()
    latencies = sorted(lat for t in threads for lat in t.latencies)
    # Resending a batch already stored must store nothing.
    status, data, _latency = post(threads[0].token, threads[0].first_batch)
    resent_ok = status == 200 and data["accepted"] == 0 and MachineEvent.objects.count() == stored
finally:
    server.terminate()
    server.wait()

p95 = latencies[int(0.95 * (len(latencies) - 1))] if latencies else float("nan")
pace = f"a batch every {args.interval:g} s per machine" if args.interval else "back to back"
print(f"machines {args.machines}, batch {args.batch} events, {pace}, {elapsed:.0f} s, "
      f"gunicorn {args.workers} workers x {args.threads} threads")  # fmt: skip
print(f"events sent {sent}, accepted {accepted}, stored {stored}")
print(f"events accepted per minute: {accepted / elapsed * 60:,.0f}")
print(f"loss: {sent - stored} events ({sum(t.failures for t in threads)} failed batches)")
print(f"batch POST latency: median {statistics.median(latencies) * 1000:.0f} ms, "
      f"p95 {p95 * 1000:.0f} ms over {len(latencies)} batches")  # fmt: skip
print(f"a resent batch stores nothing: {'yes' if resent_ok else 'NO'}")
