"""Receivers of the ERP's topics for WMS.

``erp.purchase_order_placed``: expect the receipt when WMS runs the order's warehouse.
``erp.purchase_order_cancelled``: stop expecting what the order no longer brings.
"""

from integration import topics
from integration.models import Event
from integration.receivers import on
from wms.services.inbound import expected_receipt_cancel_lines, expected_receipt_create_from_event


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
