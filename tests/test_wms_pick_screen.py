"""The pick scan screen over a real pick list: it prompts the next pick in walking order, a good
scan picks, a wrong bin, item, lot or quantity says what is wrong and moves nothing."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from erp_core.tests.factories import UserFactory
from tests.wms.outbound_kit import Site
from wms.models import Allocation, Quant
from wms.services import outbound as svc

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def keeper(db) -> Client:
    client = Client()
    client.force_login(UserFactory(username="picker", roles=["Warehouse"]))
    return client


@pytest.fixture
def wave(books):
    """A pick list of 4 of a lot item: lot L-1 lies in A-01."""
    site = Site()
    lot = site.lot("L-1", days=100)
    site.stock(site.a1, site.lot_item, 10, lot=lot)
    order = site.confirm([(site.lot_item, D("4"))])
    pick_list = svc.pick_list_create(orders=[order])
    return site, pick_list


def _scan(client, fields: dict, value: str):
    data = {**{f"s_{k}": v for k, v in fields.items()}, "scan": value}
    return client.post(reverse("wms:scan-pick"), data, HTTP_HX_REQUEST="true")


def test_a_pick_by_scan_moves_the_stock_to_the_shipping_bin(keeper, wave):
    site, pick_list = wave
    response = _scan(keeper, {}, pick_list.number)
    assert response.context["result"] == "ok"
    assert response.context["hint"] == f"Bin A-01: 4 of {site.lot_item.code}, lot L-1"
    fields = {"pick_list": pick_list.number}
    for name, value in (("bin", site.a1.barcode), ("item", site.lot_item.code), ("lot", "L-1")):
        response = _scan(keeper, fields, value)
        assert response.context["result"] == "ok", response.context["message"]
        fields[name] = value
    response = _scan(keeper, fields, "4")
    assert response.context["result"] == "done", response.context["message"]
    assert pick_list.number in response.context["message"]  # the list is done
    assert Quant.objects.get(bin=site.ship, item=site.lot_item).on_hand == D("4")
    assert Quant.objects.get(bin=site.a1, item=site.lot_item).on_hand == D("6")
    assert not Allocation.objects.filter(pick_list=pick_list, status="open").exists()


@pytest.mark.parametrize(
    ("fields", "scan", "says"),
    [
        ({}, "PL-NOPE", "PL-NOPE"),
        ({"pick_list": "PL"}, "A2", "Wrong bin"),
        ({"pick_list": "PL", "bin": "A1"}, "OTHER", "Wrong item"),
        ({"pick_list": "PL", "bin": "A1", "item": "ITEM"}, "L-9", "Wrong lot"),
        ({"pick_list": "PL", "bin": "A1", "item": "ITEM", "lot": "L-1"}, "5", "More than"),
    ],
)
def test_a_bad_pick_scan_says_what_is_wrong_and_moves_nothing(keeper, wave, fields, scan, says):
    site, pick_list = wave
    names = {"PL": pick_list.number, "A1": site.a1.barcode, "A2": site.a2.barcode,
             "ITEM": site.lot_item.code, "OTHER": site.item.code}  # fmt: skip
    fields = {key: names.get(value, value) for key, value in fields.items()}
    before = list(Quant.objects.order_by("pk").values_list("on_hand", "reserved"))
    response = _scan(keeper, fields, names.get(scan, scan))
    assert response.context["result"] == "error"
    assert says in response.context["message"]
    assert list(Quant.objects.order_by("pk").values_list("on_hand", "reserved")) == before
