"""Receivers of other modules' topics for purchasing.

``wms.receipt_completed``: the warehouse received goods against a purchase order; the ERP
creates and books the purchase receipt (stock at the order's net price) once per event.
"""

from django.utils import timezone

from erp_core.purchasing.services import purchase_receipt_record_from_wms
from integration import topics
from integration.models import Event
from integration.receivers import on


@on(topics.receipt_completed, name="erp_core.purchasing.book_wms_receipt")
def book_wms_receipt(event: Event) -> None:
    """Create and book the purchase receipt of a completed WMS receipt (idempotent)."""
    payload = event.payload
    purchase_receipt_record_from_wms(
        event_id=str(event.pk),
        wms_receipt_id=payload["receipt_id"],
        purchase_order_id=payload["purchase_order_id"],
        lines=payload["lines"],
        date=timezone.localdate(event.occurred_at),
    )
