"""Fixtures of the production order tests: a small plant and its stock (``books`` is shared).

The plant makes gearboxes (GB, standard cost 46.00) from 2 shafts (SH), 1 housing (HS, 10 %
scrap) and 1 phantom kit (KT, never stocked) of 0.5 kg of grease (GR); one operation on the
assembly line (machine 80.00/h, labour 50.00/h), 30 minutes' setup and 6 minutes a unit.
"""

import itertools
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.utils import timezone

from erp_core.masterdata import services as erp_services
from erp_core.models import (
    BillOfMaterials,
    Item,
    ItemCategory,
    Routing,
    UnitOfMeasure,
    Warehouse,
    WorkCenter,
)
from erp_core.production import services
from erp_core.production.models import ProductionOrder
from erp_core.stock.services import stock_receipt

_codes = itertools.count(1)


@dataclass
class Plant:
    """What the tests work with."""

    gearbox: Item
    shaft: Item
    housing: Item
    kit: Item
    grease: Item
    oil: Item
    bought: Item
    stores: Warehouse
    finished: Warehouse
    line: WorkCenter
    bom: BillOfMaterials
    routing: Routing

    def order(self, quantity: str = "10", actor=None, **fields) -> ProductionOrder:
        """A planned order of gearboxes, due in a week."""
        return services.production_order_create(
            item=self.gearbox,
            quantity=D(quantity),
            due_date=timezone.localdate() + timedelta(days=7),
            warehouse=self.finished,
            component_warehouse=self.stores,
            actor=actor,
            **fields,
        )

    def released(self, quantity: str = "10", actor=None) -> ProductionOrder:
        """A released order of gearboxes."""
        return services.production_order_release(
            order=self.order(quantity, actor=actor), actor=actor
        )


def _item(code: str, name: str, *, unit, category, **fields) -> Item:
    fields.setdefault("item_type", Item.ItemType.RAW_MATERIAL)
    return Item.objects.create(
        code=f"{code}{next(_codes):04d}", name=name, unit=unit, category=category, **fields
    )


@pytest.fixture
def plant(books) -> Plant:
    """Items, BOM (with a phantom), routing, warehouses, and components in stock."""
    pcs, _ = UnitOfMeasure.objects.get_or_create(
        code="PCS", defaults={"name": "Piece", "category": UnitOfMeasure.Category.COUNT}
    )
    kg, _ = UnitOfMeasure.objects.get_or_create(
        code="KG", defaults={"name": "Kilogram", "category": UnitOfMeasure.Category.MASS}
    )
    raw, _ = ItemCategory.objects.get_or_create(code="RM", defaults={"name": "Raw"})
    finished_goods, _ = ItemCategory.objects.get_or_create(code="FG", defaults={"name": "Goods"})
    make = {"make_or_buy": Item.MakeOrBuy.MAKE}
    gearbox = _item(
        "GB", "Gearbox", unit=pcs, category=finished_goods, item_type=Item.ItemType.FINISHED_GOOD,
        costing_method=Item.CostingMethod.STANDARD, standard_cost=D("46.00"), **make,
    )  # fmt: skip
    shaft = _item("SH", "Shaft", unit=pcs, category=raw, standard_cost=D("10.00"))
    housing = _item("HS", "Housing", unit=pcs, category=raw, standard_cost=D("5.00"))
    kit = _item(
        "KT", "Grease kit", unit=pcs, category=raw, item_type=Item.ItemType.SEMI_FINISHED, **make
    )
    grease = _item("GR", "Grease", unit=kg, category=raw, standard_cost=D("2.00"))
    oil = _item("OL", "Oil", unit=kg, category=raw, standard_cost=D("3.00"))
    bought = _item("BT", "Bought gearbox", unit=pcs, category=finished_goods)
    start = date(2020, 1, 1)
    erp_services.bom_create(
        item=kit, version="1", valid_from=start,
        lines=[{"component": grease, "quantity_per": D("0.5")}],
    )  # fmt: skip
    bom = erp_services.bom_create(
        item=gearbox,
        version="1",
        valid_from=start,
        lines=[
            {"component": shaft, "quantity_per": D("2")},
            {"component": housing, "quantity_per": D("1"), "scrap_percent": D("10")},
            {"component": kit, "quantity_per": D("1"), "is_phantom": True},
        ],
    )
    line = WorkCenter.objects.create(
        code=f"AL{next(_codes):03d}",
        name="Assembly line",
        machine_rate_per_hour=D("80.00"),
        labour_rate_per_hour=D("50.00"),
    )
    routing = erp_services.routing_create(
        item=gearbox,
        version="1",
        valid_from=start,
        operations=[
            {
                "work_center": line,
                "description": "Assemble",
                "setup_minutes": D("30"),
                "run_minutes_per_unit": D("6"),
            }
        ],
    )
    stores = Warehouse.objects.create(code=f"ST{next(_codes):03d}", name="Stores")
    finished = Warehouse.objects.create(code=f"FG{next(_codes):03d}", name="Finished goods")
    for item, cost in ((shaft, "10"), (housing, "5"), (grease, "2"), (oil, "3")):
        stock_receipt(item=item, warehouse=stores, quantity=D("100"), unit_cost=D(cost))
    return Plant(
        gearbox=gearbox, shaft=shaft, housing=housing, kit=kit, grease=grease, oil=oil,
        bought=bought, stores=stores, finished=finished, line=line, bom=bom, routing=routing,
    )  # fmt: skip
