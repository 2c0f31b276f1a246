"""Quantities of an item are entered to the precision of its unit: pieces whole, kilograms to
three decimals; the same refusal from the services, the API and the stock adjustment."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from common.testing import api_client, staff_user
from erp_core.masterdata import services
from erp_core.masterdata.quantities import quantity_for, quantity_rounded_up
from erp_core.models import UnitOfMeasure
from erp_core.stock.models import StockMove
from erp_core.stock.services import stock_adjustment_book
from erp_core.tests.factories import (
    ItemFactory,
    PartnerFactory,
    TaxCodeFactory,
    UnitOfMeasureFactory,
    WarehouseFactory,
    erp_user,
)

pytestmark = pytest.mark.django_db


def _item(code: str, decimals: int):
    unit = UnitOfMeasureFactory(code=code, decimals=decimals)
    return ItemFactory(unit=unit, list_price=Decimal("10.00"), vat=TaxCodeFactory())


def test_a_unit_takes_its_categorys_decimals_unless_told():
    pcs = services.unit_create(code="EA", name="each", category="count")
    kg = services.unit_create(code="KGM", name="kilogram", category="mass")
    metre = services.unit_create(code="MTR", name="metre", category="length", decimals=1)
    assert (pcs.decimals, kg.decimals, metre.decimals) == (0, 3, 1)
    with pytest.raises(ValidationError):
        services.unit_create(code="BAD", name="bad", category="mass", decimals=7)
    assert not UnitOfMeasure.objects.filter(code="BAD").exists()


def test_quantity_for_refuses_more_decimals_than_the_unit_allows():
    pieces, kilos = _item("PC0", 0), _item("KG3", 3)
    assert quantity_for(pieces, "12") == Decimal("12")
    assert quantity_for(pieces, "12.000") == Decimal("12.000")  # trailing zeros are no decimals
    assert quantity_for(kilos, "1.125") == Decimal("1.125")
    with pytest.raises(ValidationError) as whole:
        quantity_for(pieces, "2.5")
    assert "whole" in " ".join(whole.value.messages)
    with pytest.raises(ValidationError):
        quantity_for(kilos, "1.1255")
    with translation.override("zh-hans"), pytest.raises(ValidationError) as chinese:
        quantity_for(pieces, "2.5")
    assert "整数" in " ".join(chinese.value.messages)
    # What MRP computes (61.2 bolts, scrap included) goes on a document rounded up.
    assert quantity_rounded_up(pieces, Decimal("61.2")) == Decimal("62")
    assert quantity_rounded_up(kilos, Decimal("1.0001")) == Decimal("1.001")
    assert quantity_rounded_up(pieces, Decimal("7")) == Decimal("7")


def test_a_stock_adjustment_of_half_a_piece_is_refused_and_books_nothing():
    pieces = _item("PC0", 0)
    warehouse = WarehouseFactory()
    with pytest.raises(ValidationError):
        stock_adjustment_book(
            item=pieces, warehouse=warehouse, quantity="0.5", reason="found", unit_cost="1"
        )
    assert not StockMove.objects.exists()


def test_a_sales_order_line_of_half_a_piece_is_400_and_writes_nothing():
    from erp_core.sales.models import SalesOrder

    pieces = _item("PC0", 0)
    payload = {
        "customer": PartnerFactory().pk,
        "warehouse": WarehouseFactory().pk,
        "date": str(timezone.localdate()),
        "lines": [{"item": pieces.pk, "quantity": "2.5"}],
    }
    client = api_client(staff_user("Sales"))
    response = client.post("/api/v1/erp/sales-orders/", payload, format="json")
    assert response.status_code == 400, response.content[:500]
    assert pieces.code in response.content.decode()
    assert not SalesOrder.objects.exists()
    payload["lines"][0]["quantity"] = "2"
    response = client.post("/api/v1/erp/sales-orders/", payload, format="json")
    assert response.status_code == 201, response.content[:500]


def test_the_unit_api_shows_and_takes_the_decimals():
    client = api_client(erp_user())
    response = client.post(
        "/api/v1/erp/units/",
        {"code": "ROLL", "name": "roll", "category": "length", "decimals": 1},
        format="json",
    )
    assert response.status_code == 201, response.content[:500]
    assert response.json()["decimals"] == 1
    assert UnitOfMeasure.objects.get(code="ROLL").decimals == 1
