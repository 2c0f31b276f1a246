"""Concurrent issues of the same stock on PostgreSQL: no oversell, books still reconcile."""

import threading
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.db import connections

from erp_core.stock import services
from erp_core.stock.models import StockBalance, StockMove
from erp_core.stock.tests.test_services import assert_books_reconcile

THREADS = 12


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_issues_never_oversell(books, make_item, warehouse):
    item = make_item("fifo")
    services.stock_receipt(item=item, warehouse=warehouse, quantity=D("10"), unit_cost=D("3"))
    barrier = threading.Barrier(THREADS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def issue() -> None:
        try:
            barrier.wait()
            services.stock_issue(item=item, warehouse=warehouse, quantity=D("1"))
            result = "issued"
        except ValidationError:
            result = "refused"
        except BaseException as exc:  # surfaced below
            result = repr(exc)
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=issue) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(outcomes) == ["issued"] * 10 + ["refused"] * (THREADS - 10)
    balance = StockBalance.objects.get(item=item, warehouse=warehouse)
    assert (balance.quantity, balance.value) == (D("0"), D("0.00"))
    assert StockMove.objects.filter(item=item, quantity__lt=0).count() == 10
    assert_books_reconcile()
