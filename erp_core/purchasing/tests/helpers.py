"""Helpers of the purchasing tests: suppliers and orders and receipts through the services."""

from decimal import Decimal

from django.utils import timezone

from erp_core.models import Partner
from erp_core.purchasing import services
from erp_core.tests.factories import PartnerFactory


def supplier_factory(**fields) -> Partner:
    """An active supplier."""
    fields.setdefault("kind", Partner.Kind.SUPPLIER)
    return PartnerFactory(**fields)


def draft_order(*, supplier, warehouse, item, quantity="10", unit_price="12.50", actor=None, **kw):
    """A saved order of one line."""
    line = {"item": item, "quantity": Decimal(quantity)}
    if unit_price is not None:
        line["unit_price"] = Decimal(unit_price)
    return services.purchase_order_create(
        supplier=supplier,
        date=kw.pop("date", timezone.localdate()),
        warehouse=warehouse,
        lines=kw.pop("lines", [line]),
        actor=actor,
        **kw,
    )


def placed_order(**kwargs):
    """A placed (approved) order of one line."""
    order = draft_order(**kwargs)
    return services.purchase_order_approve(order=order, actor=kwargs.get("actor"))


def booked_receipt(*, order, quantity: str, actor=None):
    """A receipt of ``quantity`` on the order's first line, booked into stock."""
    line = order.lines.order_by("line_no").first()
    receipt = services.purchase_receipt_create(
        purchase_order=order, lines=[{"order_line": line, "quantity": Decimal(quantity)}]
    )
    return services.purchase_receipt_approve(receipt=receipt, actor=actor)
