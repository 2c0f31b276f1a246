"""The stock adjustment page and its service, the moves page, and the on-hand read that the
document line forms call."""

import json
from decimal import Decimal as D

import pytest
from django.urls import reverse

from common.testing import partner_user, staff_user
from erp_core.models import Warehouse
from erp_core.stock import services
from erp_core.stock.models import StockBalance, StockMove
from erp_core.stock.tests.test_api_and_views import _booked_receipt
from erp_core.tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db


def _post(client, move: StockMove, **data):
    body = {
        "item": move.item_id,
        "warehouse": move.warehouse_id,
        "direction": "in",
        "quantity": "2",
        "unit_cost": "",
        "reason": "Found in the cycle count",
    }
    body.update(data)
    return client.post(reverse("stock:adjustment-create"), body)


# --- The service ---------------------------------------------------------------------------------


def test_an_adjustment_keeps_its_reason_on_the_ledger_row():
    receipt = _booked_receipt()  # 4 in at 3.00
    gain = services.stock_adjustment_book(
        item=receipt.item, warehouse=receipt.warehouse, quantity="1.5", reason=" Found ", actor=None
    )
    loss = services.stock_adjustment_book(
        item=receipt.item, warehouse=receipt.warehouse, quantity=D("-2"), reason="Broken"
    )
    assert (gain.reason, gain.quantity, gain.note) == ("adjustment", D("1.5"), "Found")
    assert (loss.quantity, loss.value, loss.note) == (D("-2"), D("-6.00"), "Broken")
    assert gain.journal_entry is not None and loss.journal_entry is not None
    balance = StockBalance.objects.get(item=receipt.item, warehouse=receipt.warehouse)
    assert balance.quantity == D("3.5")


@pytest.mark.parametrize(
    ("fields", "key"),
    [
        ({"quantity": "1", "reason": "  "}, "reason"),
        ({"quantity": "1", "reason": "x" * 256}, "reason"),
        ({"quantity": "abc", "reason": "Count"}, "quantity"),
        ({"quantity": 1.5, "reason": "Count"}, "quantity"),
        ({"quantity": "1e20", "reason": "Count"}, "quantity"),
        ({"quantity": "0", "reason": "Count"}, "quantity"),
        ({"quantity": "-1", "reason": "Count", "unit_cost": "2"}, "unit_cost"),
        ({"quantity": "1", "reason": "Count", "unit_cost": "-2"}, "unit_cost"),
        ({"quantity": "-100", "reason": "Count"}, "quantity"),  # more than on hand
    ],
)
def test_a_bad_adjustment_is_refused_and_writes_nothing(fields, key):
    receipt = _booked_receipt()
    with pytest.raises(services.ValidationError) as caught:
        services.stock_adjustment_book(item=receipt.item, warehouse=receipt.warehouse, **fields)
    assert key in caught.value.message_dict
    assert StockMove.objects.count() == 1


# --- The adjustment page -------------------------------------------------------------------------


def test_the_warehouse_books_an_adjustment_on_the_page(client):
    receipt = _booked_receipt()
    client.force_login(staff_user("Warehouse"))
    page = client.get(
        reverse("stock:adjustment-create"),
        {"item": receipt.item_id, "warehouse": receipt.warehouse_id, "direction": "out"},
    )
    assert page.status_code == 200
    assert page.context["form"].initial["direction"] == "out"
    response = _post(client, receipt, direction="out", quantity="1", reason="Dropped")
    assert response.status_code == 302
    assert response.url == reverse("stock:move-journal")
    move = StockMove.objects.latest("pk")
    assert (move.reason, move.quantity, move.note) == ("adjustment", D("-1"), "Dropped")
    moves = client.get(response.url)
    assert "Dropped" in moves.content.decode()


@pytest.mark.parametrize(
    "data",
    [
        {"quantity": "abc"},
        {"quantity": "-3"},  # the direction says out, not the sign
        {"reason": ""},
        {"direction": "sideways"},
        {"direction": "out", "unit_cost": "5"},
        {"direction": "out", "quantity": "999"},  # more than on hand: the service refuses
        {"warehouse": "999999"},
    ],
)
def test_bad_input_on_the_page_shows_form_errors_and_writes_nothing(client, data):
    receipt = _booked_receipt()
    client.force_login(staff_user("Finance"))
    response = _post(client, receipt, **data)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert StockMove.objects.count() == 1


