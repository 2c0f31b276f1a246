"""Receivers of other modules' topics for sales: CRM's accepted quotes and new accounts,
WMS's shipments."""

import datetime as dt

from erp_core.sales.services import (
    customer_from_crm_account,
    delivery_from_shipment,
    sales_order_from_quote,
)
from integration import topics
from integration.models import Event
from integration.receivers import on


@on(topics.quote_accepted, name="sales.order_from_quote")
def order_from_quote(event: Event) -> None:
    """An accepted quote becomes a confirmed sales order (saved only, when credit blocks it)."""
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


@on(topics.shipment_dispatched, name="sales.delivery_from_shipment")
def shipment_to_delivery(event: Event) -> None:
    """A dispatched shipment becomes a shipped delivery: stock issued, COGS posted."""
    payload = event.payload
    delivery_from_shipment(
        event_id=str(event.pk),
        shipment_id=payload["shipment_id"],
        sales_order_id=payload["sales_order_id"],
        lines=payload["lines"],
        shipped_at=event.occurred_at,
    )


@on(topics.account_opened, name="sales.customer_from_crm_account")
def customer_from_account(event: Event) -> None:
    """A CRM account without an ERP customer gets one registered (or bound by its tax id)."""
    payload = event.payload
    customer_from_crm_account(
        account_id=payload["account_id"],
        name=payload["name"],
        tax_id=payload.get("tax_id") or "",
        email=payload.get("email") or "",
        phone=payload.get("phone") or "",
    )
