"""Concurrent batches (PostgreSQL): the same batch sent twice at once is stored once, and
batches for one machine in parallel leave the counters and downtime as in sequence."""

import threading

import pytest
from django.db import connections

from mes.models import Downtime, MachineEvent
from mes.services.machine_events import machine_events_record
from mes.tests.conftest import ago, counter, state

THREADS = 6


def _run_all(steps) -> list[str]:
    barrier = threading.Barrier(len(steps))
    outcomes: list[str] = []
    lock = threading.Lock()

    def run(step) -> None:
        try:
            barrier.wait()
            step()
            result = "ok"
        except BaseException as exc:  # surfaced below
            result = repr(exc)
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=run, args=(step,)) for step in steps]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_batch_sent_at_once_is_stored_once(device, machine):
    batch = [state("s1", ago(30), "down", "breakdown"), counter("c1", ago(30), 5),
             counter("c2", ago(20), 25), state("s2", ago(10), "running")]  # fmt: skip
    outcomes = _run_all([lambda: machine_events_record(device=device, events=batch)] * THREADS)
    assert outcomes == ["ok"] * THREADS
    assert MachineEvent.objects.count() == 4
    assert sorted(MachineEvent.objects.values_list("good_delta", flat=True)) == [0, 0, 0, 20]
    assert Downtime.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_batches_of_one_machine_give_the_sequential_result(device, machine):
    batches = [
        [counter(f"c{n}", ago(60 - n), 100 * n), state(f"s{n}", ago(60 - n),
         "running" if n % 2 else "down", "" if n % 2 else "changeover")]
        for n in range(THREADS)
    ]  # fmt: skip
    outcomes = _run_all(
        [lambda b=b: machine_events_record(device=device, events=b) for b in batches]
    )
    assert outcomes == ["ok"] * THREADS
    deltas = list(
        MachineEvent.objects.filter(kind="counter")
        .order_by("occurred_at")
        .values_list("good_delta", flat=True)
    )
    assert deltas == [0] + [100] * (THREADS - 1)
    assert Downtime.objects.count() == THREADS // 2
    assert Downtime.objects.filter(ended_at__isnull=True).count() == 0
