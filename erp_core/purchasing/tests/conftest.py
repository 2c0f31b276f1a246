"""Fixtures of the purchasing tests: a supplier, a warehouse, an item, an admin user."""

from decimal import Decimal

import pytest

from common.testing import staff_user
from erp_core.models import Partner
from erp_core.purchasing.tests.helpers import supplier_factory
from erp_core.tests.factories import ItemFactory, WarehouseFactory


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
