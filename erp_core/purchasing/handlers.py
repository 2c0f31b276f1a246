"""Receivers of other modules' topics for purchasing.

``wms.receipt_completed``: the warehouse received goods against a purchase order; the ERP
creates and books the purchase receipt (stock at the order's net price) once per event.
"""

from django.dispatch import receiver
from django.utils import timezone

from erp_core.purchasing.services import purchase_receipt_record_from_wms
from integration import topics
from integration.bus import handled_once
from integration.models import Event

RECEIVER = "erp_core.purchasing.book_wms_receipt"


@receiver(topics.receipt_completed, dispatch_uid=RECEIVER)
def book_wms_receipt(sender, event: Event, **kwargs) -> None:
    """Create and book the purchase receipt of a completed WMS receipt (idempotent)."""
    payload = event.payload
    with handled_once(event, receiver=RECEIVER):
        purchase_receipt_record_from_wms(
            event_id=str(event.pk),
            wms_receipt_id=payload["receipt_id"],
            purchase_order_id=payload["purchase_order_id"],
            lines=payload["lines"],
            date=timezone.localdate(event.occurred_at),
        )
