"""Concurrent steps on PostgreSQL: one confirmation wins, two shipments never over-deliver."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connections
from django.utils import timezone

from common.testing import api_client, staff_user
from erp_core.sales import services
from erp_core.sales.models import Delivery, SalesOrder
from erp_core.sales.tests.helpers import make_order, put_stock
from integration.models import Event

THREADS = 6


def _race(calls) -> list[str]:
    """Run the calls at the same moment, one connection each; return what each one answered."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[str] = []
    lock = threading.Lock()

    def run(call) -> None:
        try:
            barrier.wait()
            result = call()
        except BaseException as exc:  # reported in the outcome
            result = type(exc).__name__
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return sorted(outcomes)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_confirmations_of_one_order_let_exactly_one_win(customer, warehouse, item):
    order = make_order(customer, warehouse, [(item, 5)])
    clients = [api_client(staff_user("Sales")) for _ in range(THREADS)]
    url = f"/api/v1/erp/sales-orders/{order.pk}/approve/"

    def confirm(client):
        return lambda: str(client.post(url, {}, format="json").status_code)

    assert _race([confirm(client) for client in clients]) == ["200"] + ["409"] * (THREADS - 1)
    assert SalesOrder.objects.get(pk=order.pk).status == SalesOrder.Status.APPROVED
    assert Event.objects.filter(topic="erp.sales_order_confirmed").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_shipments_never_deliver_more_than_ordered(books, customer, warehouse, item):
    put_stock(item, warehouse, quantity="100")
    order = make_order(customer, warehouse, [(item, 10)], approve=True)
    line = order.lines.get()
    deliveries = [
        services.delivery_create(
            sales_order=order,
            lines=[{"sales_order_line": line, "quantity": Decimal("4")}],
            date=timezone.localdate(),
        )
        for _ in range(THREADS)
    ]

    def ship(delivery):
        def call():
            try:
                services.delivery_approve(delivery=delivery, actor=None)
            except ValidationError:
                return "refused"
            return "shipped"

        return call

    assert (
        _race([ship(delivery) for delivery in deliveries])
        == ["refused"] * (THREADS - 2) + ["shipped"] * 2
    )
    line.refresh_from_db()
    assert line.delivered_quantity == Decimal("8")
    assert Delivery.objects.filter(status=Delivery.Status.APPROVED).count() == 2
