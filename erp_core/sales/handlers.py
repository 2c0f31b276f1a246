"""Receivers of other modules' topics for sales: CRM's accepted quotes, WMS's shipments."""

import datetime as dt

from django.dispatch import receiver

from erp_core.sales.services import delivery_from_shipment, sales_order_from_quote
from integration import topics
from integration.bus import handled_once
from integration.models import Event


@receiver(topics.quote_accepted, dispatch_uid="sales.order_from_quote")
def order_from_quote(sender, event: Event, **kwargs) -> None:
    """An accepted quote becomes a confirmed sales order (saved only, when credit blocks it)."""
    with handled_once(event, receiver="sales.order_from_quote"):
        payload = event.payload
        requested = payload.get("requested_date")
        sales_order_from_quote(
            event_id=str(event.pk),
            quote_id=payload["quote_id"],
            customer_id=payload["customer_id"],
            requested_date=dt.date.fromisoformat(requested) if requested else None,
            lines=[
                {
                    "item_id": row.get("item_id"),
                    "quantity": row.get("quantity"),
                    "unit_price": row.get("unit_price"),
                    "discount_percent": row.get("discount_percent"),
                }
                for row in payload["lines"]
            ],
        )


@receiver(topics.shipment_dispatched, dispatch_uid="sales.delivery_from_shipment")
def shipment_to_delivery(sender, event: Event, **kwargs) -> None:
    """A dispatched shipment becomes a shipped delivery: stock issued, COGS posted."""
    with handled_once(event, receiver="sales.delivery_from_shipment"):
        payload = event.payload
        delivery_from_shipment(
            event_id=str(event.pk),
            shipment_id=payload["shipment_id"],
            sales_order_id=payload["sales_order_id"],
            lines=payload["lines"],
            shipped_at=event.occurred_at,
        )
