"""Fixtures of the WMS tests: a warehouse with bins, and items tracked in each way."""

import pytest

from erp_core.models import Item
from erp_core.tests.factories import ItemFactory, WarehouseFactory
from wms.models import Bin, Zone


@pytest.fixture
def warehouse(db):
    """An ERP warehouse."""
    return WarehouseFactory()


@pytest.fixture
def zone(warehouse):
    """A storage zone."""
    return Zone.objects.create(warehouse=warehouse, code="A", name="Aisle A")


def make_bin(warehouse, code: str, bin_type: str = Bin.Type.STORAGE, **fields) -> Bin:
    """A bin whose barcode is its code prefixed by the warehouse's."""
    fields.setdefault("barcode", f"{warehouse.code}-{code}")
    return Bin.objects.create(warehouse=warehouse, code=code, bin_type=bin_type, **fields)


@pytest.fixture
def bins(warehouse, zone):
    """A receiving bin, two storage bins in zone A, a picking bin and a blocked bin."""
    return {
        "recv": make_bin(warehouse, "RECV", Bin.Type.RECEIVING, walking_order=0),
        "a1": make_bin(warehouse, "A-01", zone=zone, walking_order=10),
        "a2": make_bin(warehouse, "A-02", zone=zone, walking_order=20),
        "pick": make_bin(warehouse, "P-01", Bin.Type.PICKING, walking_order=5),
        "blocked": make_bin(warehouse, "X-01", zone=zone, is_blocked=True, walking_order=30),
    }


@pytest.fixture
def item(db):
    """An item without lots or serials."""
    return ItemFactory()


@pytest.fixture
def lot_item(db):
    """A lot-tracked item with a shelf life."""
    return ItemFactory(tracking=Item.Tracking.LOT, shelf_life_days=365)


@pytest.fixture
def serial_item(db):
    """A serial-tracked item."""
    return ItemFactory(tracking=Item.Tracking.SERIAL)
