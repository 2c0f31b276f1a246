"""The receiver of ``wms.receipt_completed``: books the purchase receipt once per event."""

from decimal import Decimal

import pytest
from django.db import transaction

from erp_core.purchasing.handlers import book_wms_receipt
from erp_core.purchasing.models import PurchaseOrder, PurchaseReceipt
from erp_core.purchasing.tests.helpers import placed_order
from erp_core.stock.models import StockMove
from integration import topics
from integration.bus import AlreadyHandled, publish
from integration.models import Event, EventReceipt
from integration.services import event_deliver

pytestmark = pytest.mark.django_db


def _completed(order, quantity: str, receipt_id: int = 501) -> Event:
    line = order.lines.get()
    with transaction.atomic():
        return publish(
            topic=topics.receipt_completed,
            payload={
                "receipt_id": receipt_id,
                "purchase_order_id": order.pk,
                "lines": [{"purchase_order_line_id": line.pk, "quantity": quantity}],
            },
        )


def test_a_completed_wms_receipt_is_booked(books, supplier, warehouse, item):
    order = placed_order(supplier=supplier, warehouse=warehouse, item=item)
    event = _completed(order, "10")
    event_deliver(event_id=event.pk)
    receipt = PurchaseReceipt.objects.get()
    assert receipt.status == PurchaseReceipt.Status.APPROVED
    assert receipt.source_event_id == str(event.pk)
    assert receipt.wms_receipt_id == 501
    assert receipt.warehouse == warehouse
    move = receipt.lines.get().stock_move
    assert move.quantity == Decimal("10")
    assert str(move.source_event_id) == str(event.pk)
    assert PurchaseOrder.objects.get(pk=order.pk).status == PurchaseOrder.Status.RECEIVED
    assert Event.objects.get(pk=event.pk).status == Event.Status.DELIVERED


def test_a_second_delivery_books_nothing(books, supplier, warehouse, item):
    order = placed_order(supplier=supplier, warehouse=warehouse, item=item)
    event = _completed(order, "4")
    book_wms_receipt(event)
    with pytest.raises(AlreadyHandled):
        book_wms_receipt(event)
    assert PurchaseReceipt.objects.count() == 1
    assert StockMove.objects.count() == 1
    assert (
        EventReceipt.objects.filter(
            event_id=event.pk, receiver="erp_core.purchasing.book_wms_receipt"
        ).count()
        == 1
    )
    assert PurchaseOrder.objects.get(pk=order.pk).lines.get().received_quantity == Decimal("4")


def test_the_same_wms_receipt_under_another_event_is_not_booked_twice(
    books, supplier, warehouse, item
):
    order = placed_order(supplier=supplier, warehouse=warehouse, item=item)
    book_wms_receipt(_completed(order, "4", receipt_id=7))
    book_wms_receipt(_completed(order, "4", receipt_id=7))
    assert PurchaseReceipt.objects.count() == 1
    assert StockMove.objects.count() == 1


def test_a_receipt_beyond_the_tolerance_fails_and_books_nothing(books, supplier, warehouse, item):
    order = placed_order(supplier=supplier, warehouse=warehouse, item=item)
    event = _completed(order, "11")
    event_deliver(event_id=event.pk)
    assert not PurchaseReceipt.objects.exists()
    assert not StockMove.objects.exists()
    assert not EventReceipt.objects.filter(event_id=event.pk).exists()
    assert Event.objects.get(pk=event.pk).status != Event.Status.DELIVERED
