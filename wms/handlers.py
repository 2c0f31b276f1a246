"""Receivers of the ERP's topics for WMS.

``erp.purchase_order_placed``: expect the receipt when WMS runs the order's warehouse.
``erp.purchase_order_cancelled``: stop expecting what the order no longer brings.
``erp.sales_order_confirmed``: an outbound order when WMS runs the order's warehouse.
``erp.sales_order_cancelled``: drop what the order no longer wants, release its reservations.
"""

import datetime as dt

from integration import topics
from integration.models import Event
from integration.receivers import on
from wms.services.inbound import expected_receipt_cancel_lines, expected_receipt_create_from_event
from wms.services.outbound import outbound_order_cancel_lines, outbound_order_from_sales_order


@on(topics.purchase_order_placed, name="wms.expect_receipt")
def expect_receipt(event: Event) -> None:
    """Make the expected receipt of a placed order (once per event)."""
    expected_receipt_create_from_event(event_id=str(event.pk), payload=event.payload)


@on(topics.purchase_order_cancelled, name="wms.cancel_expected_receipt")
def cancel_expected_receipt(event: Event) -> None:
    """Take back what a cancelled, unplaced or short-closed order no longer brings."""
    expected_receipt_cancel_lines(
        purchase_order_id=event.payload["purchase_order_id"], lines=event.payload["lines"]
    )


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
