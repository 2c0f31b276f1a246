"""Receivers of other modules' topics for billing: WMS's shipments are invoiced."""

from erp_core.billing.services import customer_invoice_from_shipment
from integration import topics
from integration.models import Event
from integration.receivers import on


@on(
    topics.shipment_dispatched,
    name="billing.invoice_from_shipment",
    after=("sales.delivery_from_shipment",),
)
def invoice_shipment(event: Event) -> None:
    """Issue and post the invoice of a dispatched shipment, once sales booked its delivery."""
    customer_invoice_from_shipment(event_id=str(event.pk))
