"""Documents made from other modules' events: an order from CRM's accepted quote, a delivery
from WMS's dispatched shipment, a customer partner from CRM's new account. Each is idempotent
(on the event's id, or on the CRM account the partner was made for).
"""

import datetime as dt
import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.errors import DomainError, NotFound
from erp_core.masterdata.services import partner_create
from erp_core.models import Item, Partner, Warehouse
from erp_core.sales.models import Delivery, SalesOrder
from erp_core.sales.services.deliveries import delivery_approve, delivery_create
from erp_core.sales.services.orders import sales_order_approve, sales_order_create
from integration import topics
from integration.bus import publish

logger = logging.getLogger(__name__)


def _warehouse_for(customer: Partner) -> Warehouse:
    """Where the customer's goods usually ship from: its last order's warehouse, else the first."""
    last = (
        SalesOrder.objects.filter(customer=customer, warehouse__is_active=True)
        .select_related("warehouse")
        .order_by("-date", "-id")
        .first()
    )
    if last is not None:
        return last.warehouse
    warehouse = Warehouse.objects.filter(is_active=True).order_by("code").first()
    if warehouse is None:
        raise ValidationError({"warehouse": _("There is no active warehouse to ship from.")})
    return warehouse


@transaction.atomic
def sales_order_from_quote(
    *,
    event_id: str,
    quote_id: int,
    customer_id: int,
    lines: list[dict],
    requested_date: dt.date | None = None,
) -> SalesOrder:
    """Save and confirm the order of an accepted quote (once per event).

    ``lines``: dicts of ``item_id``, ``quantity`` and optionally ``unit_price`` and
    ``discount_percent``. A confirmation refused (over the credit limit, …) leaves the order
    saved for a person to look at; it is logged, not retried.
    """
    existing = SalesOrder.objects.filter(source_event_id=event_id).first()
    if existing is not None:
        return existing
    customer = Partner.objects.filter(pk=customer_id).first()
    if customer is None:
        raise NotFound(_("Customer %(id)s does not exist.") % {"id": customer_id})
    items = Item.objects.in_bulk([row.get("item_id") for row in lines])
    order_lines = []
    for row in lines:
        item = items.get(row.get("item_id"))
        if item is None:
            raise NotFound(_("Item %(id)s does not exist.") % {"id": row.get("item_id")})
        order_lines.append(
            {
                "item": item,
                "quantity": row.get("quantity"),
                "unit_price": row.get("unit_price"),
                "discount_percent": row.get("discount_percent"),
            }
        )
    order = sales_order_create(
        customer=customer,
        warehouse=_warehouse_for(customer),
        date=timezone.localdate(),
        requested_date=requested_date,
        promised_date=requested_date,
        lines=order_lines,
        crm_quote_id=quote_id,
        source_event_id=event_id,
        actor=None,
    )
    try:
        order = sales_order_approve(order=order, actor=None)
    except (DomainError, ValidationError) as exc:
        logger.warning("Sales order %s from quote %s stays saved: %s", order.number, quote_id, exc)
    return order


@transaction.atomic
def delivery_from_shipment(
    *,
    event_id: str,
    shipment_id: int,
    sales_order_id: int,
    lines: list[dict],
    shipped_at: dt.datetime,
) -> Delivery:
    """Create and ship the delivery of a dispatched WMS shipment (once per event).

    ``lines``: dicts of ``sales_order_line_id`` and ``quantity``.
    """
    existing = Delivery.objects.filter(source_event_id=event_id).first()
    if existing is not None:
        return existing
    order = SalesOrder.objects.filter(pk=sales_order_id).first()
    if order is None:
        raise NotFound(_("Sales order %(id)s does not exist.") % {"id": sales_order_id})
    delivery = delivery_create(
        sales_order=order,
        lines=[
            {"sales_order_line": row.get("sales_order_line_id"), "quantity": row.get("quantity")}
            for row in lines
        ],
        date=timezone.localdate(shipped_at),
        shipment_reference=str(shipment_id),
        source_event_id=event_id,
        actor=None,
    )
    return delivery_approve(delivery=delivery, actor=None, moved_at=shipped_at, event_id=event_id)


def crm_customer_code(account_id: int) -> str:
    """The partner code of the customer registered for CRM account ``account_id``."""
    return f"CRM{account_id:06d}"


@transaction.atomic
def customer_from_crm_account(
    *, account_id: int, name: str, tax_id: str = "", email: str = "", phone: str = ""
) -> Partner:
    """Register the ERP customer of a CRM account (once per account) and tell CRM its id.

    A customer with the same tax id is the same company: it is bound instead of duplicated.
    """
    partner = Partner.objects.filter(code=crm_customer_code(account_id)).first()
    if partner is None and tax_id:
        partner = (
            Partner.objects.filter(tax_id=tax_id, kind__in=["customer", "both"])
            .order_by("pk")
            .first()
        )
    if partner is None:
        partner = partner_create(
            code=crm_customer_code(account_id),
            name=name[:200],
            kind=Partner.Kind.CUSTOMER,
            tax_id=tax_id,
            email=email,
            phone=phone[:40],
        )
    publish(
        topic=topics.customer_registered,
        payload={"partner_id": partner.pk, "crm_account_id": account_id},
    )
    return partner