def test_the_adjustment_page_needs_the_permission(client):
    receipt = _booked_receipt()
    for role in ("Sales", "Planner", "Shop floor"):
        client.force_login(staff_user(role))
        assert client.get(reverse("stock:adjustment-create")).status_code == 403
        assert _post(client, receipt).status_code == 403
    client.logout()
    assert _post(client, receipt).status_code == 302  # to the sign-in page
    assert StockMove.objects.count() == 1


def test_the_moves_page_lists_filters_and_stays_within_a_query_budget(
    client, django_assert_max_num_queries
):
    moves = [_booked_receipt() for _ in range(12)]
    services.stock_adjustment_book(
        item=moves[0].item, warehouse=moves[0].warehouse, quantity="1", reason="Found"
    )
    client.force_login(staff_user("Warehouse"))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("stock:move-journal"))
    assert response.status_code == 200
    body = response.content.decode()
    assert all(move.item.code in body for move in moves)
    only = client.get(reverse("stock:move-journal"), {"reason": "adjustment"})
    assert only.context["page_obj"].paginator.count == 1
    found = client.get(reverse("stock:move-journal"), {"q": moves[3].item.code})
    assert [m.pk for m in found.context["page_obj"]] == [moves[3].pk]
    partial = client.get(reverse("stock:move-journal"), headers={"HX-Request": "true"})
    assert "<html" not in partial.content.decode()
    client.force_login(staff_user("Sales"))
    assert client.get(reverse("stock:move-journal")).status_code == 403


# --- On hand -------------------------------------------------------------------------------------


def test_every_role_with_a_line_form_reads_the_on_hand(client, django_assert_max_num_queries):
    receipt = _booked_receipt()
    other = Warehouse.objects.create(code="ZZ-LINE", name="Line side")
    services.stock_transfer(
        item=receipt.item, from_warehouse=receipt.warehouse, to_warehouse=other, quantity=D("1")
    )
    url = reverse("stock:on-hand", args=[receipt.item_id])
    for role in ("Sales", "Planner", "Shop floor", "Warehouse", "Finance", "Admin"):
        client.force_login(staff_user(role))
        client.get(url)  # the session and the permissions cached
        with django_assert_max_num_queries(6):
            response = client.get(url)
        assert response.status_code == 200, role
    data = json.loads(response.content)
    assert data["total"] == "4.000000"
    assert data["total_text"] == "4"
    assert [(w["code"], w["text"]) for w in data["warehouses"]] == [
        (receipt.warehouse.code, "3"),
        ("ZZ-LINE", "1"),
    ]


def test_the_on_hand_query_count_does_not_grow_with_warehouses(
    client, django_assert_num_queries, django_assert_max_num_queries
):
    receipt = _booked_receipt()
    client.force_login(staff_user("Sales"))
    url = reverse("stock:on-hand", args=[receipt.item_id])
    client.get(url)
    with django_assert_max_num_queries(6) as one:
        client.get(url)
    for n in range(5):
        warehouse = Warehouse.objects.create(code=f"ZZ{n}", name=f"Store {n}")
        services.stock_transfer(
            item=receipt.item,
            from_warehouse=receipt.warehouse,
            to_warehouse=warehouse,
            quantity=D("0.5"),
        )
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(url)
    assert len(json.loads(response.content)["warehouses"]) == 6


def test_the_on_hand_is_refused_to_those_without_stock_access(client):
    receipt = _booked_receipt()
    url = reverse("stock:on-hand", args=[receipt.item_id])
    client.force_login(staff_user())
    refused = client.get(url)
    assert refused.status_code == 403
    assert "may not see stock" in json.loads(refused.content)["detail"]
    client.force_login(partner_user(PartnerFactory()))
    assert client.get(url).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302
    client.force_login(staff_user("Sales"))
    assert client.get(reverse("stock:on-hand", args=[999999])).status_code == 404
