"""The MES API resources: machines, cycle times, machine events (read), downtime."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from common.testing import APIResourceTests, api_client, assert_error_body, staff_user
from erp_core.tests.factories import ItemFactory, WorkCenterFactory
from integration.models import Event
from mes.models import Downtime, Machine, MachineCycleTime, MachineEvent
from mes.services.devices import device_issue
from mes.services.machine_events import machine_events_record

_counter = iter(range(1, 10**6))


def _machine() -> Machine:
    n = next(_counter)
    return Machine.objects.create(work_center=WorkCenterFactory(), code=f"MA{n}", name=f"M {n}")


class TestMachineAPI(APIResourceTests):
    list_url = "/api/v1/mes/machines/"
    model = Machine
    max_queries = 8
    limit_checks = (
        ("ideal_cycle_seconds", "0.001", "0.0001"),
        ("ideal_cycle_seconds", "86400", "86400.001"),
    )

    def make_object(self, partner=None):
        return _machine()

    def valid_create_payload(self):
        return {"work_center": WorkCenterFactory().pk, "code": f"NEW{next(_counter)}",
                "name": "Press", "ideal_cycle_seconds": "12.5"}  # fmt: skip

    def invalid_create_payload(self):
        return {"work_center": WorkCenterFactory().pk, "code": "", "name": "Press"}

    def allowed_user(self):
        return staff_user("Planner")

    def wrong_role_user(self):
        return staff_user("Sales")

    def partner_user_for(self, obj):
        return None

    @pytest.mark.django_db
    def test_creating_a_machine_announces_it_to_planning(self, django_capture_on_commit_callbacks):
        client = api_client(self.allowed_user())
        payload = self.valid_create_payload()
        response = client.post(self.list_url, payload, format="json")
        assert response.status_code == 201, response.content
        event = Event.objects.filter(topic="mes.machine_state_changed").latest("pk")
        assert event.payload["machine_id"] == response.json()["id"]
        assert event.payload["state"] == "idle"

    @pytest.mark.django_db
    def test_a_duplicate_code_is_400_and_the_shop_floor_cannot_create(self):
        existing = _machine()
        client = api_client(self.allowed_user())
        payload = {**self.valid_create_payload(), "code": existing.code}
        assert_error_body(client.post(self.list_url, payload, format="json"), 400)
        shop = api_client(staff_user("Shop floor"))
        assert shop.get(self.list_url).status_code == 200
        assert_error_body(shop.post(self.list_url, self.valid_create_payload(), format="json"), 403)


class TestCycleTimeAPI(APIResourceTests):
    list_url = "/api/v1/mes/cycle-times/"
    model = MachineCycleTime
    max_queries = 8
    limit_checks = (("seconds_per_unit", "0.001", "0"), ("seconds_per_unit", "86400", "86401"))

    def make_object(self, partner=None):
        return MachineCycleTime.objects.create(
            machine=_machine(), item=ItemFactory(), seconds_per_unit=Decimal(30)
        )

    def valid_create_payload(self):
        return {"machine": _machine().pk, "item": ItemFactory().pk, "seconds_per_unit": "42.5"}

    def invalid_create_payload(self):
        return {"machine": _machine().pk, "item": ItemFactory().pk, "seconds_per_unit": 1.5}

    def allowed_user(self):
        return staff_user("Planner")

    def wrong_role_user(self):
        return staff_user("Warehouse")

    def partner_user_for(self, obj):
        return None


def _device_for(machine):
    device, _token = device_issue(name=f"dev-{machine.code}", machines=[machine])
    return device


class TestMachineEventReadAPI(APIResourceTests):
    list_url = "/api/v1/mes/machine-events/"
    model = MachineEvent
    max_queries = 6
    creates = False

    def make_object(self, partner=None):
        machine = _machine()
        device = _device_for(machine)
        at = (timezone.now() - timedelta(minutes=5)).isoformat()
        machine_events_record(device=device, events=[
            {"event_id": "e1", "machine": machine.code, "kind": "counter", "occurred_at": at,
             "good": 5, "scrap": 0},
        ])  # fmt: skip
        return MachineEvent.objects.get(device=device)

    def allowed_user(self):
        return staff_user("Shop floor")

    def wrong_role_user(self):
        return staff_user("Finance")

    def partner_user_for(self, obj):
        return None


class TestDowntimeAPI(APIResourceTests):
    list_url = "/api/v1/mes/downtime/"
    model = Downtime
    max_queries = 6
    creates = False

    def make_object(self, partner=None):
        machine = _machine()
        device = _device_for(machine)
        at = (timezone.now() - timedelta(minutes=5)).isoformat()
        machine_events_record(device=device, events=[
            {"event_id": "s1", "machine": machine.code, "kind": "state", "occurred_at": at,
             "state": "down"},
        ])  # fmt: skip
        return Downtime.objects.get(machine=machine)

    def allowed_user(self):
        return staff_user("Shop floor")

    def wrong_role_user(self):
        return staff_user("Sales")

    def partner_user_for(self, obj):
        return None

    @pytest.mark.django_db
    def test_the_shop_floor_corrects_a_reason_and_bad_input_changes_nothing(self):
        stop = self.make_object()
        client = api_client(staff_user("Shop floor"))
        url = f"{self.detail_url(stop)}correct/"
        before = Downtime.objects.filter(pk=stop.pk).values().get()
        assert_error_body(client.post(url, {"reason": "coffee"}, format="json"), 400)
        assert_error_body(
            client.post(url, {"reason": "changeover", "note": "x" * 201}, format="json"), 400
        )
        assert Downtime.objects.filter(pk=stop.pk).values().get() == before
        assert_error_body(
            api_client(staff_user("Sales")).post(url, {"reason": "changeover"}, format="json"), 403
        )
        response = client.post(url, {"reason": "changeover", "note": "die change"}, format="json")
        assert response.status_code == 200, response.content
        assert response.json()["reason"] == "changeover"
        assert response.json()["reason_corrected_by"]
        listed = client.get(self.list_url, {"reason": "none"})
        assert stop.pk not in {row["id"] for row in listed.json()["results"]}
