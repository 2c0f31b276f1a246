"""Receivers of other modules' topics for WMS."""

import datetime as dt

from integration import topics
from integration.models import Event
from integration.receivers import on
from wms.services.outbound import outbound_order_cancel_lines, outbound_order_from_sales_order

# --- outbound -----------------------------------------------------------------------------------


@on(topics.sales_order_confirmed, name="wms.outbound_from_sales_order")
def outbound_from_sales_order(event: Event) -> None:
    """A confirmed sales order shipping from a warehouse WMS runs becomes an outbound order."""
    payload = event.payload
    promised = payload.get("promised_date")
    outbound_order_from_sales_order(
        event_id=str(event.pk),
        sales_order_id=payload["sales_order_id"],
        lines=payload["lines"],
        promised_date=dt.date.fromisoformat(promised) if promised else None,
    )


@on(topics.sales_order_cancelled, name="wms.outbound_cancelled")
def outbound_cancelled(event: Event) -> None:
    """What the ERP no longer wants of a sales order is dropped and its reservations released."""
    outbound_order_cancel_lines(
        sales_order_id=event.payload["sales_order_id"], lines=event.payload["lines"]
    )
