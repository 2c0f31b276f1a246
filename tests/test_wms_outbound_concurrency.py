"""Concurrent picking and allocation (PostgreSQL): no stock is picked twice, a serial number is
reserved once, the quants never go below zero, and nothing deadlocks."""

import random
import threading
from collections import Counter
from decimal import Decimal

import pytest
from django.db import connections

from common.errors import Conflict
from erp_core.ledger.reconcile import run_checks
from erp_core.stock.models import StockBalance
from tests.wms_outbound_kit import Site, deliver_pending
from wms.models import Allocation, OutboundOrder, Quant, SerialNumber
from wms.services import outbound as svc

D = Decimal


def run_together(steps) -> list[str]:
    """Run the steps in threads released at once (one connection each); their outcomes."""
    barrier = threading.Barrier(len(steps))
    outcomes: list[str] = []
    lock = threading.Lock()

    def run(step) -> None:
        try:
            barrier.wait()
            step()
            result = "ok"
        except Conflict as exc:
            result = f"409 {exc.code}"
        except BaseException as exc:  # surfaced by the assertions
            result = repr(exc)
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=run, args=(step,)) for step in steps]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    return outcomes


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_picks_of_ten_from_a_bin_of_a_hundred(books_flushable):
    site = Site()
    site.stock(site.a1, site.item, 100)
    orders = [site.confirm([(site.item, 10)]) for _ in range(10)]
    pick_list = svc.pick_list_create(orders=orders)
    tasks = list(pick_list.tasks.order_by("sequence"))
    assert len(tasks) == 10

    def pick(task: Allocation):
        return lambda: svc.pick_list_pick(
            pick_list=pick_list,
            task_id=task.pk,
            bin_barcode=site.a1.barcode,
            item_code=site.item.code,
            quantity="10",
        )

    outcomes = run_together([pick(tasks[n % 10]) for n in range(50)])
    # The losers find the pick made, or the whole list picked: a 409 either way.
    assert Counter(o if o == "ok" else o[:3] for o in outcomes) == {"ok": 10, "409": 40}
    source = Quant.objects.get(bin=site.a1, item=site.item)
    assert (source.on_hand, source.reserved) == (D(0), D(0))
    shipping = Quant.objects.get(bin=site.ship, item=site.item)
    assert (shipping.on_hand, shipping.reserved) == (D(100), D(100))
    for order in orders:
        svc.package_create(order=order, weight="5")
        svc.shipment_dispatch(shipment=svc.shipment_create(order=order))
    deliver_pending()
    assert OutboundOrder.objects.filter(status=OutboundOrder.Status.APPROVED).count() == 10
    bins = sum(q.on_hand for q in Quant.objects.filter(item=site.item))
    erp = StockBalance.objects.get(item=site.item, warehouse=site.warehouse).quantity
    assert bins == erp == D(0)
    assert run_checks() == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_reservations_of_one_serial_number_one_wins(books_flushable):
    site = Site()
    site.stock(site.a1, site.serial_item, 1, serials=["SN-ONLY"])
    orders = [site.confirm([(site.serial_item, 1)]) for _ in range(20)]
    outcomes = run_together(
        [(lambda order=order: svc.outbound_order_allocate(order=order)) for order in orders]
    )
    assert outcomes == ["ok"] * 20
    (allocation,) = Allocation.objects.all()
    assert allocation.serial.serial == "SN-ONLY"
    assert SerialNumber.objects.get().status == SerialNumber.Status.RESERVED
    quant = Quant.objects.get(bin=site.a1, item=site.serial_item)
    assert (quant.on_hand, quant.reserved) == (D(1), D(1))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_rounds_of_mixed_outbound_work_never_deadlock(books_flushable):
    site = Site()
    lots = [site.lot(f"R{n}", days=30 + n) for n in range(3)]
    for n, lot in enumerate(lots):
        site.stock((site.a1, site.a2, site.pick)[n], site.lot_item, 40, lot=lot)
    rng = random.Random(11)
    for _round in range(20):
        orders = [site.confirm([(site.lot_item, rng.randint(1, 8))]) for _ in range(4)]
        lists = [svc.pick_list_create(orders=[order]) for order in orders[:2]]

        def pick_first(pick_list):
            task = pick_list.tasks.filter(status=Allocation.Status.OPEN).order_by("pk").first()
            if task is None:
                return
            svc.pick_list_pick(pick_list=pick_list, task_id=task.pk, bin_barcode=task.bin.barcode,
                               item_code=site.lot_item.code, lot_number=task.lot.lot_number,
                               quantity="1")  # fmt: skip

        steps = [
            lambda: svc.outbound_order_allocate(order=orders[2]),
            lambda: svc.outbound_order_allocate(order=orders[3]),
            lambda: pick_first(lists[0]),
            lambda: pick_first(lists[1]),
            lambda: svc.pick_list_release(pick_list=lists[1]),
            lambda: svc.outbound_order_release(order=orders[3]),
        ]
        outcomes = run_together(steps)
        assert all(o == "ok" or o.startswith("409") for o in outcomes), outcomes
        for q in Quant.objects.filter(item=site.lot_item):
            assert D(0) <= q.reserved <= q.on_hand
        for order in orders:
            svc.outbound_order_release(order=order)
        for pick_list in lists:
            pick_list.refresh_from_db()
            if pick_list.status == "draft":
                svc.pick_list_release(pick_list=pick_list)
    reserved = sum(
        q.reserved for q in Quant.objects.filter(item=site.lot_item).exclude(bin=site.ship)
    )
    assert reserved == D(0)
