"""The MES API: work orders, operations with their steps, lots with their genealogy."""

import pytest

from common.testing import APIResourceTests, api_client, assert_error_body, staff_user
from integration import topics
from integration.models import Event
from mes.models import (
    LotConsumption,
    OperationOverride,
    OperationReport,
    OperationRun,
    ProductionLot,
    WorkOperation,
    WorkOrder,
)
from mes.services import operations as ops
from mes.services.work_orders import work_order_stage
from tests.mes.conftest import deliver

pytestmark = pytest.mark.django_db


class _PlantAPI(APIResourceTests):
    creates = False

    @pytest.fixture(autouse=True)
    def _plant(self, plant) -> None:
        self.plant = plant

    def allowed_user(self):
        return staff_user("Shop floor")

    def wrong_role_user(self):
        return staff_user("Warehouse")

    def partner_user_for(self, obj):
        return None


class TestWorkOrderAPI(_PlantAPI):
    list_url = "/api/v1/mes/work-orders/"
    model = WorkOrder
    max_queries = 8
    list_rows = 20

    def make_object(self, partner=None):
        return self.plant.work_order(self.plant.frame, "1")


class TestWorkOperationAPI(_PlantAPI):
    list_url = "/api/v1/mes/operations/"
    model = WorkOperation
    max_queries = 8
    list_rows = 20

    def make_object(self, partner=None):
        return self.plant.work_order(self.plant.frame, "1").operations.get()


class TestProductionLotAPI(_PlantAPI):
    list_url = "/api/v1/mes/lots/"
    model = ProductionLot
    max_queries = 8
    list_rows = 20

    def make_object(self, partner=None):
        count = ProductionLot.objects.count()
        return ProductionLot.objects.create(item=self.plant.steel, number=f"LOT-{count}")


# --- the steps -------------------------------------------------------------------------------


def _written() -> tuple:
    return (
        OperationRun.objects.count(),
        OperationReport.objects.count(),
        OperationOverride.objects.count(),
        LotConsumption.objects.count(),
        ProductionLot.objects.count(),
        Event.objects.count(),
        list(WorkOperation.objects.order_by("pk").values_list("status", "quantity_good")),
        list(WorkOrder.objects.order_by("pk").values_list("status", "staged")),
    )


def _url(operation, verb: str) -> str:
    return f"/api/v1/mes/operations/{operation.pk}/{verb}/"


