"""The purchasing API: the shared resource checks, the status actions, supplier scoping and
acknowledgement, stale revisions, tolerances and Idempotency-Key."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from common.testing import (
    APIResourceTests,
    DocumentFlowTests,
    PartnerFactory,
    api_client,
    assert_error_body,
    days_from_today,
    nested_json,
    oversized_json,
    partner_user,
    staff_user,
)
from erp_core.models import Partner
from erp_core.purchasing import services
from erp_core.purchasing.models import PurchaseOrder, PurchaseReceipt, PurchaseRequisition
from erp_core.purchasing.tests.helpers import (
    booked_receipt,
    draft_order,
    placed_order,
    supplier_factory,
)
from erp_core.tests.factories import ItemFactory, WarehouseFactory
from integration.models import Event

REQUISITIONS = "/api/v1/erp/purchase-requisitions/"
ORDERS = "/api/v1/erp/purchase-orders/"
RECEIPTS = "/api/v1/erp/purchase-receipts/"


def _item():
    return ItemFactory(code="RM-API", standard_cost=Decimal("8.00"), purchase_lead_time_days=3)


def _warehouse():
    return WarehouseFactory(code="WH-API")


def _as_supplier(partner: Partner | None) -> Partner:
    if partner is None:
        return supplier_factory()
    Partner.objects.filter(pk=partner.pk).update(kind=Partner.Kind.SUPPLIER)
    partner.refresh_from_db()
    return partner


def _placed(partner=None, **kwargs) -> PurchaseOrder:
    return placed_order(
        supplier=_as_supplier(partner), warehouse=_warehouse(), item=_item(), **kwargs
    )


class TestPurchaseRequisitionAPI(DocumentFlowTests, APIResourceTests):
    list_url = REQUISITIONS
    model = PurchaseRequisition
    max_queries = 10

    limit_checks = (
        ("lines.0.quantity", "1000000000", "1000000000.000001"),
        ("date", days_from_today(365), days_from_today(366)),
    )

    def make_object(self, partner=None):
        return services.purchase_requisition_create(
            date=timezone.localdate(), lines=[{"item": _item(), "quantity": Decimal("3")}]
        )

    def make_draft(self):
        return self.make_object()

    def make_downstream(self, document):
        services.purchase_order_create_from_requisitions(
            requisition_lines=[{"requisition_line": document.lines.get()}],
            supplier=supplier_factory(),
            warehouse=_warehouse(),
        )
        return True

    def valid_create_payload(self):
        return {
            "date": str(timezone.localdate()),
            "memo": "for the line",
            "lines": [
                {"item": _item().pk, "quantity": "3", "needed_by": "2030-01-31"},
                {"item": _item().pk, "quantity": "2.5"},
            ],
        }

    def invalid_create_payload(self):
        payload = self.valid_create_payload()
        payload["lines"][0]["quantity"] = "0"
        return payload

    def allowed_user(self):
        return staff_user("Planner")

    def wrong_role_user(self):
        return staff_user("Warehouse")

    def partner_user_for(self, obj):
        return None


class TestPurchaseOrderAPI(DocumentFlowTests, APIResourceTests):
    list_url = ORDERS
    model = PurchaseOrder
    max_queries = 10

    limit_checks = (
        ("lines.0.quantity", "1000000000", "1000000000.000001"),
        ("lines.0.unit_price", "1000000000", "1000000000.000001"),
        ("date", days_from_today(-365), days_from_today(-366)),
    )

    def make_object(self, partner=None):
        return _placed(partner)

    def make_draft(self):
        return draft_order(supplier=supplier_factory(), warehouse=_warehouse(), item=_item())

    def make_downstream(self, document):
        services.purchase_receipt_create(
            purchase_order=document, lines=[{"order_line": document.lines.get(), "quantity": "1"}]
        )
        return True

    def valid_create_payload(self):
        return {
            "supplier": supplier_factory().pk,
            "warehouse": _warehouse().pk,
            "date": str(timezone.localdate()),
            "over_receipt_tolerance": "5",
            "lines": [{"item": _item().pk, "quantity": "10", "unit_price": "8.80"}],
        }

    def invalid_create_payload(self):
        payload = self.valid_create_payload()
        payload["lines"][0]["quantity"] = "-1"
        return payload

    def allowed_user(self):
        return staff_user("Planner")

    def wrong_role_user(self):
        return staff_user("Sales")

    def partner_user_for(self, obj):
        return partner_user(obj.supplier)


@pytest.mark.usefixtures("books")
class TestPurchaseReceiptAPI(DocumentFlowTests, APIResourceTests):
    list_url = RECEIPTS
    model = PurchaseReceipt
    max_queries = 10
    unapproves = False  # returns to the supplier are not supported yet
    unapprove_refusal_code = "receipt_booked"
    limit_checks = (
        ("lines.0.quantity", "0.000001", "0"),
        ("date", days_from_today(0), days_from_today(1)),
    )

    def make_object(self, partner=None):
        return booked_receipt(order=_placed(partner), quantity="2")

    def make_draft(self):
        order = _placed()
        return services.purchase_receipt_create(
            purchase_order=order, lines=[{"order_line": order.lines.get(), "quantity": "2"}]
        )

    def flow_user(self):
        return staff_user("Warehouse")

    def valid_create_payload(self):
        order = _placed()
        return {
            "purchase_order": order.pk,
            "date": str(timezone.localdate()),
            "delivery_note": "DN-88",
            "lines": [{"order_line": order.lines.get().pk, "quantity": "4"}],
        }

    def invalid_create_payload(self):
        payload = self.valid_create_payload()
        payload["lines"][0]["quantity"] = "0"
        return payload

    def allowed_user(self):
        return staff_user("Warehouse")

    def wrong_role_user(self):
        return staff_user("Sales")

    def partner_user_for(self, obj):
        return partner_user(obj.supplier)


# --- Status actions ----------------------------------------------------------------------------

pytestmark = pytest.mark.django_db


def _post(user, url, data=None, **headers):
    return api_client(user).post(url, data or {}, format="json", **headers)


def test_order_from_requisitions_through_the_api():
    planner = staff_user("Planner")
    requisition = services.purchase_requisition_approve(
        requisition=services.purchase_requisition_create(
            date=timezone.localdate(), lines=[{"item": _item(), "quantity": "6"}]
        ),
        actor=planner,
    )
    response = _post(
        planner,
        f"{ORDERS}from-requisitions/",
        {
            "supplier": supplier_factory().pk,
            "warehouse": _warehouse().pk,
            "requisition_lines": [{"requisition_line": requisition.lines.get().pk}],
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "draft"
    assert body["lines"][0]["quantity"] == "6.000000"
    assert body["lines"][0]["requisition_line"] == requisition.lines.get().pk
    requisition.refresh_from_db()
    assert requisition.status == "ordered"


def test_placing_publishes_and_close_cancel_through_the_api():
    planner = staff_user("Planner")
    order = draft_order(supplier=supplier_factory(), warehouse=_warehouse(), item=_item())
    url = f"{ORDERS}{order.pk}/"
    placed = _post(planner, f"{url}approve/", {"revision": 1})
    assert placed.json()["status"] == "approved"
    assert Event.objects.filter(topic="erp.purchase_order_placed").count() == 1
    assert_error_body(_post(planner, f"{url}close/"), 409, "nothing_received")
    assert_error_body(_post(planner, f"{url}cancel/", {}), 400, "invalid")
    cancelled = _post(planner, f"{url}cancel/", {"reason": "not needed"})
    assert cancelled.json()["status"] == "cancelled"


def test_below_the_minimum_order_quantity_is_a_400():
    item = ItemFactory(code="RM-MOQ", min_order_qty=Decimal("100"))
    response = _post(
        staff_user("Planner"),
        ORDERS,
        {
            "supplier": supplier_factory().pk,
            "warehouse": _warehouse().pk,
            "date": str(timezone.localdate()),
            "lines": [{"item": item.pk, "quantity": "10"}],
        },
    )
    body = assert_error_body(response, 400, "invalid")
    assert "minimum order quantity 100" in str(body["errors"])
    assert not PurchaseOrder.objects.exists()


def test_a_customer_is_not_a_supplier_for_an_order():
    response = _post(
        staff_user("Planner"),
        ORDERS,
        {
            "supplier": PartnerFactory().pk,
            "warehouse": _warehouse().pk,
            "date": str(timezone.localdate()),
            "lines": [{"item": _item().pk, "quantity": "10"}],
        },
    )
    assert_error_body(response, 400, "invalid")
    assert not PurchaseOrder.objects.exists()


def test_placing_needs_the_approve_permission():
    order = draft_order(supplier=supplier_factory(), warehouse=_warehouse(), item=_item())
    finance = staff_user("Finance")
    assert_error_body(_post(finance, f"{ORDERS}{order.pk}/approve/"), 403)
    assert PurchaseOrder.objects.get(pk=order.pk).status == "draft"


# --- The supplier's own user -------------------------------------------------------------------


def test_the_supplier_acknowledges_its_order_through_the_api():
    order = _placed()
    user = partner_user(order.supplier)
    line = order.lines.get()
    confirmed = timezone.localdate() + dt.timedelta(days=12)
    response = _post(
        user,
        f"{ORDERS}{order.pk}/acknowledge/",
        {
            "supplier_reference": "SC-2026-17",
            "lines": [{"order_line": line.pk, "confirmed_date": str(confirmed)}],
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["supplier_reference"] == "SC-2026-17"
    assert body["acknowledged_at"]
    # Who acknowledged is a user id of the company's system: not in the supplier's view.
    assert "acknowledged_by" not in body
    assert order.__class__.objects.get(pk=order.pk).acknowledged_by_id == user.pk
    assert body["lines"][0]["confirmed_date"] == str(confirmed)
    again = _post(user, f"{ORDERS}{order.pk}/acknowledge/", {})
    assert_error_body(again, 409, "already_acknowledged")


def test_the_suppliers_acknowledge_refuses_a_deep_or_oversized_body_as_json():
    """The action a supplier's user may call parses its body like every other: 400, 413."""
    order = _placed()
    client = api_client(partner_user(order.supplier))
    url = f"{ORDERS}{order.pk}/acknowledge/"
    deep = client.post(url, data=nested_json(1_000), content_type="application/json")
    assert_error_body(deep, 400, "parse_error")
    big = client.post(url, data=oversized_json(), content_type="application/json")
    assert_error_body(big, 413, "request_too_large")
    assert PurchaseOrder.objects.get(pk=order.pk).acknowledged_at is None


