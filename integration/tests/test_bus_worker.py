"""The bus with real processes: PostgreSQL, Redis and Celery workers that get killed.

These run under `.ci/run` (DATABASE_URL and CELERY_BROKER_URL set); on the embedded default they
are skipped. Publishing happens in a separate process, as a web request would.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection, connections

from integration import services
from integration.models import Event, EventReceipt

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _database_url() -> str:
    db = connection.settings_dict
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


class Bus:
    """Spawns workers and publishers that share the test database and one private queue."""

    def __init__(self, broker_url: str) -> None:
        self.broker_url = broker_url
        self.queue = f"test-{uuid.uuid4().hex[:8]}"
        self.workers: list[subprocess.Popen] = []

    def env(self, **extra: str) -> dict:
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": _database_url(),
            "CELERY_BROKER_URL": self.broker_url,
            "CELERY_TASK_ALWAYS_EAGER": "0",
            "CELERY_TASK_DEFAULT_QUEUE": self.queue,
            "CELERY_VISIBILITY_TIMEOUT": "4",
            "CELERY_UNACKED_RESTORE_SECONDS": "1",
            **extra,
        }

    def start_worker(self) -> subprocess.Popen:
        cmd = [
            sys.executable, "-m", "celery", "-A", "config", "worker",
            "-I", "tests.bus_probe", "-Q", self.queue, "-c", "1", "-P", "prefork",
            "--without-heartbeat", "--without-gossip", "--without-mingle", "-l", "INFO",
        ]  # fmt: skip
        log = open(f"/tmp/zhongtai-worker-{self.queue}-{len(self.workers)}.log", "w")  # noqa: SIM115
        worker = subprocess.Popen(
            cmd, cwd=ROOT, env=self.env(), stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        self.workers.append(worker)
        return worker

    def kill(self, worker: subprocess.Popen) -> None:
        """SIGKILL the worker and its pool children: no chance to ack or clean up."""
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)

    def run(self, *args: str, **extra_env: str) -> str:
        result = subprocess.run(
            [sys.executable, *args], cwd=ROOT, env=self.env(**extra_env),
            capture_output=True, text=True, timeout=60, check=True,
        )  # fmt: skip
        return result.stdout

    def publish(self, *, mode: str, marker: str) -> uuid.UUID:
        out = self.run("-m", "tests.bus_probe", "publish", "--mode", mode, "--marker", marker)
        return uuid.UUID(out.strip().splitlines()[-1])

    def stop(self) -> None:
        for worker in self.workers:
            if worker.poll() is None:
                os.killpg(worker.pid, signal.SIGTERM)
                try:
                    worker.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(worker.pid, signal.SIGKILL)


def _wait_for(predicate, *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def _status(event_id) -> str:
    return Event.objects.get(pk=event_id).status


@pytest.fixture
def bus(probe):
    bus = Bus(os.environ.get("CELERY_BROKER_URL", ""))
    yield bus
    bus.stop()


pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.mark.broker
def test_a_worker_delivers_a_committed_event(bus, probe):
    bus.start_worker()
    event_id = bus.publish(mode="ok", marker="w1")
    _wait_for(lambda: _status(event_id) == "delivered", timeout=60, what="delivery")
    assert probe.effects(event_id, "apply_probe") == 1
    assert probe.effects(event_id, "count_probe") == 1


@pytest.mark.broker
def test_worker_killed_mid_event_still_applies_it_exactly_once(bus, probe):
    worker = bus.start_worker()
    event_id = bus.publish(mode="sleep_first:30", marker="killed")
    # The receiver is inside its transaction, sleeping, when the worker dies.
    _wait_for(lambda: probe.attempts(event_id) >= 1, timeout=60, what="the first attempt")
    time.sleep(0.5)
    bus.kill(worker)
    assert _status(event_id) == "pending"
    assert probe.effects(event_id) == 0  # the killed transaction rolled back

    bus.start_worker()  # the unacked message comes back after the visibility timeout
    _wait_for(lambda: _status(event_id) == "delivered", timeout=90, what="redelivery")
    assert probe.attempts(event_id) >= 2
    assert probe.effects(event_id, "apply_probe") == 1
    assert probe.effects(event_id, "count_probe") == 1
    assert EventReceipt.objects.filter(event_id=event_id).count() == 2


@pytest.mark.broker
def test_broker_down_at_commit_keeps_the_change_and_the_sweep_delivers_later(probe):
    redis_server = shutil.which("redis-server")
    assert redis_server, "redis-server is needed for this test"
    port = _free_port()
    bus = Bus(f"redis://127.0.0.1:{port}/0")
    try:
        started = time.monotonic()
        event_id = bus.publish(mode="ok", marker="broker-down")  # nothing listens on the port
        assert time.monotonic() - started < 30, "publishing must not hang on a dead broker"
        assert probe.business_rows("broker-down") == 1
        assert _status(event_id) == "pending"

        redis = subprocess.Popen(
            [redis_server, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"],
            stdout=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
        try:
            bus.start_worker()
            bus.run("manage.py", "bus_sweep", BUS_SWEEP_GRACE_SECONDS="0")
            _wait_for(lambda: _status(event_id) == "delivered", timeout=60, what="the sweep")
            assert probe.effects(event_id, "apply_probe") == 1
            assert probe.effects(event_id, "count_probe") == 1
        finally:
            bus.stop()
            redis.terminate()
            redis.wait(timeout=10)
    finally:
        bus.stop()


@pytest.mark.postgres
def test_concurrent_deliveries_of_one_event_apply_it_once(
    probe, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        event = probe.publish_probe(mode="sleep_first:1", marker="race")
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def deliver() -> None:
        try:
            barrier.wait()
            services.event_deliver(event_id=event.pk)
        except BaseException as exc:  # surfaced below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=deliver) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert probe.effects(event.pk, "apply_probe") == 1
    assert probe.effects(event.pk, "count_probe") == 1
    assert _status(event.pk) == "delivered"
