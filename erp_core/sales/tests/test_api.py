"""The sales API: the shared resource checks, the status steps, partner scoping, idempotency."""

import itertools
from decimal import Decimal

import pytest
from django.utils import timezone

from common.testing import (
    APIResourceTests,
    DocumentFlowTests,
    PartnerFactory,
    api_client,
    assert_error_body,
    days_from_today,
    partner_user,
    staff_user,
)
from erp_core.ledger.services import ledger_seed
from erp_core.models import Item
from erp_core.sales import services
from erp_core.sales.models import Delivery, PriceList, SalesOrder
from erp_core.sales.tests.helpers import make_order, put_stock, snapshot
from erp_core.tests.factories import ItemFactory, TaxCodeFactory, WarehouseFactory
from integration.models import Event

ORDERS = "/api/v1/erp/sales-orders/"
DELIVERIES = "/api/v1/erp/deliveries/"
PRICE_LISTS = "/api/v1/erp/price-lists/"
_codes = itertools.count(1)


def _item() -> Item:
    return ItemFactory(
        code="FG-API",
        item_type=Item.ItemType.FINISHED_GOOD,
        list_price=Decimal("100.00"),
        vat=TaxCodeFactory(),
    )


def _warehouse():
    return WarehouseFactory(code="WH-API")


def _order(partner=None, *, approve=False, quantity=5) -> SalesOrder:
    return make_order(
        partner or PartnerFactory(), _warehouse(), [(_item(), quantity)], approve=approve
    )


class TestSalesOrderAPI(DocumentFlowTests, APIResourceTests):
    list_url = ORDERS
    model = SalesOrder
    max_queries = 12

    limit_checks = (
        ("lines.0.quantity", "1000000000", "1000000000.000001"),
        ("lines.0.unit_price", "1000000000", "1000000000.01"),
        ("lines.0.discount_percent", "100", "100.0001"),
        ("date", days_from_today(365), days_from_today(366)),
        ("date", days_from_today(-365), days_from_today(-366)),
    )

    def make_object(self, partner=None):
        return _order(partner)

    def make_draft(self):
        return _order()

    def make_downstream(self, document):
        services.delivery_create(
            sales_order=document,
            lines=[{"sales_order_line": document.lines.get(), "quantity": Decimal("1")}],
            date=timezone.localdate(),
        )
        return True

    def valid_create_payload(self):
        return {
            "customer": PartnerFactory().pk,
            "warehouse": _warehouse().pk,
            "date": str(timezone.localdate()),
            "lines": [{"item": _item().pk, "quantity": "2"}],
        }

    def invalid_create_payload(self):
        payload = self.valid_create_payload()
        payload["lines"][0]["quantity"] = "0"
        return payload

    def allowed_user(self):
        return staff_user("Sales")

    def wrong_role_user(self):
        return staff_user("Shop floor")

    def partner_user_for(self, obj):
        return partner_user(obj.customer)


class TestDeliveryAPI(DocumentFlowTests, APIResourceTests):
    list_url = DELIVERIES
    model = Delivery
    max_queries = 12
    unapproves = False  # a shipped delivery is taken back by a return
    unapprove_refusal_code = void_approved_code = "shipped"

    limit_checks = (("date", days_from_today(365), days_from_today(366)),)

    def make_object(self, partner=None):
        order = _order(partner, approve=True)
        return services.delivery_create(
            sales_order=order,
            lines=[{"sales_order_line": order.lines.get(), "quantity": Decimal("1")}],
            date=timezone.localdate(),
        )

    def make_draft(self):
        ledger_seed()
        put_stock(_item(), _warehouse())
        return self.make_object()

    def flow_user(self):
        return staff_user("Warehouse")

    def valid_create_payload(self):
        order = _order(approve=True)
        return {
            "sales_order": order.pk,
            "date": str(timezone.localdate()),
            "lines": [{"sales_order_line": order.lines.get().pk, "quantity": "2"}],
        }

    def invalid_create_payload(self):
        payload = self.valid_create_payload()
        payload["lines"][0]["quantity"] = "-1"
        return payload

    def allowed_user(self):
        return staff_user("Sales")

    def wrong_role_user(self):
        return staff_user("Shop floor")

    def partner_user_for(self, obj):
        return partner_user(obj.customer)


