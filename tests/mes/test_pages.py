"""The terminal and the pages of work orders and lots, as the shop floor and the planner use
them: every action answers on the machine's page, a refused one says why and writes nothing."""

import pytest
from django.test import Client

from common.testing import staff_user
from integration.models import Event
from mes.models import LotConsumption, OperationReport, ProductionLot, WorkOperation

pytestmark = pytest.mark.django_db


def _client(*roles) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(staff_user(*roles))
    return client


def _post(client, machine, operation, verb, data=None):
    return client.post(
        f"/mes/terminal/{machine.pk}/operations/{operation.pk}/{verb}/", data or {}, follow=True
    )


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_the_operator_runs_an_operation_on_the_terminal(plant):
    client = _client("Shop floor")
    work_order = plant.work_order(plant.frame, "4")
    operation = work_order.operations.get()
    page = client.get("/mes/terminal/")
    assert page.status_code == 200 and plant.welder.code in page.content.decode()
    page = client.get(f"/mes/terminal/{plant.welder.pk}/")
    assert page.status_code == 200 and work_order.number in page.content.decode()
    refused = _post(client, plant.welder, operation, "start")
    assert "not staged" in " ".join(_messages(refused))
    assert WorkOperation.objects.get(pk=operation.pk).status == "waiting"
    _post(client, plant.welder, operation, "stage")
    started = _post(client, plant.welder, operation, "start")
    assert "started" in " ".join(_messages(started))
    before = (LotConsumption.objects.count(), Event.objects.count())
    bad = _post(client, plant.welder, operation, "consume",
                {"item": plant.steel.code, "lot_number": "S1", "quantity": "1"})  # fmt: skip
    assert "is not a material" in " ".join(_messages(bad))
    assert (LotConsumption.objects.count(), Event.objects.count()) == before
    _post(client, plant.welder, operation, "consume",
          {"item": plant.bolt.code, "lot_number": "B1", "quantity": "16"})  # fmt: skip
    bad = _post(client, plant.welder, operation, "report", {"quantity_scrap": "1"})
    assert "reason for the scrap" in " ".join(_messages(bad))
    assert not OperationReport.objects.exists()
    _post(client, plant.welder, operation, "report",
          {"quantity_good": "4", "lot_number": "FR-77"})  # fmt: skip
    # The board shows the operation the welder is on and how far it is.
    board = _client("Planner").get("/mes/", HTTP_HX_REQUEST="true").content.decode()
    assert work_order.production_order.number in board
    assert 'aria-valuenow="100"' in board
    finished = _post(client, plant.welder, operation, "finish")
    assert "finished" in " ".join(_messages(finished))
    lot = ProductionLot.objects.get(number="FR-77")
    page = client.get(f"/mes/lots/{lot.pk}/")
    assert page.status_code == 200 and "B1" in page.content.decode()
    page = client.get(f"/mes/work-orders/{work_order.pk}/")
    assert page.status_code == 200 and "FR-77" in page.content.decode()
    assert client.get("/mes/work-orders/", {"status": "done"}).status_code == 200
    assert client.get("/mes/lots/", {"q": "FR"}).status_code == 200
    assert (
        client.post(
            f"/mes/terminal/{plant.welder.pk}/operations/{operation.pk}/explode/"
        ).status_code
        == 404
    )
    assert (
        client.get(f"/mes/terminal/{plant.welder.pk}/operations/{operation.pk}/start/").status_code
        == 405
    )


def test_who_may_open_the_terminal_and_the_pages(plant):
    work_order = plant.work_order(plant.frame, "1")
    planner = _client("Planner")
    assert planner.get("/mes/terminal/").status_code == 403
    assert planner.get("/mes/work-orders/").status_code == 200
    assert planner.get(f"/mes/work-orders/{work_order.pk}/").status_code == 200
    warehouse = _client("Warehouse")
    for url in ("/mes/terminal/", "/mes/work-orders/", "/mes/lots/"):
        assert warehouse.get(url).status_code == 403, url
    operation = work_order.operations.get()
    response = warehouse.post(f"/mes/terminal/{plant.welder.pk}/operations/{operation.pk}/stage/")
    assert response.status_code == 403
    assert not work_order.__class__.objects.get(pk=work_order.pk).staged


def test_the_erp_production_order_page_says_mes_reports(plant):
    order = plant.released(plant.frame, "2")
    client = _client("Shop floor")
    page = client.get(f"/production/orders/{order.pk}/").content.decode()
    assert 'data-testid="reported-by"' in page and 'data-testid="report-forms"' not in page
    response = client.post(
        f"/production/orders/{order.pk}/report-output/",
        {"quantity": "1", "scrap_quantity": "0"},
        follow=True,
    )
    text = " ".join(_messages(response)) if response.context else response.content.decode()
    assert "run on the shop floor in MES" in text
    order.refresh_from_db()
    assert order.quantity_produced == 0
