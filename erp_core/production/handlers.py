"""Receivers of the shop floor's topics for production orders.

Each receiver applies its event once (``handled_once``) and passes the event id on, so the stock
moves it books point back at the event.
"""

from django.dispatch import receiver

from erp_core.production import services
from integration import topics
from integration.bus import handled_once
from integration.models import Event


@receiver(topics.materials_consumed, dispatch_uid="erp_core.production.consume_materials")
def consume_materials(sender, event: Event, **kwargs) -> None:
    """``mes.materials_consumed``: issue the lines into the order's work in progress."""
    with handled_once(event, receiver="erp_core.production.consume_materials"):
        services.production_order_materials_consumed(
            production_order_id=event.payload["production_order_id"],
            lines=event.payload["lines"],
            source_event_id=str(event.pk),
        )


@receiver(topics.output_reported, dispatch_uid="erp_core.production.report_output")
def report_output(sender, event: Event, **kwargs) -> None:
    """``mes.output_reported``: receive the good output out of WIP and count the scrap."""
    with handled_once(event, receiver="erp_core.production.report_output"):
        services.production_order_output_reported(
            production_order_id=event.payload["production_order_id"],
            item_id=event.payload["item_id"],
            quantity=event.payload["quantity"],
            scrap_quantity=event.payload["scrap_quantity"],
            source_event_id=str(event.pk),
        )
