"""Fixtures of the WMS flow tests: a warehouse WMS runs, with stock taken over from the ERP."""

from decimal import Decimal as D

import pytest

from erp_core.models import Item, Partner
from erp_core.stock import services as stock
from erp_core.tests.factories import ItemFactory, PartnerFactory, WarehouseFactory
from wms.models import Bin, Zone
from wms.services.setup import wms_warehouse_adopt, wms_warehouse_setup


def make_bin(warehouse, code: str, bin_type: str = Bin.Type.STORAGE, **fields) -> Bin:
    """A bin whose barcode is the warehouse's code and its own."""
    fields.setdefault("barcode", f"{warehouse.code}-{code}")
    return Bin.objects.create(warehouse=warehouse, code=code, bin_type=bin_type, **fields)


@pytest.fixture
def item(db) -> Item:
    """An item without lots, 10.00 standard cost."""
    return ItemFactory(barcode="6900000000011")


@pytest.fixture
def lot_item(db) -> Item:
    """A lot-tracked item with a shelf life of a year."""
    return ItemFactory(tracking=Item.Tracking.LOT, shelf_life_days=365, barcode="6900000000028")


@pytest.fixture
def supplier(db) -> Partner:
    """A supplier."""
    return PartnerFactory(kind=Partner.Kind.SUPPLIER)


def run_warehouse(warehouse, *, zone_code="A"):
    """Set a warehouse up for WMS with a zone of three storage bins, and take it over."""
    zone = Zone.objects.create(warehouse=warehouse, code=zone_code, name=zone_code)
    bins = {
        "a1": make_bin(warehouse, f"{zone_code}-01", zone=zone, walking_order=10),
        "a2": make_bin(warehouse, f"{zone_code}-02", zone=zone, walking_order=20,
                       capacity_units=D("50")),
        "a3": make_bin(warehouse, f"{zone_code}-03", zone=zone, walking_order=30),
    }  # fmt: skip
    setup = wms_warehouse_setup(warehouse=warehouse)
    wms_warehouse_adopt(warehouse=warehouse)
    setup.refresh_from_db()
    bins.update(recv=setup.receiving_bin, stock=setup.default_bin, transit=setup.transit_bin)
    return bins


@pytest.fixture
def warehouse(books):
    """An ERP warehouse holding 40 of ``item`` (booked in the ERP before WMS took it over)."""
    return WarehouseFactory()


@pytest.fixture
def live(warehouse, item):
    """``warehouse`` run by WMS, with 40 of ``item`` adopted from the ERP into its STOCK bin."""
    stock.stock_receipt(item=item, warehouse=warehouse, quantity=D("40"), unit_cost=D("10"))
    return run_warehouse(warehouse)
