"""Stock ledger API (read-only, through the shared resource checks) and staff pages."""

import itertools
from decimal import Decimal as D

import pytest
from django.urls import reverse

from common.testing import APIResourceTests, api_client, staff_user
from erp_core.models import Item, ItemCategory, UnitOfMeasure, Warehouse
from erp_core.stock import services
from erp_core.stock.models import StockBalance, StockMove
from erp_core.testing.books import seed_books

pytestmark = pytest.mark.django_db
_codes = itertools.count(1)


def _booked_receipt() -> StockMove:
    """A receipt booked through the service (with the books seeded), in a new item."""
    seed_books()
    unit, _ = UnitOfMeasure.objects.get_or_create(
        code="PCS", defaults={"name": "Piece", "category": UnitOfMeasure.Category.COUNT}
    )
    category, _ = ItemCategory.objects.get_or_create(code="RM", defaults={"name": "Raw"})
    warehouse, _ = Warehouse.objects.get_or_create(code="MAIN", defaults={"name": "Main"})
    item = Item.objects.create(
        code=f"API{next(_codes):05d}", name="轴承", item_type="raw", unit=unit, category=category
    )
    return services.stock_receipt(item=item, warehouse=warehouse, quantity=D("4"), unit_cost=D("3"))


class TestStockMoveAPI(APIResourceTests):
    """The stock ledger rows through the API."""

    list_url = "/api/v1/erp/stock-moves/"
    model = StockMove
    max_queries = 8
    creates = False

    def make_object(self, partner=None):
        return _booked_receipt()

    def allowed_user(self):
        return staff_user("Finance")

    def wrong_role_user(self):
        # Every role reads the balances (sales to promise, the shop floor to issue).
        return staff_user()

    def partner_user_for(self, obj):
        return None


class TestStockBalanceAPI(TestStockMoveAPI):
    """Balances through the API."""

    list_url = "/api/v1/erp/stock-balances/"
    model = StockBalance

    def make_object(self, partner=None):
        move = _booked_receipt()
        return StockBalance.objects.get(item=move.item, warehouse=move.warehouse)


def test_the_api_has_no_way_to_write_the_ledger():
    move = _booked_receipt()
    client = api_client(staff_user("Admin"))
    # No role holds a write permission on the ledger, and the viewset has no write methods.
    assert client.post("/api/v1/erp/stock-moves/", {}, format="json").status_code in (403, 405)
    assert client.delete(f"/api/v1/erp/stock-moves/{move.pk}/").status_code in (403, 405)
    assert StockMove.objects.count() == 1


def test_balance_page_lists_and_searches_stock_within_a_query_budget(
    client, django_assert_max_num_queries
):
    moves = [_booked_receipt() for _ in range(25)]
    client.force_login(staff_user("Finance"))
    with django_assert_max_num_queries(14):
        response = client.get(reverse("stock:balance-list"))
    assert response.status_code == 200
    assert moves[0].item.code in response.content.decode()
    found = client.get(reverse("stock:balance-list"), {"q": moves[3].item.code})
    assert moves[3].item.code in found.content.decode()
    assert moves[4].item.code not in found.content.decode()
    partial = client.get(reverse("stock:balance-list"), headers={"HX-Request": "true"})
    assert "<html" not in partial.content.decode()


def test_move_page_shows_the_rows_and_their_entries(client):
    move = _booked_receipt()
    client.force_login(staff_user("Finance"))
    response = client.get(reverse("stock:move-list", args=[move.item_id, move.warehouse_id]))
    assert response.status_code == 200
    assert move.journal_entry.number in response.content.decode()
    missing = client.get(reverse("stock:move-list", args=[move.item_id, 999999]))
    assert missing.status_code == 404


def test_stock_pages_need_the_right_role(client):
    client.force_login(staff_user())
    assert client.get(reverse("stock:balance-list")).status_code == 403
    # Sales reads the balances to promise a date, not the moves (and costs) behind them.
    client.force_login(staff_user("Sales"))
    assert client.get(reverse("stock:balance-list")).status_code == 200
    assert client.get(reverse("stock:move-list", args=[1, 1])).status_code == 403
