"""Fixtures of the purchasing tests: seeded books, a supplier, a warehouse, items, documents."""

from decimal import Decimal

import pytest
from django.utils import timezone

from common.testing import staff_user
from erp_core.ledger.services import ledger_seed
from erp_core.models import Partner
from erp_core.purchasing import services
from erp_core.tests.factories import ItemFactory, PartnerFactory, WarehouseFactory


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


@pytest.fixture
def books(db) -> None:
    """Chart of accounts, journals, posting rules and this year's fiscal periods."""
    ledger_seed()


@pytest.fixture
def supplier(db) -> Partner:
    """An active supplier."""
    return supplier_factory()


@pytest.fixture
def warehouse(db):
    """The receiving warehouse."""
    return WarehouseFactory()


@pytest.fixture
def item(db):
    """A bought raw material: standard cost 10, lead time 7 days, minimum order 5."""
    return ItemFactory(
        standard_cost=Decimal("10.00"),
        purchase_lead_time_days=7,
        min_order_qty=Decimal("5"),
        order_multiple=Decimal("5"),
    )


@pytest.fixture
def admin_user(db):
    """A staff user in the Admin role (every purchasing permission)."""
    return staff_user("Admin")
