"""Receivers of other modules' topics for billing: WMS's shipments are invoiced."""

from django.dispatch import receiver

from erp_core.billing.services import customer_invoice_from_shipment
from integration import topics
from integration.bus import handled_once
from integration.models import Event

RECEIVER = "billing.invoice_from_shipment"


@receiver(topics.shipment_dispatched, dispatch_uid=RECEIVER)
def invoice_shipment(sender, event: Event, **kwargs) -> None:
    """Issue and post the invoice of a dispatched shipment, once its delivery is booked."""
    with handled_once(event, receiver=RECEIVER):
        customer_invoice_from_shipment(event_id=str(event.pk))
