"""Concurrent posting on PostgreSQL: a shipment is invoiced once, an invoice never over-settled."""

import threading
from decimal import Decimal as D

import pytest
from django.db import connections

from common.errors import Conflict
from erp_core.billing import services
from erp_core.billing.models import Invoice
from erp_core.billing.tests.factories import (
    TODAY,
    customer,
    customer_invoice,
    item,
    payment,
    shipped_delivery,
)
from erp_core.ledger.reconcile import run_checks
from erp_core.sales.models import DeliveryLine
from erp_core.testing.books import seed_books

THREADS = 6


def _race(calls) -> list[str]:
    barrier = threading.Barrier(len(calls))
    outcomes: list[str] = []
    lock = threading.Lock()

    def run(call) -> None:
        try:
            barrier.wait()
            call()
            result = "done"
        except Conflict:
            result = "refused"
        except BaseException as exc:  # surfaced by the assertion below
            result = repr(exc)
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
def test_concurrent_invoices_of_one_shipment_post_once():
    seed_books()
    partner = customer()
    delivery = shipped_delivery(partner, [(item(), "5", "10")])
    drafts = [
        services.customer_invoice_create_from_deliveries(
            partner=partner, date=TODAY, deliveries=[delivery], actor=None
        )
        for _ in range(THREADS)
    ]
    outcomes = _race(
        [
            lambda draft=draft: services.invoice_approve(invoice=draft, actor=None)
            for draft in drafts
        ]
    )
    assert outcomes == ["done"] + ["refused"] * (THREADS - 1)
    assert DeliveryLine.objects.get(delivery=delivery).invoiced_quantity == D("5")
    assert Invoice.objects.filter(status="approved").count() == 1
    assert run_checks() == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_payments_never_settle_more_than_is_open():
    seed_books()
    partner = customer()
    invoice = customer_invoice(partner, quantity="1", price="100", post=True)  # 113.00
    drafts = [payment(partner, "60", allocations=[(invoice, "60")]) for _ in range(THREADS)]
    outcomes = _race(
        [
            lambda draft=draft: services.payment_approve(payment=draft, actor=None)
            for draft in drafts
        ]
    )
    assert outcomes == ["done"] + ["refused"] * (THREADS - 1)
    invoice.refresh_from_db()
    assert invoice.amount_allocated == D("60.00")
    assert run_checks() == []
