"""The schedule API: resources read within a query budget, runs and reschedules as actions,
promise dates for posted lines, and bad input answered 4xx with nothing written."""

import datetime as dt
import itertools
from decimal import Decimal as D

import pytest
from django.utils import timezone

from common.testing import APIResourceTests, api_client, assert_error_body, staff_user
from erp_core.production.models import ProductionOrderOperation
from erp_core.scheduling.models import Schedule, ScheduleChange, ScheduledOperation

pytestmark = pytest.mark.django_db
_sequence = itertools.count(1000)


@pytest.fixture
def order(shop):
    return shop.released("1")


def _current() -> Schedule:
    return Schedule.objects.filter(is_current=True).first() or Schedule.objects.create(
        reason=Schedule.Reason.RUN, origin=timezone.now(), method="test"
    )


class TestScheduledOperationAPI(APIResourceTests):
    list_url = "/api/v1/erp/scheduled-operations/"
    model = ScheduledOperation
    max_queries = 8
    creates = False

    @pytest.fixture(autouse=True)
    def _order(self, order):
        self.order = order

    def make_object(self, partner=None):
        operation = ProductionOrderOperation.objects.create(
            order=self.order,
            sequence=next(_sequence),
            work_center=self.order.operations.first().work_center,
        )
        start = timezone.now()
        return ScheduledOperation.objects.create(
            schedule=_current(),
            operation=operation,
            work_center=operation.work_center,
            start=start,
            end=start + dt.timedelta(hours=1),
        )

    def allowed_user(self):
        return staff_user("Planner")

    def wrong_role_user(self):
        return staff_user("Warehouse")

    def partner_user_for(self, obj):
        return None


class TestScheduleChangeAPI(TestScheduledOperationAPI):
    list_url = "/api/v1/erp/schedule-changes/"
    model = ScheduleChange

    def make_object(self, partner=None):
        row = super().make_object(partner)
        return ScheduleChange.objects.create(
            schedule=row.schedule,
            operation=row.operation,
            reason=ScheduleChange.Reason.NEW,
            to_machine="X#1",
            to_start=row.start,
        )


def test_a_planner_runs_the_scheduler_and_reads_the_plan(shop):
    shop.released("2")
    client = api_client(staff_user("Planner"))
    response = client.post("/api/v1/erp/schedules/run/", {"seconds": "0.3"}, format="json")
    assert response.status_code == 201, response.content
    schedule_id = response.json()["id"]
    listed = client.get("/api/v1/erp/scheduled-operations/", {"schedule": schedule_id}).json()
    assert listed["count"] == 2
    assert {row["machine"] for row in listed["results"]} <= {
        f"{shop.saw.code}#1",
        f"{shop.drill.code}#1",
        f"{shop.drill.code}#2",
    }
    assert client.get("/api/v1/erp/schedules/").json()["results"][0]["is_current"] is True


@pytest.mark.parametrize("seconds", ["0", "301", "abc", "-1"])
def test_a_run_with_a_bad_time_limit_is_400_and_writes_nothing(shop, seconds):
    client = api_client(staff_user("Planner"))
    response = client.post("/api/v1/erp/schedules/run/", {"seconds": seconds}, format="json")
    assert_error_body(response, 400, "invalid")
    assert not Schedule.objects.exists()


def test_only_a_planner_may_run_or_reschedule(shop):
    client = api_client(staff_user("Sales"))
    assert client.post("/api/v1/erp/schedules/run/", {}, format="json").status_code == 403
    response = client.post(
        "/api/v1/erp/schedules/reschedule/",
        {"machine_id": 1, "work_center": shop.drill.pk, "state": "down"},
        format="json",
    )
    assert response.status_code == 403
    assert not Schedule.objects.exists()


def test_reschedule_validates_its_input_and_moves_work_off_a_down_machine(shop):
    shop.released("2")
    client = api_client(staff_user("Planner"))
    bad = client.post(
        "/api/v1/erp/schedules/reschedule/",
        {"machine_id": 7, "work_center": shop.drill.pk, "state": "exploded"},
        format="json",
    )
    assert_error_body(bad, 400, "invalid")
    unknown = client.post(
        "/api/v1/erp/schedules/reschedule/",
        {"machine_id": 7, "work_center": 999999, "state": "down"},
        format="json",
    )
    assert_error_body(unknown, 400, "invalid")
    assert not Schedule.objects.exists()
    for machine_id in (7, 8):
        response = client.post(
            "/api/v1/erp/schedules/reschedule/",
            {"machine_id": machine_id, "work_center": shop.drill.pk, "state": "idle"},
            format="json",
        )
        assert response.status_code == 204  # no plan yet: the machine is only learned
    client.post("/api/v1/erp/schedules/run/", {"seconds": "0.3"}, format="json")
    response = client.post(
        "/api/v1/erp/schedules/reschedule/",
        {"machine_id": 7, "work_center": shop.drill.pk, "state": "down"},
        format="json",
    )
    assert response.status_code == 200, response.content
    rows = client.get("/api/v1/erp/scheduled-operations/").json()["results"]
    assert all(row["machine_id"] != 7 for row in rows)


def test_promise_dates_answer_one_date_per_line_and_refuse_bad_lines(shop):
    client = api_client(staff_user("Sales"))
    response = client.post(
        "/api/v1/erp/promise-dates/",
        {"lines": [{"item": shop.bracket.pk, "quantity": "3"}]},
        format="json",
    )
    assert response.status_code == 200, response.content
    (promise,) = response.json()
    assert promise["basis"] == "capacity"
    assert dt.date.fromisoformat(promise["date"]) >= timezone.localdate()
    for lines in ([], [{"item": shop.bracket.pk, "quantity": "0"}], [{"item": 0, "quantity": "1"}]):
        bad = client.post("/api/v1/erp/promise-dates/", {"lines": lines}, format="json")
        assert_error_body(bad, 400, "invalid")


def test_a_quantity_too_large_is_refused(shop):
    client = api_client(staff_user("Sales"))
    bad = client.post(
        "/api/v1/erp/promise-dates/",
        {"lines": [{"item": shop.bracket.pk, "quantity": str(D("1000000001"))}]},
        format="json",
    )
    assert_error_body(bad, 400, "invalid")
