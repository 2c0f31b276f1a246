"""Concurrency on PostgreSQL: quants never below zero, a serial number reserved once, no
deadlock when moves cross each other."""

import threading
from decimal import Decimal as D

import pytest
from django.db import connections

from common.errors import Conflict
from erp_core.models import Item
from erp_core.tests.factories import ItemFactory, WarehouseFactory
from tests.wms.conftest import make_bin
from wms.models import Quant, SerialNumber
from wms.services.stock import quant_add, quant_move, quant_remove, quant_reserve


def _race(n: int, work) -> list[str]:
    barrier = threading.Barrier(n)
    outcomes: list[str] = []
    lock = threading.Lock()

    def run(k: int) -> None:
        try:
            barrier.wait()
            work(k)
            result = "done"
        except Conflict:
            result = "refused"
        except BaseException as exc:  # surfaced below
            result = repr(exc)
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=run, args=(k,)) for k in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_removes_never_go_below_zero():
    warehouse = WarehouseFactory()
    bin, item = make_bin(warehouse, "A-01"), ItemFactory()
    quant_add(bin=bin, item=item, quantity=D("100"), reason="adjustment")
    outcomes = _race(
        50, lambda k: quant_remove(bin=bin, item=item, quantity=D("10"), reason="pick")
    )
    assert sorted(outcomes) == ["done"] * 10 + ["refused"] * 40
    assert Quant.objects.get(bin=bin, item=item).on_hand == D("0")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_reservations_of_one_serial_one_wins():
    warehouse = WarehouseFactory()
    bin, item = make_bin(warehouse, "A-01"), ItemFactory(tracking=Item.Tracking.SERIAL)
    quant_add(bin=bin, item=item, quantity=D("3"), serials=["S1", "S2", "S3"], reason="adjustment")
    outcomes = _race(
        20, lambda k: quant_reserve(bin=bin, item=item, quantity=D("1"), serials=["S1"])
    )
    assert sorted(outcomes) == ["done"] + ["refused"] * 19
    assert SerialNumber.objects.get(serial="S1").status == "reserved"
    assert Quant.objects.get(bin=bin, item=item).reserved == D("1")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_crossing_moves_do_not_deadlock():
    warehouse = WarehouseFactory()
    a, b, item = make_bin(warehouse, "A"), make_bin(warehouse, "B"), ItemFactory()
    quant_add(bin=a, item=item, quantity=D("100"), reason="adjustment")
    quant_add(bin=b, item=item, quantity=D("100"), reason="adjustment")

    def move(k: int) -> None:
        source, target = (a, b) if k % 2 else (b, a)
        quant_move(from_bin=source, to_bin=target, item=item, quantity=D("1"))

    for _ in range(3):
        assert set(_race(20, move)) == {"done"}
    assert sum(q.on_hand for q in Quant.objects.filter(item=item)) == D("200")
