"""Open supply's pegs: a placed purchase order line (or an open production order) records the
demands it serves, with its expected date, in a regenerative run and in a net change."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.utils import timezone

from common.testing import api_client, staff_user
from erp_core.planning import services
from erp_core.planning.models import PlannedOrderPeg, SupplyPeg
from erp_core.purchasing.tests.helpers import placed_order, supplier_factory
from erp_core.sales.models import SalesOrderLine
from erp_core.sales.tests.helpers import make_order

pytestmark = pytest.mark.django_db


def _day(offset: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=offset)


def _run_mrp():
    return services.mrp_run_execute(run=services.mrp_run_start(actor=None))


def _shafts_ordered(plant, quantity: str, *, due_in_days: int):
    order = placed_order(
        supplier=supplier_factory(), warehouse=plant.stores, item=plant.shaft,
        quantity=quantity, expected_date=_day(due_in_days),
    )  # fmt: skip
    return order.lines.get()


def _pegs():
    return sorted(
        SupplyPeg.objects.values_list(
            "item_id", "supply_kind", "supply_id", "supply_date", "kind", "quantity",
            "sales_order_line_id", "production_order_id", "parent_id",
        )
    )  # fmt: skip


def test_an_open_purchase_order_line_is_pegged_to_the_production_order_it_serves(plant):
    order = plant.released("80")  # 160 shafts; 100 in stock
    line = _shafts_ordered(plant, "60", due_in_days=10)
    production = plant.order("5")  # a planned production order: open supply nothing needs

    _run_mrp()
    peg = SupplyPeg.objects.get(supply_kind=SupplyPeg.SupplyKind.PURCHASE_ORDER_LINE)
    assert (peg.item_id, peg.supply_id, peg.supply_date) == (plant.shaft.pk, line.pk, _day(10))
    assert (peg.kind, peg.production_order_id, peg.quantity) == (
        PlannedOrderPeg.Kind.PRODUCTION_ORDER, order.pk, D(60),
    )  # fmt: skip
    assert not SupplyPeg.objects.filter(supply_id=production.pk).exists()  # it serves nothing

    client = api_client(staff_user("Planner"))
    listed = client.get(
        "/api/v1/erp/supply-pegs/", {"supply_kind": "purchase_order_line", "supply_id": line.pk}
    ).json()["results"]
    assert [
        (row["production_order"], row["supply_date"], D(row["quantity"])) for row in listed
    ] == [(order.pk, _day(10).isoformat(), D(60))]

    # a regenerative run rewrites them as they come out
    before = _pegs()
    _run_mrp()
    assert _pegs() == before


def test_net_change_keeps_the_pegs_of_open_supply_right(plant, customer):
    line = _shafts_ordered(plant, "100", due_in_days=5)
    _run_mrp()
    assert not SupplyPeg.objects.exists()  # stock covers what nobody needs: nothing pegged

    sales = make_order(
        customer, plant.finished, [(plant.gearbox, 80)], approve=True, requested_date=_day(20)
    )
    services.mrp_net_change(item_ids=[plant.gearbox.pk])
    (peg,) = SupplyPeg.objects.all()
    assert (peg.supply_id, peg.supply_date, peg.kind, peg.quantity) == (
        line.pk, _day(5), PlannedOrderPeg.Kind.PLANNED_ORDER, D(60),
    )  # fmt: skip
    assert peg.parent.item_id == plant.gearbox.pk

    # nothing changed: the peg is kept as it is
    services.mrp_net_change(item_ids=[plant.gearbox.pk])
    assert list(SupplyPeg.objects.values_list("pk", flat=True)) == [peg.pk]

    # 10 more gearboxes: 180 shafts, 100 from stock, 80 from the line
    SalesOrderLine.objects.filter(order=sales).update(quantity=D(90))
    services.mrp_net_change(item_ids=[plant.gearbox.pk])
    (peg,) = SupplyPeg.objects.all()
    assert (peg.supply_id, peg.quantity) == (line.pk, D(80))
    after_net_change = _pegs()
    _run_mrp()  # a regenerative run comes to the same pegs (by content)
    assert [row[:6] for row in _pegs()] == [row[:6] for row in after_net_change]
