"""Receivers of the shop floor's events: each event takes effect once, with its id kept."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from erp_core.production import handlers
from erp_core.production.models import ProductionOrder
from erp_core.production.selectors import production_order_stock_moves
from integration import topics
from integration.bus import AlreadyHandled, publish
from integration.models import Event, EventReceipt
from integration.services import event_deliver

pytestmark = pytest.mark.django_db


def _event(topic, payload: dict) -> Event:
    with transaction.atomic():
        return publish(topic=topic, payload=payload)


def test_materials_consumed_is_booked_once_with_the_event_id(plant):
    order = plant.released()
    event = _event(
        topics.materials_consumed,
        {
            "work_order_id": 7,
            "production_order_id": order.pk,
            "lines": [
                {"item_id": plant.shaft.pk, "quantity": "4"},
                {"item_id": plant.housing.pk, "quantity": "2.5", "warehouse_id": plant.stores.pk},
            ],
        },
    )
    handlers.consume_materials(event)
    with pytest.raises(AlreadyHandled):
        handlers.consume_materials(event)
    moves = production_order_stock_moves(order=order)
    assert moves.count() == 2
    assert {str(move.source_event_id) for move in moves} == {str(event.pk)}
    consumed = dict(order.materials.values_list("component", "quantity_consumed"))
    assert consumed[plant.shaft.pk] == D("4")
    assert consumed[plant.housing.pk] == D("2.5")
    order.refresh_from_db()
    assert order.status == ProductionOrder.Status.IN_PROGRESS


def test_output_reported_is_booked_once_through_the_bus(plant):
    order = plant.released("2")
    event = _event(
        topics.output_reported,
        {
            "work_order_id": 7,
            "production_order_id": order.pk,
            "item_id": plant.gearbox.pk,
            "quantity": "2",
            "scrap_quantity": "1",
        },
    )
    event_deliver(event_id=event.pk)
    event.refresh_from_db()
    assert event.status == Event.Status.DELIVERED
    with pytest.raises(AlreadyHandled):
        handlers.report_output(event)
    order.refresh_from_db()
    assert (order.quantity_produced, order.quantity_scrapped) == (D("2"), D("1"))
    assert order.status == ProductionOrder.Status.DONE
    move = production_order_stock_moves(order=order).get()
    assert str(move.source_event_id) == str(event.pk)


def test_a_bad_line_books_nothing_and_can_be_retried(plant):
    order = plant.released()
    event = _event(
        topics.materials_consumed,
        {
            "work_order_id": 7,
            "production_order_id": order.pk,
            "lines": [
                {"item_id": plant.shaft.pk, "quantity": "4"},
                {"item_id": plant.housing.pk, "quantity": "9999"},
            ],
        },
    )
    with pytest.raises(ValidationError):
        handlers.consume_materials(event)
    assert production_order_stock_moves(order=order).count() == 0
    # The receipt rolled back with the work: a retry applies the event.
    assert not EventReceipt.objects.filter(event_id=event.pk).exists()


def test_output_of_another_item_is_refused(plant):
    order = plant.released()
    event = _event(
        topics.output_reported,
        {
            "work_order_id": 7,
            "production_order_id": order.pk,
            "item_id": plant.shaft.pk,
            "quantity": "1",
            "scrap_quantity": "0",
        },
    )
    with pytest.raises(ValidationError):
        handlers.report_output(event)
    order.refresh_from_db()
    assert order.quantity_produced == 0