def test_another_suppliers_order_is_404_also_on_acknowledge():
    order = _placed()
    stranger = partner_user(supplier_factory())
    assert_error_body(api_client(stranger).get(f"{ORDERS}{order.pk}/"), 404, "not_found")
    assert_error_body(_post(stranger, f"{ORDERS}{order.pk}/acknowledge/"), 404, "not_found")
    assert PurchaseOrder.objects.get(pk=order.pk).acknowledged_at is None


def test_a_customers_user_is_refused():
    order = _placed()
    customer = partner_user(PartnerFactory(kind=Partner.Kind.CUSTOMER))
    client = api_client(customer)
    assert_error_body(client.get(ORDERS), 403)
    assert client.get(f"{ORDERS}{order.pk}/").status_code in (403, 404)
    assert _post(customer, f"{ORDERS}{order.pk}/acknowledge/").status_code in (403, 404)


def test_the_supplier_sees_no_drafts_and_may_not_change_anything():
    supplier = supplier_factory()
    draft = draft_order(supplier=supplier, warehouse=_warehouse(), item=_item())
    placed = _placed(supplier)
    user = partner_user(supplier)
    client = api_client(user)
    ids = {row["id"] for row in client.get(ORDERS).json()["results"]}
    assert ids == {placed.pk}
    assert_error_body(client.get(f"{ORDERS}{draft.pk}/"), 404)
    assert_error_body(_post(user, f"{ORDERS}{placed.pk}/approve/"), 403)
    assert_error_body(_post(user, f"{ORDERS}{placed.pk}/close/"), 403)
    payload = {
        "supplier": supplier.pk,
        "warehouse": _warehouse().pk,
        "date": str(timezone.localdate()),
        "lines": [{"item": _item().pk, "quantity": "10"}],
    }
    assert_error_body(_post(user, ORDERS, payload), 403)
    assert_error_body(client.get(REQUISITIONS), 403)