def test_the_terminal_steps_through_the_api(plant):
    client = api_client(staff_user("Shop floor"))
    work_order = plant.work_order(plant.frame, "5")
    operation = work_order.operations.get()
    response = client.post(f"/api/v1/mes/work-orders/{work_order.pk}/stage/")
    assert response.status_code == 200, response.content
    assert response.json()["staged"] == "operator"
    assert client.post(_url(operation, "start"), {}, format="json").json()["status"] == "running"
    response = client.post(
        _url(operation, "consume"),
        {"item": plant.bolt.code, "lot_number": "BO-9", "quantity": "20"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert client.post(_url(operation, "pause")).json()["status"] == "paused"
    assert client.post(_url(operation, "resume")).json()["status"] == "running"
    response = client.post(
        _url(operation, "report"),
        {"quantity_good": "4", "quantity_scrap": "1", "scrap_reason": "quality",
         "lot_number": "FR-9"},
        format="json",
    )  # fmt: skip
    assert response.status_code == 200, response.content
    assert response.json()["quantity_good"] == "4.000000"
    assert client.post(_url(operation, "finish")).json()["status"] == "done"
    deliver()
    lot = ProductionLot.objects.get(number="FR-9")
    backward = client.get(f"/api/v1/mes/lots/{lot.pk}/genealogy/").json()
    assert [c["lot_number"] for c in backward["tree"]["children"]] == ["BO-9"]
    bolt_lot = ProductionLot.objects.get(number="BO-9")
    forward = client.get(f"/api/v1/mes/lots/{bolt_lot.pk}/genealogy/", {"direction": "forward"})
    assert [c["lot_number"] for c in forward.json()["tree"]["children"]] == ["FR-9"]
    bad = client.get(f"/api/v1/mes/lots/{bolt_lot.pk}/genealogy/", {"direction": "sideways"})
    assert_error_body(bad, 400)


@pytest.fixture
def running(plant):
    """A frame work order staged with its operation running."""
    operator = staff_user("Shop floor")
    work_order = plant.work_order(plant.frame, "5")
    work_order_stage(work_order=work_order, actor=operator)
    operation = work_order.operations.get()
    ops.operation_start(operation=operation, actor=operator)
    return operation


@pytest.mark.parametrize(
    ("verb", "body", "status"),
    [
        ("report", {"quantity_good": "0"}, 400),
        ("report", {"quantity_good": 1.5}, 400),
        ("report", {"quantity_good": "-2"}, 400),
        ("report", {"quantity_good": "abc"}, 400),
        ("report", {"quantity_scrap": "1"}, 400),
        ("report", {"quantity_scrap": "1", "scrap_reason": "bored"}, 400),
        ("report", {"quantity_good": "99"}, 400),
        ("report", {"quantity_good": "1", "lot_number": "x" * 65}, 400),
        ("consume", {}, 400),
        ("consume", {"item": "NOPE", "lot_number": "L", "quantity": "1"}, 400),
        ("consume", {"item": "steel", "lot_number": "L", "quantity": "1"}, 400),
        ("consume", {"item": "bolt", "lot_number": "", "quantity": "1"}, 400),
        ("consume", {"item": "bolt", "lot_number": "L", "quantity": "0"}, 400),
        ("consume", {"item": "bolt", "lot_number": "L", "quantity": [1]}, 400),
        ("start", {}, 409),
        ("resume", {}, 409),
        ("start", {"machine": 999999}, 400),
        ("start", {"override_reason": "x" * 256}, 400),
    ],
)
def test_a_bad_step_is_refused_with_a_clear_message_and_writes_nothing(
    plant, running, verb, body, status
):
    client = api_client(staff_user("Shop floor"))
    names = {"steel": plant.steel.code, "bolt": plant.bolt.code}
    if "item" in body and isinstance(body["item"], str):
        body = {**body, "item": names.get(body["item"], body["item"])}
    before = _written()
    assert_error_body(client.post(_url(running, verb), body, format="json"), status)
    assert _written() == before


def test_the_steps_need_the_terminal_right_and_the_override_a_supervisor(plant):
    work_order = plant.work_order(plant.frame, "5")
    operation = work_order.operations.get()
    before = _written()
    planner = api_client(staff_user("Planner"))  # reads, may override, does not run the terminal
    assert planner.get(f"/api/v1/mes/operations/{operation.pk}/").status_code == 200
    assert_error_body(planner.post(_url(operation, "start"), {}, format="json"), 403)
    operator = api_client(staff_user("Shop floor"))
    response = operator.post(_url(operation, "start"), {"override_reason": "rush"}, format="json")
    assert_error_body(response, 403)
    body = assert_error_body(operator.post(_url(operation, "start"), {}, format="json"), 409)
    assert "staged" in body["detail"]
    assert _written() == before
    supervisor = api_client(staff_user("Shop floor", "Planner"))
    response = supervisor.post(_url(operation, "start"), {"override_reason": "rush"}, format="json")
    assert response.status_code == 200, response.content
    assert OperationOverride.objects.get().reason == "rush"


def test_the_erp_api_refuses_its_own_reports_with_mes_on(plant):
    order = plant.released(plant.frame, "2")
    client = api_client(staff_user("Shop floor"))
    url = f"/api/v1/erp/production-orders/{order.pk}/"
    before = Event.objects.count()
    body = assert_error_body(
        client.post(f"{url}report-output/", {"quantity": "1"}, format="json"), 409
    )
    assert "MES" in body["detail"]
    assert Event.objects.count() == before
    assert topics.output_reported.name not in set(Event.objects.values_list("topic", flat=True))
