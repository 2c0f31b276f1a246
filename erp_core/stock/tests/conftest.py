"""Fixtures of the stock ledger tests: a warehouse pair, items per method (``books`` is shared)."""

import itertools
from decimal import Decimal

import pytest

from erp_core.models import Item, ItemCategory, UnitOfMeasure, Warehouse

_codes = itertools.count(1)


@pytest.fixture
def make_item(db):
    """Build a stocked item with a costing method (and a standard cost for standard items)."""

    def make(method: str = "moving_average", standard_cost: str = "0", **fields) -> Item:
        unit, _ = UnitOfMeasure.objects.get_or_create(
            code="PCS", defaults={"name": "Piece", "category": UnitOfMeasure.Category.COUNT}
        )
        category = fields.pop("category", None)
        if category is None:
            category, _ = ItemCategory.objects.get_or_create(code="RM", defaults={"name": "Raw"})
        fields.setdefault("item_type", Item.ItemType.RAW_MATERIAL)
        return Item.objects.create(
            code=f"IT{next(_codes):05d}",
            name="Steel plate",
            unit=unit,
            category=category,
            costing_method=method,
            standard_cost=Decimal(standard_cost),
            **fields,
        )

    return make


@pytest.fixture
def warehouse(db):
    """The main warehouse; negative stock refused."""
    return Warehouse.objects.create(code=f"W{next(_codes):04d}", name="Main")


@pytest.fixture
def other_warehouse(db):
    """A second warehouse for transfers."""
    return Warehouse.objects.create(code=f"W{next(_codes):04d}", name="Line side")


@pytest.fixture
def negative_warehouse(db):
    """A warehouse that allows negative stock (issues before their receipts are booked)."""
    return Warehouse.objects.create(
        code=f"W{next(_codes):04d}", name="Consignment", allow_negative_stock=True
    )
