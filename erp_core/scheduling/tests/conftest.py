"""Fixtures of the schedule tests: a shop of two work centers making one item in two steps.

The item (a bracket) is cut on the saw (one machine, 60 minutes' setup, 30 a unit) then drilled
(two machines, 0 setup, 60 a unit); both centers work 24 hours a day, seven days a week, so the
tests read plain durations.
"""

import datetime as dt
import itertools
from dataclasses import dataclass
from decimal import Decimal as D

import pytest
from django.utils import timezone

from erp_core.masterdata import services as erp_services
from erp_core.models import Item, ItemCategory, UnitOfMeasure, Warehouse, WorkCenter
from erp_core.production import services as production
from erp_core.production.models import ProductionOrder

_codes = itertools.count(1)


@dataclass
class Shop:
    """What the tests work with."""

    bracket: Item
    steel: Item
    saw: WorkCenter
    drill: WorkCenter
    stores: Warehouse

    def released(self, quantity: str = "2", *, due_in_days: int = 7) -> ProductionOrder:
        """A released order of brackets due in ``due_in_days`` days."""
        order = production.production_order_create(
            item=self.bracket,
            quantity=D(quantity),
            due_date=timezone.localdate() + dt.timedelta(days=due_in_days),
            warehouse=self.stores,
            component_warehouse=self.stores,
            actor=None,
        )
        return production.production_order_release(order=order, actor=None)


@pytest.fixture
def shop(books) -> Shop:
    """The bracket, its BOM and two-step routing, the saw and the drills."""
    pcs, _ = UnitOfMeasure.objects.get_or_create(
        code="PCS", defaults={"name": "Piece", "category": UnitOfMeasure.Category.COUNT}
    )
    category, _ = ItemCategory.objects.get_or_create(code="FG", defaults={"name": "Goods"})
    n = next(_codes)
    bracket = Item.objects.create(
        code=f"BR{n:04d}", name="Bracket", unit=pcs, category=category,
        item_type=Item.ItemType.FINISHED_GOOD, make_or_buy=Item.MakeOrBuy.MAKE,
        production_lead_time_days=20,
    )  # fmt: skip
    steel = Item.objects.create(
        code=f"ST{n:04d}", name="Steel", unit=pcs, category=category,
        item_type=Item.ItemType.RAW_MATERIAL,
    )  # fmt: skip
    always = {"working_days": "1111111", "shifts_per_day": 3, "hours_per_shift": D(8)}
    saw = WorkCenter.objects.create(code=f"SAW{n}", name="Saw", machines=1, **always)
    drill = WorkCenter.objects.create(code=f"DRL{n}", name="Drill", machines=2, **always)
    start = dt.date(2020, 1, 1)
    erp_services.bom_create(
        item=bracket, version="1", valid_from=start,
        lines=[{"component": steel, "quantity_per": D("1")}],
    )  # fmt: skip
    erp_services.routing_create(
        item=bracket,
        version="1",
        valid_from=start,
        operations=[
            {"work_center": saw, "description": "Cut", "setup_minutes": D("60"),
             "run_minutes_per_unit": D("30")},
            {"work_center": drill, "description": "Drill", "setup_minutes": D("0"),
             "run_minutes_per_unit": D("60")},
        ],
    )  # fmt: skip
    stores = Warehouse.objects.create(code=f"SS{n:03d}", name="Stores")
    return Shop(bracket=bracket, steel=steel, saw=saw, drill=drill, stores=stores)
