"""A probe topic and receiver for testing and benchmarking the bus end to end.

The receiver's effect is a row in a plain table with no unique key, so an effect applied twice
shows as two rows. Its behaviour is steered by the payload's ``mode``:
``ok``; ``fail:N`` (fail the first N attempts); ``always_fail``; ``sleep_first:S`` (sleep S seconds
inside its transaction on the first attempt only, so a worker can be killed mid-way).

Worker processes load it with ``celery -A config worker -I tests.bus_probe``; the command line
``python -m tests.bus_probe publish --mode ok --marker m1`` publishes from a separate process.
"""

import argparse
import os
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.db import connection, transaction  # noqa: E402

from integration.bus import publish  # noqa: E402
from integration.models import Event  # noqa: E402
from integration.receivers import Receiver, on, registry  # noqa: E402
from integration.topics import TOPICS, declare  # noqa: E402

probe_happened = TOPICS.get("probe.happened") or declare(
    "probe.happened",
    fields={"mode": "str", "marker": "str"},
    description="Test-only: exercises delivery, retries and crashes.",
)

TABLES = (
    "CREATE TABLE IF NOT EXISTS bus_probe_business (marker varchar(64) NOT NULL)",
    "CREATE TABLE IF NOT EXISTS bus_probe_attempt (event_id varchar(64) NOT NULL)",
    "CREATE TABLE IF NOT EXISTS bus_probe_effect "
    "(event_id varchar(64) NOT NULL, receiver varchar(64) NOT NULL)",
)


def create_tables() -> None:
    """Create the probe's tables (idempotent)."""
    with connection.cursor() as cursor:
        for statement in TABLES:
            cursor.execute(statement)


def clear_tables() -> None:
    """Empty the probe's tables."""
    with connection.cursor() as cursor:
        for table in ("bus_probe_business", "bus_probe_attempt", "bus_probe_effect"):
            cursor.execute(f"DELETE FROM {table}")


def _count(sql: str, *params) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def effects(event_id, receiver: str = "apply_probe") -> int:
    """How many times a receiver's effect was applied for the event."""
    return _count(
        "SELECT COUNT(*) FROM bus_probe_effect WHERE event_id = %s AND receiver = %s",
        str(event_id),
        receiver,
    )


def attempts(event_id) -> int:
    """How many times a receiver was called for the event, successful or not."""
    return _count("SELECT COUNT(*) FROM bus_probe_attempt WHERE event_id = %s", str(event_id))


def business_rows(marker: str) -> int:
    """Rows the publishing 'business' transaction wrote with this marker."""
    return _count("SELECT COUNT(*) FROM bus_probe_business WHERE marker = %s", marker)


class ProbeFailure(RuntimeError):
    """The failure the probe receiver was asked to produce."""


def _record_attempt(event_id) -> int:
    # Autocommit, outside the receiver's transaction: survives its rollback.
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO bus_probe_attempt (event_id) VALUES (%s)", [str(event_id)])
    return attempts(event_id)


class AttemptCountingReceiver(Receiver):
    """A receiver that counts each call, also those that fail or find the event handled."""

    def __call__(self, event: Event) -> None:
        _record_attempt(event.pk)
        super().__call__(event)


def _apply_probe(event: Event) -> None:
    """Apply the probe's effect once, failing or sleeping as the payload's mode says."""
    mode = event.payload["mode"]
    attempt = attempts(event.pk)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO bus_probe_effect (event_id, receiver) VALUES (%s, %s)",
            [str(event.pk), "apply_probe"],
        )
    if mode == "always_fail":
        raise ProbeFailure("always fails")
    if mode.startswith("fail:") and attempt <= int(mode.split(":")[1]):
        raise ProbeFailure(f"fails on attempt {attempt}")
    if mode.startswith("sleep_first:") and attempt == 1:
        time.sleep(float(mode.split(":")[1]))


def _count_probe(event: Event) -> None:
    """A second, always healthy receiver of the same topic."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO bus_probe_effect (event_id, receiver) VALUES (%s, %s)",
            [str(event.pk), "count_probe"],
        )


# This module may run twice in one process (as ``__main__`` and imported): declare once.
if "tests.apply_probe" not in {r.name for r in registry}:
    apply_probe = registry.add(
        AttemptCountingReceiver(topic=probe_happened, name="tests.apply_probe", func=_apply_probe)
    )
    count_probe = on(probe_happened, name="tests.count_probe")(_count_probe)
else:
    apply_probe, count_probe = registry.get("tests.apply_probe"), registry.get("tests.count_probe")


def publish_probe(*, mode: str = "ok", marker: str = "") -> Event:
    """A 'business' change and its event, in one transaction, as a service would do it."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO bus_probe_business (marker) VALUES (%s)", [marker])
        return publish(topic=probe_happened, payload={"mode": mode, "marker": marker})


def main() -> None:
    """Command line for subprocess tests and benchmarks."""
    parser = argparse.ArgumentParser()
    parser.add_argument("action", choices=["setup", "publish"])
    parser.add_argument("--mode", default="ok")
    parser.add_argument("--marker", default="")
    parser.add_argument("--count", type=int, default=1)
    args = parser.parse_args()
    create_tables()
    if args.action == "publish":
        for _ in range(args.count):
            event = publish_probe(mode=args.mode, marker=args.marker)
            print(event.pk)


if __name__ == "__main__":
    main()