def test_the_supplier_sees_its_booked_receipts_only(books):
    order = _placed()
    booked = booked_receipt(order=order, quantity="2")
    draft = services.purchase_receipt_create(
        purchase_order=order, lines=[{"order_line": order.lines.get(), "quantity": "1"}]
    )
    client = api_client(partner_user(order.supplier))
    ids = {row["id"] for row in client.get(RECEIPTS).json()["results"]}
    assert ids == {booked.pk}
    assert_error_body(client.get(f"{RECEIPTS}{draft.pk}/"), 404)


# --- Receipts ----------------------------------------------------------------------------------


def test_receipt_booking_within_the_tolerance_through_the_api(books):
    order = _placed(over_receipt_tolerance=Decimal("10"))
    line = order.lines.get()
    clerk = staff_user("Warehouse")
    too_much = _post(
        clerk,
        RECEIPTS,
        {"purchase_order": order.pk, "lines": [{"order_line": line.pk, "quantity": "12"}]},
    )
    body = assert_error_body(too_much, 400, "invalid")
    assert "above the limit of 11" in str(body["errors"])
    assert not PurchaseReceipt.objects.exists()
    created = _post(
        clerk,
        RECEIPTS,
        {"purchase_order": order.pk, "lines": [{"order_line": line.pk, "quantity": "11"}]},
    )
    assert created.status_code == 201, created.content
    url = f"{RECEIPTS}{created.json()['id']}/"
    booked = _post(clerk, f"{url}approve/")
    assert booked.status_code == 200, booked.content
    assert booked.json()["status"] == "approved"
    assert booked.json()["lines"][0]["unit_cost"] == "12.500000"
    assert booked.json()["lines"][0]["stock_move"]
    assert PurchaseOrder.objects.get(pk=order.pk).status == "received"


