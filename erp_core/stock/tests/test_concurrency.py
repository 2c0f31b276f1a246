"""Concurrency on PostgreSQL: no oversell, no deadlock, gapless entry numbers, books reconcile."""

import threading
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.db import connections

from erp_core.ledger.models import JournalEntry
from erp_core.stock import services
from erp_core.stock.models import StockBalance, StockMove
from erp_core.testing.books import assert_books_reconcile

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


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_batches_number_their_entries_without_gaps(books, make_item, warehouse):
    items = [make_item("moving_average") for _ in range(3)]
    for item in items:
        services.stock_receipt(item=item, warehouse=warehouse, quantity=D("100"), unit_cost=D("2"))
    barrier = threading.Barrier(THREADS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def book(n: int) -> None:
        # Each batch touches every item (in a different order) and posts three entries.
        lines = [
            services.MoveLine(
                item=item, warehouse=warehouse, quantity=-D("1"), reason="shipment",
                source=services.Source(type="sales.delivery", id=str(n * 10 + k)),
            )
            for k, item in enumerate(items[n % 3 :] + items[: n % 3])
        ]  # fmt: skip
        try:
            barrier.wait()
            services.stock_moves_book(lines=lines)
            result = "booked"
        except BaseException as exc:  # surfaced below
            result = repr(exc)
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=book, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert outcomes == ["booked"] * THREADS
    numbers = sorted(
        int(number.rsplit("-", 1)[1])
        for number in JournalEntry.objects.filter(journal__code="STK").values_list(
            "number", flat=True
        )
    )
    assert numbers == list(range(1, len(numbers) + 1))
    assert len(numbers) == 3 + 3 * THREADS
    for item in items:
        balance = StockBalance.objects.get(item=item, warehouse=warehouse)
        assert balance.quantity == D("100") - THREADS
    assert_books_reconcile()
