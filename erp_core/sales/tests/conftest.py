"""Fixtures of the sales tests: a customer, a warehouse, items with stock (``books`` is shared)."""

from decimal import Decimal

import pytest

from erp_core.models import Item, Partner
from erp_core.tests.factories import (
    ItemFactory,
    PartnerFactory,
    TaxCodeFactory,
    WarehouseFactory,
)


@pytest.fixture
def customer(db) -> Partner:
    """An active customer without a credit limit."""
    return PartnerFactory(kind=Partner.Kind.CUSTOMER)


@pytest.fixture
def warehouse(db):
    """The main warehouse."""
    return WarehouseFactory()


@pytest.fixture
def vat13(db):
    """VAT 13 %."""
    return TaxCodeFactory(code="VAT13", rate=Decimal("0.13"))


@pytest.fixture
def item(db, vat13) -> Item:
    """A finished good listed at 100.00, VAT 13 %."""
    return ItemFactory(
        item_type=Item.ItemType.FINISHED_GOOD, list_price=Decimal("100.00"), vat=vat13
    )


@pytest.fixture
def other_item(db, vat13) -> Item:
    """A second finished good listed at 50.00."""
    return ItemFactory(
        item_type=Item.ItemType.FINISHED_GOOD, list_price=Decimal("50.00"), vat=vat13
    )
