"""The production order API: the shared resource checks, then every action and its refusals."""

from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.utils import timezone

from common.testing import (
    APIResourceTests,
    DocumentFlowTests,
    api_client,
    assert_error_body,
    staff_user,
)
from erp_core.production import services
from erp_core.production.models import ProductionOrder
from erp_core.stock.models import StockMove
from integration.models import Event

pytestmark = pytest.mark.django_db
URL = "/api/v1/erp/production-orders/"


@pytest.fixture
def plant_for_resource(request, plant):
    """Give the resource test class the plant."""
    request.cls.plant = plant
    return plant


@pytest.mark.usefixtures("plant_for_resource")
class TestProductionOrderAPI(DocumentFlowTests, APIResourceTests):
    """List, detail, create, bad input, wrong role, partners, anonymous; release (审核),
    unrelease, void and their refusals."""

    list_url = URL
    model = ProductionOrder
    max_queries = 10
    approve_verb = "release"
    unapprove_verb = "unrelease"
    approved_status = "released"
    downstream_code = None  # a consumption also moves the order on to in progress

    limit_checks = (("quantity", "1000000000", "1000000000.000001"),)

    def make_object(self, partner=None):
        return self.plant.order("5")

    def make_draft(self):
        return self.plant.order("5")

    def make_downstream(self, document):
        services.production_order_consume(order=document, item=self.plant.shaft, quantity=D("1"))
        return True

    def valid_create_payload(self):
        return {
            "item": self.plant.gearbox.pk,
            "quantity": "12",
            "due_date": (timezone.localdate() + timedelta(days=10)).isoformat(),
            "warehouse": self.plant.finished.pk,
            "component_warehouse": self.plant.stores.pk,
            "memo": "For SO-1",
        }

    def invalid_create_payload(self):
        return {**self.valid_create_payload(), "quantity": "0"}

    def allowed_user(self):
        return staff_user("Planner")

    def wrong_role_user(self):
        return staff_user("Sales")

    def partner_user_for(self, obj):
        return None


def _post(user, order, verb: str, body: dict | None = None):
    return api_client(user).post(f"{URL}{order.pk}/{verb}/", body or {}, format="json")


def test_create_answers_the_snapshot_and_honours_an_idempotency_key(plant):
    client = api_client(staff_user("Planner"))
    body = {
        "item": plant.gearbox.pk,
        "quantity": "10",
        "due_date": (timezone.localdate() + timedelta(days=10)).isoformat(),
        "warehouse": plant.finished.pk,
    }
    first = client.post(URL, body, format="json", headers={"Idempotency-Key": "mo-1"})
    again = client.post(URL, body, format="json", headers={"Idempotency-Key": "mo-1"})
    assert first.status_code == 201, first.content
    assert again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    assert ProductionOrder.objects.count() == 1
    data = first.json()
    assert data["status"] == "draft"
    assert data["number"].startswith("MO-")
    assert {row["component_code"] for row in data["materials"]} == {
        plant.shaft.code,
        plant.housing.code,
        plant.grease.code,
    }
    assert data["component_warehouse"] == plant.finished.pk
    assert data["planned_cost"] == "460.00"


def test_create_refuses_a_bought_item_with_400(plant):
    client = api_client(staff_user("Planner"))
    body = {
        "item": plant.bought.pk,
        "quantity": "1",
        "due_date": timezone.localdate().isoformat(),
        "warehouse": plant.finished.pk,
    }
    body = assert_error_body(client.post(URL, body, format="json"), 400)
    assert "item" in body["errors"]
    assert ProductionOrder.objects.count() == 0


