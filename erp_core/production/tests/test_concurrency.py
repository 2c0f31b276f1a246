"""Concurrent reports on one order (PostgreSQL): the order's lock loses no quantity or value."""

import threading
from decimal import Decimal as D

import pytest
from django.db import connections

from erp_core.production import services
from erp_core.production.models import ProductionOrder
from erp_core.production.selectors import production_order_stock_moves

THREADS = 6


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_consumption_and_output_all_count(plant):
    # Ordered twice what is reported: the order stays in progress, so no consumption races
    # a report that finishes it (a report on a done order needs a supervisor's override).
    order = plant.released(str(THREADS * 2))
    revision = order.revision
    barrier = threading.Barrier(THREADS * 2)
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

    def consume() -> None:
        services.production_order_consume(order=order, item=plant.shaft, quantity=D("1"))

    def output() -> None:
        services.production_order_report_output(order=order, quantity=D("1"))

    threads = [threading.Thread(target=run, args=(step,)) for step in (consume, output) * THREADS]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert outcomes == ["ok"] * (THREADS * 2)
    order.refresh_from_db()
    assert order.quantity_produced == THREADS
    assert order.output_value == D("46.00") * THREADS
    assert order.status == ProductionOrder.Status.IN_PROGRESS
    assert order.revision == revision + THREADS * 2
    shafts = order.materials.get(component=plant.shaft)
    assert (shafts.quantity_consumed, shafts.consumed_value) == (D(THREADS), D("10.00") * THREADS)
    assert production_order_stock_moves(order=order).count() == THREADS * 2