class TestPriceListAPI(APIResourceTests):
    list_url = PRICE_LISTS
    model = PriceList
    max_queries = 10

    limit_checks = (("items.0.unit_price", "1000000000", "1000000000.000001"),)

    def make_object(self, partner=None):
        return services.price_list_create(
            code=f"PL{next(_codes)}",
            name="List",
            items=[{"item": _item(), "min_quantity": Decimal("0"), "unit_price": Decimal("9")}],
        )

    def valid_create_payload(self):
        return {
            "code": f"NEW{next(_codes)}",
            "name": "Export prices",
            "items": [
                {"item": _item().pk, "min_quantity": "0", "unit_price": "95"},
                {"item": _item().pk, "min_quantity": "50", "unit_price": "90"},
            ],
        }

    def invalid_create_payload(self):
        return {"code": "", "name": "x", "items": [{"item": _item().pk, "unit_price": "-1"}]}

    def allowed_user(self):
        return staff_user("Sales")

    def wrong_role_user(self):
        return staff_user("Shop floor")

    def partner_user_for(self, obj):
        return None


# --- Steps -------------------------------------------------------------------------------------

pytestmark = pytest.mark.django_db


def post(user, url, body=None, **headers):
    return api_client(user).post(url, body or {}, format="json", headers=headers or None)