def test_update_rebuilds_the_snapshot_of_a_planned_order(plant):
    order = plant.order("10")
    client = api_client(staff_user("Planner"))
    response = client.patch(
        f"{URL}{order.pk}/", {"quantity": "4", "revision": order.revision}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["quantity"] == "4.000000"
    assert response.json()["materials"][0]["quantity_required"] == "8.000000"


def test_release_publishes_the_order_to_the_shop_floor(plant):
    order = plant.order()
    response = _post(staff_user("Planner"), order, "release", {"revision": order.revision})
    assert response.status_code == 200, response.content
    assert Event.objects.filter(topic="erp.production_order_released").count() == 1


def test_shop_floor_reports_and_finance_closes(plant):
    order = plant.released("2")
    floor = staff_user("Shop floor")
    response = _post(floor, order, "consume", {"item": plant.shaft.pk, "quantity": "4"})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "in_progress"
    operation = order.operations.get()
    response = _post(floor, order, "book-time", {"operation": operation.pk, "labour_hours": "0.5"})
    assert response.status_code == 200, response.content
    assert response.json()["time_bookings"][0]["labour_amount"] == "25.00"
    response = _post(floor, order, "report-output", {"quantity": "2", "scrap_quantity": "0"})
    assert response.json()["status"] == "done"
    assert_error_body(_post(floor, order, "close"), 403, "permission_denied")
    response = _post(staff_user("Finance"), order, "close")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["status"] == "closed"
    # 40.00 materials + 25.00 labour − 92.00 output at standard
    assert (data["actual_cost"], data["variance"]) == ("65.00", "-27.00")


def test_complete_then_close(plant):
    order = plant.released()
    response = _post(staff_user("Shop floor"), order, "complete")
    assert response.json()["status"] == "done"
    response = _post(staff_user("Finance"), order, "close")
    assert response.json()["status"] == "closed"


@pytest.mark.parametrize(
    ("role", "verb"),
    [
        ("Shop floor", "release"),
        ("Finance", "release"),
        ("Planner", "consume"),
        ("Finance", "report-output"),
        ("Planner", "close"),
        ("Sales", "complete"),
        ("Warehouse", "consume"),
    ],
)
def test_actions_need_their_role(plant, role, verb):
    order = plant.order()
    before = order.revision
    assert _post(staff_user(role), order, verb, {}).status_code == 403
    order.refresh_from_db()
    assert order.revision == before


@pytest.mark.parametrize(
    ("verb", "body"),
    [
        ("consume", {"item": "x", "quantity": "1"}),
        ("consume", {"quantity": "-1"}),
        ("report-output", {"quantity": "0", "scrap_quantity": "0"}),
        ("report-output", {"quantity": "-2"}),
        ("book-time", {"operation": 1}),
        ("book-time", {"machine_hours": "1"}),
    ],
)
def test_bad_action_input_is_400_and_books_nothing(plant, verb, body):
    order = plant.released()
    response = _post(staff_user("Shop floor"), order, verb, body)
    assert_error_body(response, 400, "invalid")
    assert not StockMove.objects.filter(source_type="production.order").exists()
    order.refresh_from_db()
    assert order.status == "released"


def test_booking_time_on_another_orders_operation_is_404(plant):
    order = plant.released()
    other = plant.released()
    response = _post(
        staff_user("Shop floor"),
        order,
        "book-time",
        {"operation": other.operations.get().pk, "machine_hours": "1"},
    )
    assert_error_body(response, 404)


def test_consuming_on_a_planned_order_is_409_and_books_nothing(plant):
    order = plant.order()
    body = {"item": plant.shaft.pk, "quantity": "1"}
    response = _post(staff_user("Shop floor"), order, "consume", body)
    assert_error_body(response, 409, "invalid_status")
    assert not StockMove.objects.filter(source_type="production.order").exists()


def test_closing_an_order_that_is_not_done_is_409(plant):
    order = plant.released()
    response = _post(staff_user("Finance"), order, "close")
    assert_error_body(response, 409, "invalid_status")
    order.refresh_from_db()
    assert order.status == "released"


def test_list_filters_by_status_and_due_date(plant):
    planned = plant.order()
    released = plant.released()
    client = api_client(staff_user("Finance"))
    ids = {row["id"] for row in client.get(URL, {"status": "released"}).json()["results"]}
    assert ids == {released.pk}
    later = (timezone.localdate() + timedelta(days=30)).isoformat()
    assert client.get(URL, {"due_from": later}).json()["count"] == 0
    assert client.get(URL, {"search": planned.number}).json()["count"] == 1


def test_the_list_keeps_its_query_count_with_more_rows(plant, django_assert_max_num_queries):
    for _ in range(15):
        order = plant.released("1")
        services.production_order_consume(order=order, item=plant.shaft, quantity=D("1"))
    client = api_client(staff_user("Planner"))
    with django_assert_max_num_queries(10):
        response = client.get(URL, {"page_size": 100})
    assert response.json()["count"] == 15