def test_receipt_update_of_a_draft_through_the_api():
    order = _placed()
    clerk = staff_user("Warehouse")
    receipt = services.purchase_receipt_create(
        purchase_order=order, lines=[{"order_line": order.lines.get(), "quantity": "1"}]
    )
    response = api_client(clerk).patch(
        f"{RECEIPTS}{receipt.pk}/",
        {"revision": 1, "lines": [{"order_line": order.lines.get().pk, "quantity": "3"}]},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["lines"][0]["quantity"] == "3.000000"


def test_booking_needs_the_receive_permission():
    order = _placed()
    receipt = services.purchase_receipt_create(
        purchase_order=order, lines=[{"order_line": order.lines.get(), "quantity": "1"}]
    )
    assert_error_body(_post(staff_user("Planner"), f"{RECEIPTS}{receipt.pk}/approve/"), 403)
    assert PurchaseReceipt.objects.get(pk=receipt.pk).status == "draft"


# --- Idempotency-Key ---------------------------------------------------------------------------


@pytest.mark.parametrize("resource", ["requisition", "order", "receipt"])
def test_a_retried_create_with_the_same_key_creates_once(resource):
    if resource == "requisition":
        url, model = REQUISITIONS, PurchaseRequisition
        payload = TestPurchaseRequisitionAPI().valid_create_payload()
        user = staff_user("Planner")
    elif resource == "order":
        url, model = ORDERS, PurchaseOrder
        payload = TestPurchaseOrderAPI().valid_create_payload()
        user = staff_user("Planner")
    else:
        url, model = RECEIPTS, PurchaseReceipt
        payload = TestPurchaseReceiptAPI().valid_create_payload()
        user = staff_user("Warehouse")
    before = model.objects.count()
    client = api_client(user)
    first = client.post(url, payload, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    second = client.post(url, payload, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == 201, first.content
    assert second.status_code == 201
    assert second["Idempotent-Replayed"] == "true"
    assert second.json()["id"] == first.json()["id"]
    assert model.objects.count() == before + 1


def test_warehouse_staff_read_orders_but_not_requisitions():
    order = _placed()
    clerk = staff_user("Warehouse")
    client = api_client(clerk)
    assert client.get(f"{ORDERS}{order.pk}/").status_code == 200
    assert_error_body(_post(clerk, f"{ORDERS}{order.pk}/cancel/", {"reason": "x"}), 403)
    assert_error_body(client.get(REQUISITIONS), 403)


def test_the_wms_module_alone_opens_the_orders():
    order = _placed()
    clerk = staff_user()
    clerk.user_permissions.add(
        Permission.objects.get(codename="access_wms"),
        Permission.objects.get(codename="view_purchaseorder"),
    )
    assert api_client(clerk).get(f"{ORDERS}{order.pk}/").status_code == 200


def test_a_step_needs_view_and_its_own_permission_not_add():
    order = _placed()
    finance = staff_user("Finance")  # may view orders, may not change them
    assert_error_body(_post(finance, f"{ORDERS}{order.pk}/acknowledge/"), 403)
    assert PurchaseOrder.objects.get(pk=order.pk).acknowledged_at is None
