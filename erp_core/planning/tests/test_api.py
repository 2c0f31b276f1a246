"""The planning API: the shared resource checks for forecasts, planned orders and exception
messages, then starting a run (and its refusal), firming and releasing in bulk, bad input."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.utils import timezone

from common.testing import APIResourceTests, api_client, assert_error_body, staff_user
from erp_core.planning.models import (
    ExceptionMessage,
    Forecast,
    MrpRun,
    PlannedOrder,
    PlannedOrderPeg,
    SupplyPeg,
)

pytestmark = pytest.mark.django_db
BASE = "/api/v1/erp/"


def today():
    return timezone.localdate()


def a_run() -> MrpRun:
    return MrpRun.objects.create(
        kind=MrpRun.Kind.REGENERATIVE, plan_date=today(), status=MrpRun.Status.DONE
    )


@pytest.fixture
def plant_for_resource(request, plant):
    """Give the resource test class the plant."""
    request.cls.plant = plant
    return plant


@pytest.mark.usefixtures("plant_for_resource")
class TestForecastAPI(APIResourceTests):
    """List, detail, create, bad input, limits, wrong role, partners, anonymous."""

    list_url = f"{BASE}forecasts/"
    model = Forecast
    max_queries = 8
    limit_checks = (("quantity", "1000000000", "1000000000.000001"),)
    _day = 0

    def make_object(self, partner=None):
        type(self)._day += 1
        start = today() + dt.timedelta(days=self._day)
        return Forecast.objects.create(
            item=self.plant.gearbox, period_start=start, period_end=start, quantity=D(5)
        )

    def valid_create_payload(self):
        start = today() + dt.timedelta(days=400)
        return {
            "item": self.plant.gearbox.pk,
            "period_start": start.isoformat(),
            "period_end": (start + dt.timedelta(days=6)).isoformat(),
            "quantity": "30",
        }

    def invalid_create_payload(self):
        return {**self.valid_create_payload(), "period_end": today().isoformat()}

    def allowed_user(self):
        return staff_user("Planner")

    def wrong_role_user(self):
        return staff_user("Warehouse")

    def partner_user_for(self, obj):
        return None


@pytest.mark.usefixtures("plant_for_resource")
class TestPlannedOrderAPI(APIResourceTests):
    """Read-only rows with their pegs: list within a query budget, detail, roles, partners."""

    list_url = f"{BASE}planned-orders/"
    model = PlannedOrder
    max_queries = 10
    creates = False

    def make_object(self, partner=None):
        run = MrpRun.objects.first() or a_run()
        return PlannedOrder.objects.create(
            run=run,
            item=self.plant.shaft,
            kind=PlannedOrder.Kind.BUY,
            quantity=D(10),
            start_date=today(),
            due_date=today() + dt.timedelta(days=3),
        )

    def valid_create_payload(self):
        return {}

    def invalid_create_payload(self):
        return {}

    def allowed_user(self):
        return staff_user("Planner")

    def wrong_role_user(self):
        return staff_user("Shop floor")

    def partner_user_for(self, obj):
        return None


@pytest.mark.usefixtures("plant_for_resource")
class TestExceptionMessageAPI(APIResourceTests):
    """Read-only exception messages."""

    list_url = f"{BASE}exception-messages/"
    model = ExceptionMessage
    max_queries = 8
    creates = False

    def make_object(self, partner=None):
        return ExceptionMessage.objects.create(
            run=MrpRun.objects.first() or a_run(),
            kind=ExceptionMessage.Kind.CANCEL,
            item=self.plant.shaft,
            supply_kind="purchase_order_line",
            supply_id=1,
            current_date=today(),
            quantity=D(1),
        )

    def valid_create_payload(self):
        return {}

    def invalid_create_payload(self):
        return {}

    def allowed_user(self):
        return staff_user("Planner")

    def wrong_role_user(self):
        return staff_user("Warehouse")

    def partner_user_for(self, obj):
        return None


@pytest.mark.usefixtures("plant_for_resource")
class TestSupplyPegAPI(APIResourceTests):
    """Read-only pegs of open supply."""

    list_url = f"{BASE}supply-pegs/"
    model = SupplyPeg
    max_queries = 8
    creates = False

    def make_object(self, partner=None):
        return SupplyPeg.objects.create(
            item=self.plant.shaft,
            supply_kind=SupplyPeg.SupplyKind.PURCHASE_ORDER_LINE,
            supply_id=1,
            supply_date=today() + dt.timedelta(days=10),
            kind=PlannedOrderPeg.Kind.SAFETY_STOCK,
            quantity=D(1),
            need_date=today(),
        )

    def valid_create_payload(self):
        return {}

    def invalid_create_payload(self):
        return {}

    def allowed_user(self):
        return staff_user("Planner")

    def wrong_role_user(self):
        return staff_user("Warehouse")

    def partner_user_for(self, obj):
        return None


def test_a_planner_starts_a_run_and_a_second_is_409(plant, settings):
    client = api_client(staff_user("Planner"))
    response = client.post(f"{BASE}mrp-runs/", {}, format="json")
    assert response.status_code == 201, response.content
    run = MrpRun.objects.get(pk=response.json()["id"])
    # its task is sent on commit, which a test's transaction never reaches: still queued
    assert run.status == MrpRun.Status.QUEUED
    assert_error_body(client.post(f"{BASE}mrp-runs/", {}, format="json"), 409, "mrp_run_active")


def test_sales_may_not_start_a_run(plant):
    response = api_client(staff_user("Sales")).post(f"{BASE}mrp-runs/", {}, format="json")
    assert response.status_code == 403
    assert not MrpRun.objects.exists()


def test_firm_and_release_in_bulk(plant):
    run = a_run()
    buy = PlannedOrder.objects.create(
        run=run,
        item=plant.shaft,
        kind="buy",
        quantity=D(10),
        start_date=today(),
        due_date=today() + dt.timedelta(days=3),
    )
    make = PlannedOrder.objects.create(
        run=run,
        item=plant.gearbox,
        kind="make",
        quantity=D(4),
        start_date=today(),
        due_date=today() + dt.timedelta(days=5),
    )
    client = api_client(staff_user("Planner"))
    response = client.post(f"{BASE}planned-orders/firm/", {"ids": [buy.pk]}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()[0]["status"] == "firm"
    response = client.post(
        f"{BASE}planned-orders/release/",
        {"ids": [buy.pk, make.pk], "warehouse": plant.finished.pk},
        format="json",
    )
    assert response.status_code == 200, response.content
    rows = {row["id"]: row for row in response.json()}
    assert rows[buy.pk]["requisition_line"] is not None
    assert rows[make.pk]["production_order"] is not None
    assert_error_body(
        client.post(f"{BASE}planned-orders/release/", {"ids": [buy.pk]}, format="json"), 409
    )


def test_bulk_steps_refuse_bad_input_and_wrong_roles(plant):
    client = api_client(staff_user("Planner"))
    assert_error_body(client.post(f"{BASE}planned-orders/firm/", {}, format="json"), 400)
    assert_error_body(
        client.post(f"{BASE}planned-orders/firm/", {"ids": ["x"]}, format="json"), 400
    )
    assert_error_body(
        client.post(f"{BASE}planned-orders/release/", {"ids": [987654]}, format="json"), 404
    )
    order = PlannedOrder.objects.create(
        run=a_run(),
        item=plant.shaft,
        kind="buy",
        quantity=D(1),
        start_date=today(),
        due_date=today(),
    )
    sales = api_client(staff_user("Sales"))
    response = sales.post(f"{BASE}planned-orders/firm/", {"ids": [order.pk]}, format="json")
    assert response.status_code == 403
    order.refresh_from_db()
    assert order.status == PlannedOrder.Status.PLANNED
