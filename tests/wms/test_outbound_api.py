"""The WMS outbound API under /api/v1/wms/: outbound orders, pick lists (a wave, picked by scan),
packages and shipments (dispatch as a verb)."""

from decimal import Decimal

import pytest
from django.utils.functional import cached_property

from common.testing import APIResourceTests, api_client, assert_error_body, staff_user
from erp_core.sales.models import Delivery
from tests.wms.outbound_kit import Site, deliver_pending
from wms.models import OutboundOrder, PickList, QuantMove, Shipment

D = Decimal


class _Outbound:
    """A site shared by a test's objects, with stock enough for every order."""

    @cached_property
    def site(self) -> Site:
        site = Site()
        site.stock(site.a1, site.item, 1000)
        return site

    def order(self) -> OutboundOrder:
        return self.site.confirm([(self.site.item, 2)])

    def allowed_user(self):
        return staff_user("Warehouse")

    def wrong_role_user(self):
        return staff_user("Shop floor")

    def partner_user_for(self, obj):
        return None  # partners never see the warehouse's work


@pytest.mark.usefixtures("books")
class TestOutboundOrderAPI(_Outbound, APIResourceTests):
    list_url = "/api/v1/wms/outbound-orders/"
    model = OutboundOrder
    max_queries = 10
    creates = False

    def make_object(self, partner=None):
        return self.order()


@pytest.mark.usefixtures("books")
class TestPickListAPI(_Outbound, APIResourceTests):
    list_url = "/api/v1/wms/pick-lists/"
    model = PickList
    max_queries = 10

    def make_object(self, partner=None):
        from wms.services.outbound import pick_list_create

        return pick_list_create(orders=[self.order()])

    def valid_create_payload(self):
        return {"orders": [self.order().pk]}

    def invalid_create_payload(self):
        return {"orders": []}


@pytest.mark.usefixtures("books")
class TestShipmentAPI(_Outbound, APIResourceTests):
    list_url = "/api/v1/wms/shipments/"
    model = Shipment
    max_queries = 10

    def packed(self) -> OutboundOrder:
        client = api_client(staff_user("Warehouse"))
        order = self.order()
        pick_list = client.post(
            "/api/v1/wms/pick-lists/", {"orders": [order.pk]}, format="json"
        ).json()
        for task in pick_list["tasks"]:
            response = client.post(
                f"/api/v1/wms/pick-lists/{pick_list['id']}/pick/",
                {"bin": self.site.a1.barcode, "item": task["item_code"], "quantity": "2"},
                format="json",
            )
            assert response.status_code == 200, response.content
        response = client.post(
            "/api/v1/wms/packages/", {"order": order.pk, "weight": "4.2"}, format="json"
        )
        assert response.status_code == 201, response.content
        return order

    def make_object(self, partner=None):
        from wms.services.outbound import shipment_create

        return shipment_create(order=self.packed())

    def valid_create_payload(self):
        return {"order": self.packed().pk, "carrier": "SF"}

    def invalid_create_payload(self):
        return {"order": self.order().pk}  # nothing packed


@pytest.mark.django_db
def test_pick_by_scan_pack_and_dispatch_over_the_api(books):
    site = Site()
    site.stock(site.a1, site.item, 10)
    order = site.confirm([(site.item, 6)])
    client = api_client(staff_user("Warehouse"))
    pick_list = client.post("/api/v1/wms/pick-lists/", {"orders": [order.pk]}, format="json")
    assert pick_list.status_code == 201, pick_list.content
    url = f"/api/v1/wms/pick-lists/{pick_list.json()['id']}/pick/"
    moves = QuantMove.objects.count()
    wrong = client.post(
        url, {"bin": "NOPE", "item": site.item.code, "quantity": "6"}, format="json"
    )
    body = assert_error_body(wrong, 400)
    assert "Unknown bin barcode" in str(body)
    too_many = client.post(
        url, {"bin": site.a1.barcode, "item": site.item.code, "quantity": "7"}, format="json"
    )
    assert "More than allocated" in str(assert_error_body(too_many, 400))
    float_qty = client.post(
        url, {"bin": site.a1.barcode, "item": site.item.code, "quantity": 6.0}, format="json"
    )
    assert_error_body(float_qty, 400)
    assert QuantMove.objects.count() == moves
    ok = client.post(
        url, {"bin": site.a1.barcode, "item": site.item.code, "quantity": "6"}, format="json"
    )
    assert ok.status_code == 200, ok.content
    again = client.post(
        url, {"bin": site.a1.barcode, "item": site.item.code, "quantity": "6"}, format="json"
    )
    assert_error_body(again, 409)
    assert (
        client.post(
            "/api/v1/wms/packages/", {"order": order.pk, "weight": "3"}, format="json"
        ).status_code
        == 201
    )
    shipment = client.post("/api/v1/wms/shipments/", {"order": order.pk}, format="json").json()
    dispatched = client.post(f"/api/v1/wms/shipments/{shipment['id']}/dispatch/")
    assert dispatched.status_code == 200, dispatched.content
    assert dispatched.json()["status"] == Shipment.Status.APPROVED
    deliver_pending()
    assert Delivery.objects.get().lines.get().quantity == D(6)


@pytest.mark.django_db
def test_the_erp_ship_api_refuses_for_a_warehouse_wms_runs(books):
    site = Site()
    site.stock(site.a1, site.item, 10)
    order = site.confirm([(site.item, 2)]).sales_order
    client = api_client(staff_user("Warehouse"))
    response = client.post(
        "/api/v1/erp/deliveries/",
        {
            "sales_order": order.pk,
            "date": order.date.isoformat(),
            "lines": [{"sales_order_line": order.lines.get().pk, "quantity": "2"}],
        },
        format="json",
    )
    body = assert_error_body(response, 409)
    assert "WMS" in str(body)
    assert Delivery.objects.count() == 0
