"""Shift patterns, holidays and maintenance windows: the calendar the scheduler plans in, the
planner's maintenance page and the calendars' API."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import timezone

from common.testing import APIResourceTests, api_client, assert_error_body, staff_user
from erp_core.models import WorkCenter
from erp_core.scheduling.loader import Calendar, calendar_breaks
from erp_core.scheduling.models import (
    Holiday,
    MaintenanceWindow,
    ScheduledOperation,
    WorkCenterShift,
)
from erp_core.scheduling.services import schedule_run
from erp_core.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def test_night_shifts_run_past_midnight_and_a_holiday_has_none():
    center = WorkCenter(code="N", name="Night", working_days="1111111")
    today = timezone.localdate()
    night = tuple((weekday, dt.time(22), dt.time(6)) for weekday in range(7))
    calendar = Calendar(night, frozenset({today + dt.timedelta(days=1)}))
    breaks = calendar_breaks(center, _at(today, 12), 3, calendar)
    # Today 22:00 to tomorrow 06:00; tomorrow's night is a holiday; then the day after's night…
    assert breaks == [(0, 600), (1080, 3480), (3960, 4920), (5400, 5760)]
    # Without a pattern the work center's shifts run back to back from 08:00.
    assert calendar_breaks(center, _at(today, 12), 1)[:1] == [(240, 1200)]


def test_a_run_plans_inside_the_shifts_and_skips_holidays(shop):
    today = timezone.localdate()
    for weekday in range(7):
        WorkCenterShift.objects.create(
            work_center=shop.saw, weekday=weekday, start=dt.time(8), end=dt.time(12)
        )
    Holiday.objects.create(date=today + dt.timedelta(days=1), name="Festival")
    for _ in range(3):
        shop.released("2", due_in_days=10)  # 2 h on the saw each: 6 h over 4-hour shifts
    schedule = schedule_run(seconds=D("0.2"), origin=_at(today, 0))
    cuts = ScheduledOperation.objects.filter(schedule=schedule, work_center=shop.saw)
    days = set()
    for cut in cuts:
        start, end = timezone.localtime(cut.start), timezone.localtime(cut.end)
        assert start.date() == end.date() and start.hour >= 8 and end <= _at(start.date(), 12)
        days.add(start.date())
    assert today + dt.timedelta(days=1) not in days and len(days) == 2


def test_a_planner_keeps_maintenance_windows_on_a_page(client, shop):
    url = reverse("scheduling:maintenance")
    start = timezone.localtime() + dt.timedelta(days=1)
    form = {
        "work_center": shop.saw.pk,
        "start": start.strftime("%Y-%m-%dT%H:%M"),
        "end": (start + dt.timedelta(hours=4)).strftime("%Y-%m-%dT%H:%M"),
        "note": "Blade",
    }
    client.force_login(UserFactory(roles=["Sales"]))
    assert client.get(url).status_code == 403
    client.force_login(UserFactory(roles=["Shop floor"]))
    assert client.get(url).status_code == 200
    assert client.post(url, form).status_code == 403
    client.force_login(UserFactory(roles=["Planner"]))
    backwards = client.post(url, {**form, "end": form["start"]})
    unknown_machine = client.post(url, {**form, "machine_id": "4242"})
    assert (backwards.status_code, unknown_machine.status_code) == (400, 400)
    assert not MaintenanceWindow.objects.exists()
    assert client.post(url, form).status_code == 302
    window = MaintenanceWindow.objects.get()
    assert (window.work_center, window.note, window.end - window.start) == (
        shop.saw,
        "Blade",
        dt.timedelta(hours=4),
    )
    assert b"Blade" in client.get(url).content
    assert (
        client.post(reverse("scheduling:maintenance-delete", args=[window.pk])).status_code == 302
    )
    assert not MaintenanceWindow.objects.exists()


class TestMaintenanceWindowAPI(APIResourceTests):
    list_url = "/api/v1/erp/maintenance-windows/"
    model = MaintenanceWindow
    max_queries = 8

    @pytest.fixture(autouse=True)
    def _shop(self, shop):
        self.shop = shop

    def make_object(self, partner=None):
        start = timezone.now() + dt.timedelta(days=1)
        return MaintenanceWindow.objects.create(
            work_center=self.shop.drill, start=start, end=start + dt.timedelta(hours=2)
        )

    def valid_create_payload(self):
        start = timezone.now() + dt.timedelta(days=2)
        return {
            "work_center": self.shop.saw.pk,
            "start": start.isoformat(),
            "end": (start + dt.timedelta(hours=3)).isoformat(),
            "note": "Oil change",
        }

    def invalid_create_payload(self):
        return {**self.valid_create_payload(), "end": timezone.now().isoformat()}

    def allowed_user(self):
        return staff_user("Planner")

    def wrong_role_user(self):
        return staff_user("Warehouse")

    def partner_user_for(self, obj):
        return None


def test_shifts_and_holidays_are_kept_through_the_api(shop):
    client = api_client(staff_user("Planner"))
    shift = {"work_center": shop.saw.pk, "weekday": 0, "start": "22:00", "end": "06:00"}
    created = client.post("/api/v1/erp/work-center-shifts/", shift, format="json")
    assert created.status_code == 201, created.content
    again = client.post("/api/v1/erp/work-center-shifts/", shift, format="json")
    assert_error_body(again, 400, "invalid")
    sunday_plus = client.post(
        "/api/v1/erp/work-center-shifts/", {**shift, "weekday": 7}, format="json"
    )
    assert_error_body(sunday_plus, 400, "invalid")
    assert WorkCenterShift.objects.count() == 1
    day = {"date": "2031-10-01", "work_center": None, "name": "National Day"}
    assert client.post("/api/v1/erp/holidays/", day, format="json").status_code == 201
    assert_error_body(client.post("/api/v1/erp/holidays/", day, format="json"), 400, "invalid")
    assert Holiday.objects.count() == 1
    url = f"/api/v1/erp/work-center-shifts/{created.json()['id']}/"
    # A change is a removal and an addition: no PATCH.
    assert client.patch(url, {"end": "07:00"}, format="json").status_code in (403, 405)
    assert WorkCenterShift.objects.get().end == dt.time(6)
    assert api_client(staff_user("Sales")).delete(url).status_code == 403
    assert client.delete(url).status_code == 204
    assert not WorkCenterShift.objects.exists()
