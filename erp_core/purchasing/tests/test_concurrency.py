"""Concurrent bookings of receipts against one order line on PostgreSQL: never above the limit."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connections

from erp_core.purchasing import services
from erp_core.purchasing.models import PurchaseOrderLine, PurchaseReceipt
from erp_core.purchasing.tests.helpers import placed_order

THREADS = 6


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_bookings_never_take_a_line_above_its_limit(books, supplier, warehouse, item):
    order = placed_order(supplier=supplier, warehouse=warehouse, item=item, quantity="10")
    line = order.lines.get()
    receipts = [
        services.purchase_receipt_create(
            purchase_order=order, lines=[{"order_line": line, "quantity": Decimal("4")}]
        )
        for _ in range(THREADS)
    ]
    barrier = threading.Barrier(THREADS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def book(receipt) -> None:
        try:
            barrier.wait()
            services.purchase_receipt_approve(receipt=receipt, actor=None)
            result = "booked"
        except ValidationError:
            result = "refused"
        except BaseException as exc:  # surfaced below
            result = repr(exc)
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=book, args=(receipt,)) for receipt in receipts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(outcomes) == ["booked"] * 2 + ["refused"] * (THREADS - 2)
    assert PurchaseOrderLine.objects.get(pk=line.pk).received_quantity == Decimal("8")
    assert PurchaseReceipt.objects.filter(status="approved").count() == 2
