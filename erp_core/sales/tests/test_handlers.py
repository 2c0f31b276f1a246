"""Receivers: a WMS shipment becomes a shipped delivery, a CRM quote a confirmed order — once."""

from decimal import Decimal

import pytest
from django.db import transaction

from erp_core.billing.models import Invoice
from erp_core.ledger.reconcile import run_checks
from erp_core.sales.models import Delivery, SalesOrder
from erp_core.sales.tests.helpers import make_order, put_stock
from erp_core.stock.models import StockMove
from integration import topics
from integration.bus import publish
from integration.models import Event
from integration.services import event_deliver

pytestmark = pytest.mark.django_db


def announce(topic, payload: dict) -> Event:
    """Write the event to the outbox as the publishing module would."""
    with transaction.atomic():
        return publish(topic=topic, payload=payload)


def test_a_dispatched_shipment_ships_a_delivery_once(books, customer, warehouse, item):
    put_stock(item, warehouse)
    order = make_order(customer, warehouse, [(item, 10)], approve=True)
    line = order.lines.get()
    event = announce(
        topics.shipment_dispatched,
        {
            "shipment_id": 77,
            "sales_order_id": order.pk,
            "lines": [{"sales_order_line_id": line.pk, "quantity": "6"}],
        },
    )
    event_deliver(event_id=event.pk)
    event_deliver(event_id=event.pk)
    Event.objects.filter(pk=event.pk).update(status=Event.Status.PENDING)
    event_deliver(event_id=event.pk)  # delivered again after a crash: still one delivery
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.APPROVED
    assert delivery.source_event_id == str(event.pk)
    assert delivery.shipment_reference == "77"
    assert StockMove.objects.filter(reason=StockMove.Reason.SHIPMENT).count() == 1
    line.refresh_from_db()
    assert line.delivered_quantity == Decimal("6")
    # Billing's receiver of the same event issued and posted the invoice, once.
    invoice = Invoice.objects.get()
    assert invoice.status == Invoice.Status.APPROVED
    assert invoice.lines.get().delivery_line.delivery_id == delivery.pk
    assert invoice.lines.get().quantity == Decimal("6")
    assert run_checks() == []  # stock, ledger and receivables reconcile


def test_a_shipment_beyond_the_order_fails_and_writes_nothing(books, customer, warehouse, item):
    put_stock(item, warehouse)
    order = make_order(customer, warehouse, [(item, 2)], approve=True)
    event = announce(
        topics.shipment_dispatched,
        {
            "shipment_id": 1,
            "sales_order_id": order.pk,
            "lines": [{"sales_order_line_id": order.lines.get().pk, "quantity": "3"}],
        },
    )
    event_deliver(event_id=event.pk)
    assert Event.objects.get(pk=event.pk).status != Event.Status.DELIVERED
    assert Delivery.objects.count() == 0


def test_an_accepted_quote_becomes_a_confirmed_order_once(customer, warehouse, item):
    event = announce(
        topics.quote_accepted,
        {
            "quote_id": 501,
            "customer_id": customer.pk,
            "requested_date": "2099-01-31",
            "lines": [
                {"item_id": item.pk, "quantity": "3", "discount_percent": "5"},
                {"item_id": item.pk, "quantity": "1", "unit_price": "88.50"},
            ],
        },
    )
    event_deliver(event_id=event.pk)
    Event.objects.filter(pk=event.pk).update(status=Event.Status.PENDING)
    event_deliver(event_id=event.pk)
    order = SalesOrder.objects.get()
    assert order.status == SalesOrder.Status.APPROVED
    assert order.crm_quote_id == 501
    assert order.warehouse == warehouse
    assert str(order.requested_date) == "2099-01-31"
    prices = list(order.lines.order_by("line_no").values_list("unit_price", "discount_percent"))
    assert prices == [(Decimal("100.00"), Decimal("5")), (Decimal("88.50"), Decimal("0"))]
    assert Event.objects.filter(topic="erp.sales_order_confirmed").count() == 1


def test_a_quote_over_the_credit_limit_leaves_a_saved_order(customer, warehouse, item):
    customer.credit_limit = Decimal("10.00")
    customer.save()
    event = announce(
        topics.quote_accepted,
        {
            "quote_id": 9,
            "customer_id": customer.pk,
            "lines": [{"item_id": item.pk, "quantity": "1"}],
        },
    )
    event_deliver(event_id=event.pk)
    assert Event.objects.get(pk=event.pk).status == Event.Status.DELIVERED
    order = SalesOrder.objects.get()
    assert order.status == SalesOrder.Status.DRAFT
    assert Event.objects.filter(topic="erp.sales_order_confirmed").count() == 0
