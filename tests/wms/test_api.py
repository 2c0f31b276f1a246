"""The WMS API under /api/v1/wms/: reads within a query budget, steps as POST verbs, bad input
a 4xx with nothing written, the module's permission required."""

import datetime as dt
from decimal import Decimal as D

import pytest

from common.testing import api_client, staff_user
from tests.wms.helpers import breaches, deliver_all
from tests.wms.test_flows import _placed
from wms.models import Bin, ExpectedReceipt, MoveTask, Quant

pytestmark = pytest.mark.django_db
BASE = "/api/v1/wms"


@pytest.fixture
def client(db):
    """An API client signed in as the warehouse."""
    return api_client(staff_user("Warehouse"))


def test_quants_are_listed_in_a_few_queries(live, client, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        response = client.get(f"{BASE}/quants/")
    assert response.status_code == 200
    (row,) = response.json()["results"]
    assert (row["bin_code"], row["on_hand"]) == ("STOCK", "40.000000")
    assert client.get(f"{BASE}/quants/", {"search": "STOCK"}).json()["count"] == 1


def test_bins_are_created_and_a_duplicate_code_is_refused(live, client, warehouse):
    data = {"warehouse": warehouse.pk, "code": "C-01", "barcode": "C01", "bin_type": "storage"}
    assert client.post(f"{BASE}/bins/", data, format="json").status_code == 201
    response = client.post(f"{BASE}/bins/", {**data, "barcode": "C01b"}, format="json")
    assert response.status_code == 400
    assert Bin.objects.filter(code="C-01").count() == 1


def test_a_bin_holding_stock_cannot_be_deleted(live, client):
    response = client.delete(f"{BASE}/bins/{live['stock'].pk}/")
    assert response.status_code == 409


def test_receiving_by_api(live, client, warehouse, supplier, lot_item):
    order = _placed(supplier, warehouse, (lot_item, "10"))
    deliver_all()
    receipt = ExpectedReceipt.objects.get(purchase_order=order)
    url = f"{BASE}/expected-receipts/{receipt.pk}"
    bad = client.post(f"{url}/scan/", {"barcode": "nope"}, format="json")
    assert bad.status_code == 400
    assert "No item has the barcode nope" in bad.text
    scan = {"barcode": lot_item.barcode, "quantity": "10", "lot_number": "L7",
            "expiry": (dt.date.today() + dt.timedelta(days=90)).isoformat()}  # fmt: skip
    assert client.post(f"{url}/scan/", scan, format="json").status_code == 200
    assert client.post(f"{url}/scan/", {**scan, "quantity": "1"}, format="json").status_code == 400
    response = client.post(f"{url}/complete/", format="json")
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "approved"
    assert client.post(f"{url}/complete/", format="json").status_code == 409
    deliver_all()
    task = MoveTask.objects.get()
    response = client.post(f"{BASE}/move-tasks/{task.pk}/confirm/",
                           {"bin_barcode": task.to_bin.barcode}, format="json")  # fmt: skip
    assert response.status_code == 200, response.text
    assert Quant.objects.get(bin=task.to_bin, item=lot_item).on_hand == D("10")
    assert breaches() == []


def test_a_count_by_api(live, client, warehouse, item):
    data = {"warehouse": warehouse.pk, "bins": [live["stock"].pk]}
    response = client.post(f"{BASE}/counts/", data, format="json")
    assert response.status_code == 201, response.text
    count = response.json()
    assert count["lines"][0]["snapshot_quantity"] is None  # blind
    url = f"{BASE}/counts/{count['id']}"
    record = {"bin_barcode": live["stock"].barcode, "barcode": item.barcode, "quantity": "41"}
    assert client.post(f"{url}/record/", record, format="json").status_code == 200
    assert client.post(f"{url}/submit/", format="json").json()["lines"][0]["variance"] == (
        "1.000000"
    )
    assert client.post(f"{url}/approve/", format="json").status_code == 200
    deliver_all()
    assert breaches() == []


def test_the_api_needs_the_wms_module(live):
    client = api_client(staff_user("Sales"))
    assert client.get(f"{BASE}/quants/").status_code == 403