def test_patch_with_lines_replaces_them_all():
    order = _order()
    client = api_client(staff_user("Sales"))
    body = {
        "customer": order.customer_id,
        "warehouse": order.warehouse_id,
        "date": str(order.date),
        "memo": "by phone",
        "lines": [{"item": _item().pk, "quantity": "7", "unit_price": "60"}],
        "revision": 1,
    }
    response = client.patch(f"{ORDERS}{order.pk}/", body, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["revision"] == 2
    assert response.json()["lines"][0]["unit_price"] == "60.000000"
    assert len(response.json()["lines"]) == 1


def test_close_and_cancel_through_the_api():
    user = staff_user("Sales")
    other = _order(approve=True)
    assert post(user, f"{ORDERS}{other.pk}/cancel/").json()["status"] == "cancelled"
    third = _order(approve=True)
    assert post(user, f"{ORDERS}{third.pk}/close/").json()["status"] == "closed"
    assert Event.objects.filter(topic="erp.sales_order_cancelled").count() == 2


def test_credit_block_and_finance_override():
    customer = PartnerFactory(credit_limit=Decimal("100.00"))
    order = _order(customer)
    sales = staff_user("Sales")
    response = post(sales, f"{ORDERS}{order.pk}/approve/")
    body = assert_error_body(response, 409, "credit_limit_exceeded")
    assert "565.00" in body["detail"]
    before = snapshot(order)
    response = post(
        sales, f"{ORDERS}{order.pk}/approve/", {"override_credit": True, "override_reason": "ok"}
    )
    assert_error_body(response, 403, "permission_denied")
    assert snapshot(order) == before
    finance = staff_user("Finance")
    assert_error_body(post(finance, f"{ORDERS}{order.pk}/approve/"), 403)
    response = post(
        finance,
        f"{ORDERS}{order.pk}/approve/",
        {"override_credit": True, "override_reason": "paid in advance"},
    )
    assert response.status_code == 200, response.content
    assert response.json()["credit_override_reason"] == "paid in advance"
    assert response.json()["credit_override_by"] == finance.pk


def test_sales_may_not_ship_and_warehouse_may(books):
    order = _order(approve=True)
    put_stock(_item(), _warehouse())
    delivery = services.delivery_create(
        sales_order=order,
        lines=[{"sales_order_line": order.lines.get(), "quantity": Decimal("2")}],
        date=timezone.localdate(),
    )
    assert_error_body(post(staff_user("Sales"), f"{DELIVERIES}{delivery.pk}/approve/"), 403)
    warehouse = staff_user("Warehouse")
    response = post(warehouse, f"{DELIVERIES}{delivery.pk}/approve/")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "approved"
    assert response.json()["lines"][0]["stock_move"] is not None
    response = post(warehouse, f"{DELIVERIES}{delivery.pk}/unapprove/")
    assert_error_body(response, 409, "shipped")
    # Warehouse reads orders but may not create or confirm them.
    client = api_client(warehouse)
    assert client.get(f"{ORDERS}{order.pk}/").status_code == 200
    assert_error_body(post(warehouse, f"{ORDERS}{_order().pk}/approve/"), 403)


def test_over_delivery_through_the_api_is_400_and_writes_nothing():
    order = _order(approve=True, quantity=3)
    body = {
        "sales_order": order.pk,
        "date": str(timezone.localdate()),
        "lines": [{"sales_order_line": order.lines.get().pk, "quantity": "4"}],
    }
    assert_error_body(post(staff_user("Sales"), DELIVERIES, body), 400, "invalid")
    assert Delivery.objects.count() == 0


# --- Partners ----------------------------------------------------------------------------------


def test_a_customer_sees_its_own_orders_only_and_cannot_act():
    mine = _order(approve=True)
    theirs = _order(approve=True)
    user = partner_user(mine.customer)
    client = api_client(user)
    listed = client.get(ORDERS)
    assert [row["id"] for row in listed.json()["results"]] == [mine.pk]
    assert "credit_override_by" not in listed.json()["results"][0]
    assert_error_body(client.get(f"{ORDERS}{theirs.pk}/"), 404, "not_found")
    for verb in ("approve", "unapprove", "close", "cancel"):
        assert_error_body(post(user, f"{ORDERS}{theirs.pk}/{verb}/"), 403)
        assert_error_body(post(user, f"{ORDERS}{mine.pk}/{verb}/"), 403)
    assert_error_body(client.post(ORDERS, {}, format="json"), 403)
    assert_error_body(client.get(PRICE_LISTS), 403)
    assert SalesOrder.objects.get(pk=theirs.pk).status == "approved"


def test_partner_actions_on_another_customers_delivery_are_refused():
    order = _order(approve=True)
    delivery = services.delivery_create(
        sales_order=order,
        lines=[{"sales_order_line": order.lines.get(), "quantity": Decimal("1")}],
        date=timezone.localdate(),
    )
    user = partner_user(PartnerFactory())
    assert_error_body(api_client(user).get(f"{DELIVERIES}{delivery.pk}/"), 404)
    assert_error_body(post(user, f"{DELIVERIES}{delivery.pk}/approve/"), 403)
    assert Delivery.objects.get(pk=delivery.pk).status == "draft"


# --- Idempotency -------------------------------------------------------------------------------


def test_the_same_idempotency_key_creates_one_order_and_replays_the_answer():
    user = staff_user("Sales")
    client = api_client(user)
    body = TestSalesOrderAPI().valid_create_payload()
    first = client.post(ORDERS, body, format="json", headers={"Idempotency-Key": "k-1"})
    second = client.post(ORDERS, body, format="json", headers={"Idempotency-Key": "k-1"})
    assert first.status_code == second.status_code == 201
    assert second.json() == first.json()
    assert second["Idempotent-Replayed"] == "true"
    assert SalesOrder.objects.count() == 1
    changed = {**body, "memo": "different"}
    response = client.post(ORDERS, changed, format="json", headers={"Idempotency-Key": "k-1"})
    assert_error_body(response, 422, "idempotency_key_reused")
    assert SalesOrder.objects.count() == 1
