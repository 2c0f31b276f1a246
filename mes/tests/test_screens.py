"""The MES pages: the board and its polling fragment, machines, downtime and OEE, by role."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from common.testing import staff_user
from integration.models import Event
from mes.models import Downtime, Machine, MachineCycleTime
from mes.services.machine_events import machine_events_record
from mes.tests.conftest import ago, counter, state

pytestmark = pytest.mark.django_db


def _client(*roles: str) -> Client:
    client = Client()
    client.force_login(staff_user(*roles))
    return client


def _data(device):
    machine_events_record(
        device=device,
        events=[
            state("s1", ago(120), "running"),
            counter("c1", ago(120), 0),
            counter("c2", ago(60), 50, 2),
            state("s2", ago(30), "down"),
        ],
    )


def test_the_board_shows_every_machine_and_refreshes_its_tiles(device, machine, other_machine):
    _data(device)
    client = _client("Shop floor")
    page = client.get("/mes/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'hx-trigger="every' in html
    assert html.count('data-testid="machine-tile"') == 2
    assert 'data-state="down"' in html
    assert "oee-trend-data" in html and "downtime-pareto-data" in html
    fragment = client.get("/mes/", HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200
    assert "<html" not in fragment.content.decode()
    assert fragment.content.decode().count('data-testid="machine-tile"') == 2


def test_the_board_queries_do_not_grow_with_machines(
    device, work_center, django_assert_max_num_queries
):
    client = _client("Shop floor")
    client.get("/mes/", HTTP_HX_REQUEST="true")
    for n in range(20):
        Machine.objects.create(work_center=work_center, code=f"X{n}", name="x")
    with django_assert_max_num_queries(12):
        assert client.get("/mes/", HTTP_HX_REQUEST="true").status_code == 200


def test_machine_pages_and_create_through_the_service(device, machine, work_center, item):
    _data(device)
    planner = _client("Planner")
    assert planner.get("/mes/machines/").status_code == 200
    assert planner.get(f"/mes/machines/{machine.pk}/").status_code == 200
    response = planner.post("/mes/machines/new/", {"work_center": work_center.pk, "code": "m9",
                                                  "name": "Lathe", "is_active": "on"})  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    created = Machine.objects.get(code="M9")
    assert Event.objects.filter(topic="mes.machine_state_changed",
                                payload__machine_id=created.pk).exists()  # fmt: skip
    again = {"work_center": work_center.pk, "code": "M9", "name": "Again"}
    bad = planner.post("/mes/machines/new/", {**again, "ideal_cycle_seconds": "0"})
    assert bad.status_code == 400
    assert Machine.objects.filter(code="M9").count() == 1
    url = f"/mes/machines/{machine.pk}/cycle-times/"
    assert planner.post(url, {"item": item.pk, "seconds_per_unit": "30"}).status_code == 302
    assert planner.post(url, {"item": item.pk, "seconds_per_unit": "-1"}).status_code == 400
    assert MachineCycleTime.objects.get(machine=machine).seconds_per_unit == Decimal(30)
    shop = _client("Shop floor")
    assert shop.get("/mes/machines/new/").status_code == 403
    assert shop.post(url, {"item": item.pk, "seconds_per_unit": "5"}).status_code == 403


def test_the_shop_floor_gives_a_stop_its_reason(device, machine):
    _data(device)
    stop = Downtime.objects.get()
    client = _client("Shop floor")
    listed = client.get("/mes/downtime/?reason=none")
    assert listed.status_code == 200 and machine.code in listed.content.decode()
    assert (
        client.post(f"/mes/downtime/{stop.pk}/correct/", {"reason": "nonsense"}).status_code == 400
    )
    stop.refresh_from_db()
    assert stop.reason == ""
    response = client.post(f"/mes/downtime/{stop.pk}/correct/", {"reason": "material_shortage"})
    assert response.status_code == 302
    stop.refresh_from_db()
    assert stop.reason == "material_shortage" and stop.reason_corrected_by is not None
    assert _client("Sales").get("/mes/downtime/").status_code == 403


def test_the_oee_page_writes_the_definitions(device, machine):
    _data(device)
    response = _client("Planner").get(
        "/mes/oee/", {"by": "shift", "from": (timezone.localdate() - timedelta(days=3)).isoformat()}
    )
    assert response.status_code == 200
    assert 'data-testid="oee-definitions"' in response.content.decode()
    assert _client("Planner").get("/mes/oee/", {"from": "2026-13-45"}).status_code == 200


def test_the_home_page_counts_machines_down(device, machine):
    _data(device)
    response = _client("Shop floor").get("/")
    assert response.status_code == 200
    assert "Machines down" in response.content.decode()
