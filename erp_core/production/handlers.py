"""Receivers of the shop floor's topics for production orders.

Each receiver applies its event once (``@on`` runs it inside ``handled_once``) and passes the
event id on, so the stock moves it books point back at the event.
"""

from erp_core.production import services
from integration import topics
from integration.models import Event
from integration.receivers import on


@on(topics.materials_consumed, name="erp_core.production.consume_materials")
def consume_materials(event: Event) -> None:
    """``mes.materials_consumed``: issue the lines into the order's work in progress."""
    services.production_order_materials_consumed(
        production_order_id=event.payload["production_order_id"],
        lines=event.payload["lines"],
        source_event_id=str(event.pk),
    )


@on(topics.output_reported, name="erp_core.production.report_output")
def report_output(event: Event) -> None:
    """``mes.output_reported``: receive the good output out of WIP and count the scrap."""
    services.production_order_output_reported(
        production_order_id=event.payload["production_order_id"],
        item_id=event.payload["item_id"],
        quantity=event.payload["quantity"],
        scrap_quantity=event.payload["scrap_quantity"],
        source_event_id=str(event.pk),
    )


@on(topics.time_booked, name="erp_core.production.book_time")
def book_time(event: Event) -> None:
    """``mes.time_booked``: book the measured machine and labour hours on the operation."""
    services.production_order_time_booked(
        production_order_id=event.payload["production_order_id"],
        production_order_operation_id=event.payload["production_order_operation_id"],
        machine_hours=event.payload["machine_hours"],
        labour_hours=event.payload["labour_hours"],
        source_event_id=str(event.pk),
    )
