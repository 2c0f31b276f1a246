"""A small two-level plant the MES tests run: steel is cut and welded into brackets (two
operations on two work centers), brackets and bolts are assembled into frames (one operation on
the weld cell). MES has a machine on each work center; every event is delivered as the worker
would (``deliver``)."""

import itertools
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.db import transaction
from django.utils import timezone

from common.testing import staff_user
from erp_core.masterdata import services as erp_services
from erp_core.models import Item, ItemCategory, UnitOfMeasure, Warehouse, WorkCenter
from erp_core.production import services as production
from erp_core.production.models import ProductionOrder
from erp_core.stock.services import stock_receipt
from integration.models import Event
from integration.services import event_deliver
from mes.models import Machine, WorkOrder

_codes = itertools.count(1)


def deliver() -> list[Event]:
    """Deliver every pending event (and those its receivers publish), oldest first; each must
    be delivered, or the failing receiver's error is shown."""
    delivered = []
    for _round in range(10):
        pending = list(
            Event.objects.filter(status=Event.Status.PENDING).order_by("occurred_at", "pk")
        )
        if not pending:
            return delivered
        for event in pending:
            event_deliver(event_id=event.pk)
            event.refresh_from_db()
            if event.status != Event.Status.DELIVERED:
                errors = [d.last_error for d in event.deliveries.all()]
                raise AssertionError(f"{event.topic} not delivered: {errors}")
            delivered.append(event)
    return delivered


@dataclass
class Plant:
    steel: Item
    bolt: Item
    bracket: Item
    frame: Item
    stores: Warehouse
    cut: WorkCenter
    weld: WorkCenter
    saw: Machine
    welder: Machine

    def order(self, item: Item, quantity: str = "10") -> ProductionOrder:
        """A planned order, due in a week, made and issued in the stores."""
        return production.production_order_create(
            item=item,
            quantity=D(quantity),
            due_date=timezone.localdate() + timedelta(days=7),
            warehouse=self.stores,
            component_warehouse=self.stores,
            actor=None,
        )

    def released(self, item: Item, quantity: str = "10") -> ProductionOrder:
        """A released order whose release MES has received."""
        with transaction.atomic():
            order = production.production_order_release(
                order=self.order(item, quantity), actor=None
            )
        deliver()
        return order

    def work_order(self, item: Item, quantity: str = "10") -> WorkOrder:
        """The work order MES made of a freshly released order."""
        return WorkOrder.objects.get(production_order=self.released(item, quantity))


def _item(code: str, name: str, *, unit, category, **fields) -> Item:
    fields.setdefault("item_type", Item.ItemType.RAW_MATERIAL)
    return Item.objects.create(
        code=f"{code}{next(_codes):04d}", name=name, unit=unit, category=category, **fields
    )


@pytest.fixture
def plant(books) -> Plant:
    """Items, BOMs, routings, two work centers with a machine each, stock of the raw material."""
    return build_plant()


def build_plant() -> Plant:
    """The plant (the books must be set up: ``books`` or ``books_flushable``)."""
    pcs, _ = UnitOfMeasure.objects.get_or_create(
        code="PCS", defaults={"name": "Piece", "category": UnitOfMeasure.Category.COUNT}
    )
    raw, _ = ItemCategory.objects.get_or_create(code="RM", defaults={"name": "Raw"})
    goods, _ = ItemCategory.objects.get_or_create(code="FG", defaults={"name": "Goods"})
    make = {"make_or_buy": Item.MakeOrBuy.MAKE, "costing_method": Item.CostingMethod.STANDARD}
    steel = _item("ST", "Steel bar", unit=pcs, category=raw, standard_cost=D("4.00"))
    bolt = _item("BO", "Bolt", unit=pcs, category=raw, standard_cost=D("0.50"))
    bracket = _item(
        "BR", "Bracket", unit=pcs, category=raw, item_type=Item.ItemType.SEMI_FINISHED,
        standard_cost=D("12.00"), **make,
    )  # fmt: skip
    frame = _item(
        "FR", "Frame", unit=pcs, category=goods, item_type=Item.ItemType.FINISHED_GOOD,
        standard_cost=D("40.00"), **make,
    )  # fmt: skip
    start = date(2020, 1, 1)
    erp_services.bom_create(
        item=bracket, version="1", valid_from=start,
        lines=[{"component": steel, "quantity_per": D("2")}],
    )  # fmt: skip
    erp_services.bom_create(
        item=frame, version="1", valid_from=start,
        lines=[{"component": bracket, "quantity_per": D("2")},
               {"component": bolt, "quantity_per": D("4")}],
    )  # fmt: skip
    rates = {"machine_rate_per_hour": D("60.00"), "labour_rate_per_hour": D("40.00")}
    cut = WorkCenter.objects.create(code=f"CU{next(_codes):03d}", name="Cutting", **rates)
    weld = WorkCenter.objects.create(code=f"WE{next(_codes):03d}", name="Welding", **rates)
    minutes = {"setup_minutes": D("10"), "run_minutes_per_unit": D("2")}
    erp_services.routing_create(
        item=bracket, version="1", valid_from=start,
        operations=[{"work_center": cut, "description": "Cut", **minutes},
                    {"work_center": weld, "description": "Weld", **minutes}],
    )  # fmt: skip
    erp_services.routing_create(
        item=frame, version="1", valid_from=start,
        operations=[{"work_center": weld, "description": "Assemble", **minutes}],
    )  # fmt: skip
    stores = Warehouse.objects.create(code=f"ST{next(_codes):03d}", name="Stores")
    for item, cost in ((steel, "4"), (bolt, "0.5")):
        stock_receipt(item=item, warehouse=stores, quantity=D("1000"), unit_cost=D(cost))
    saw = Machine.objects.create(work_center=cut, code=f"SAW{next(_codes):03d}", name="Saw")
    welder = Machine.objects.create(work_center=weld, code=f"WLD{next(_codes):03d}", name="Welder")
    return Plant(
        steel=steel, bolt=bolt, bracket=bracket, frame=frame, stores=stores, cut=cut, weld=weld,
        saw=saw, welder=welder,
    )  # fmt: skip


@pytest.fixture
def operator(db):
    """A shop-floor user (runs the terminal, may not override)."""
    return staff_user("Shop floor")


@pytest.fixture
def supervisor(db):
    """A planner: reads MES and may override an operation's rules."""
    return staff_user("Planner")
