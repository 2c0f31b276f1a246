"""With WMS running a warehouse, the ERP's own stock moves (an adjustment, a transfer, production
consumption and output made from an ERP page or the API) refuse with a 409 and book nothing;
moves booked from an event pass. A warehouse WMS does not run works as before."""

from decimal import Decimal as D

import pytest
from django.test import Client
from django.urls import reverse

from common.errors import Conflict
from common.testing import api_client, staff_user
from erp_core.production import services as production
from erp_core.production.tests.conftest import plant  # noqa: F401  (the production plant)
from erp_core.stock import services as stock
from erp_core.stock.models import StockBalance, StockMove
from erp_core.tests.factories import WarehouseFactory
from tests.wms.conftest import run_warehouse

pytestmark = pytest.mark.django_db
PRODUCTION_URL = "/api/v1/erp/production-orders/"


def _moves() -> int:
    return StockMove.objects.count()


def test_an_adjustment_in_a_wms_warehouse_is_refused_by_the_service(live, warehouse, item):
    before = _moves()
    with pytest.raises(Conflict) as refused:
        stock.stock_adjustment_book(item=item, warehouse=warehouse, quantity="2", reason="Found")
    assert refused.value.code == "kept_by_warehouse"
    assert warehouse.code in str(refused.value.message) and "WMS" in str(refused.value.message)
    assert _moves() == before


def test_the_adjustment_page_shows_the_refusal_and_books_nothing(live, warehouse, item):
    web = Client()
    web.force_login(staff_user("Admin"))
    before = _moves()
    response = web.post(
        reverse("stock:adjustment-create"),
        {
            "item": item.pk,
            "warehouse": warehouse.pk,
            "direction": "out",
            "quantity": "3",
            "unit_cost": "",
            "reason": "Broken",
        },
    )
    assert response.status_code in (200, 400)
    assert "kept by the warehouse in WMS" in response.content.decode()
    assert _moves() == before
    assert StockBalance.objects.get(item=item, warehouse=warehouse).quantity == D("40")


def test_a_transfer_out_of_or_into_a_wms_warehouse_is_refused(live, warehouse, item):
    other = WarehouseFactory()
    stock.stock_receipt(item=item, warehouse=other, quantity=D("5"), unit_cost=D("10"))
    before = _moves()
    with pytest.raises(Conflict):
        stock.stock_transfer(
            item=item, from_warehouse=warehouse, to_warehouse=other, quantity=D("1")
        )
    with pytest.raises(Conflict):
        stock.stock_transfer(
            item=item, from_warehouse=other, to_warehouse=warehouse, quantity=D("1")
        )
    assert _moves() == before


def test_a_move_booked_from_an_event_passes(live, warehouse, item):
    source = stock.Source(type="wms.move", id="1", event_id="00000000-0000-0000-0000-000000000001")
    (row,) = stock.stock_moves_book(
        lines=[
            stock.MoveLine(
                item=item, warehouse=warehouse, quantity=D("-1"),
                reason=StockMove.Reason.ADJUSTMENT, source=source,
            )
        ]
    )  # fmt: skip
    assert row.quantity == D("-1")


def test_a_warehouse_wms_does_not_run_adjusts_and_transfers(warehouse, item):
    stock.stock_receipt(item=item, warehouse=warehouse, quantity=D("5"), unit_cost=D("10"))
    gain = stock.stock_adjustment_book(item=item, warehouse=warehouse, quantity="2", reason="Found")
    out, into = stock.stock_transfer(
        item=item, from_warehouse=warehouse, to_warehouse=WarehouseFactory(), quantity=D("3")
    )
    assert (gain.quantity, out.quantity, into.quantity) == (D("2"), D("-3"), D("3"))


def test_production_consumption_and_output_refuse_for_a_wms_warehouse(plant):  # noqa: F811
    run_warehouse(plant.stores, zone_code="S")
    run_warehouse(plant.finished, zone_code="F")
    order = plant.released("2")
    client = api_client(staff_user("Shop floor"))
    before = _moves()
    consume = client.post(
        f"{PRODUCTION_URL}{order.pk}/consume/",
        {"item": plant.shaft.pk, "quantity": "4"},
        format="json",
    )
    assert consume.status_code == 409, consume.content
    assert consume.json()["code"] == "kept_by_warehouse"
    output = client.post(
        f"{PRODUCTION_URL}{order.pk}/report-output/", {"quantity": "1"}, format="json"
    )
    assert output.status_code == 409, output.content
    assert _moves() == before
    order.refresh_from_db()
    assert order.quantity_produced == 0


def test_production_from_an_event_books_in_a_wms_warehouse(plant):  # noqa: F811
    run_warehouse(plant.stores, zone_code="S")
    order = plant.released("2")
    row = production.production_order_consume(
        order=order,
        item=plant.shaft,
        quantity=D("4"),
        source_event_id="00000000-0000-0000-0000-000000000002",
    )
    assert row.quantity_consumed == D("4")


def test_production_in_warehouses_wms_does_not_run_works(plant):  # noqa: F811
    order = plant.released("2")
    client = api_client(staff_user("Shop floor"))
    response = client.post(
        f"{PRODUCTION_URL}{order.pk}/consume/",
        {"item": plant.shaft.pk, "quantity": "4"},
        format="json",
    )
    assert response.status_code == 200, response.content
