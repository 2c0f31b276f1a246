"""The planner's calendar page: shift patterns (night shifts included) and holidays listed, added
and removed through the services, refusals shown on the forms, roles, bounded queries; and the
service's refusal of overlapping shifts."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from erp_core.navigation import modules_for
from erp_core.scheduling import services
from erp_core.scheduling.models import Holiday, WorkCenterShift
from erp_core.tests.factories import UserFactory, WorkCenterFactory

pytestmark = pytest.mark.django_db

URL = "/planning/schedule/calendar/"


def _shift(center, weekday: int, start: int, end: int) -> WorkCenterShift:
    return services.work_center_shift_create(
        work_center=center, weekday=weekday, start=dt.time(start), end=dt.time(end)
    )


def test_overlapping_shifts_are_refused_across_midnight_and_the_week_end():
    center = WorkCenterFactory()
    _shift(center, 6, 22, 6)  # Sunday night into Monday morning
    _shift(center, 0, 6, 14)  # touching is not overlapping
    for weekday, start, end in ((0, 5, 7), (0, 13, 15), (0, 6, 10), (6, 23, 1)):
        with pytest.raises(ValidationError):
            _shift(center, weekday, start, end)
    _shift(WorkCenterFactory(), 0, 6, 10)  # another work center's week is its own
    assert WorkCenterShift.objects.filter(work_center=center).count() == 2


def test_a_planner_keeps_shifts_and_holidays_on_the_calendar_page(client):
    saw = WorkCenterFactory(code="SAW", name="Saw")
    client.force_login(UserFactory(roles=["Planner"]))
    assert reverse("scheduling:calendar") == URL
    shift = {"shift-work_center": saw.pk, "shift-weekday": "0", "shift-start": "22:00"}
    night = client.post(reverse("scheduling:shift-add"), {**shift, "shift-end": "06:00"})
    assert night.status_code == 302
    same_start = client.post(reverse("scheduling:shift-add"), {**shift, "shift-end": "07:00"})
    assert same_start.status_code == 400 and "start" in same_start.context["shift_form"].errors
    late = client.post(
        reverse("scheduling:shift-add"),
        {**shift, "shift-weekday": "1", "shift-start": "05:00", "shift-end": "09:00"},
    )
    assert late.status_code == 400
    assert "overlaps" in " ".join(late.context["shift_form"].errors["end"])
    assert b"overlaps" in late.content
    bad_day = client.post(
        reverse("scheduling:shift-add"), {**shift, "shift-weekday": "7", "shift-end": "06:00"}
    )
    assert bad_day.status_code == 400 and "weekday" in bad_day.context["shift_form"].errors
    saved = WorkCenterShift.objects.get()
    assert (saved.start, saved.end, saved.crosses_midnight, str(saved.hours)) == (
        dt.time(22),
        dt.time(6),
        True,
        "8.00",
    )

    day = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    holiday = {"holiday-date": day, "holiday-name": "Founders' day"}
    assert client.post(reverse("scheduling:holiday-add"), holiday).status_code == 302
    again = client.post(reverse("scheduling:holiday-add"), holiday)
    assert again.status_code == 400 and "date" in again.context["holiday_form"].errors
    own = {**holiday, "holiday-work_center": saw.pk}
    assert client.post(reverse("scheduling:holiday-add"), own).status_code == 302
    assert Holiday.objects.count() == 2

    page = client.get(URL)
    assert page.status_code == 200
    assert [c["work_center"] for c in page.context["centers"]] == [saw]
    assert page.context["chart"] == {"centers": ["SAW Saw"], "hours": [8.0]}
    assert b"Founders&#x27; day" in page.content
    assert b'data-testid="shift-form"' in page.content

    assert client.post(reverse("scheduling:shift-delete", args=[saved.pk])).status_code == 302
    assert not WorkCenterShift.objects.exists()
    for row in Holiday.objects.all():
        response = client.post(reverse("scheduling:holiday-delete", args=[row.pk]))
        assert response.status_code == 302
    assert not Holiday.objects.exists()


def test_the_page_reads_in_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    client.force_login(UserFactory(roles=["Planner"]))
    client.get(URL)  # warm the session and the permission cache alike for both counts
    first = WorkCenterFactory()
    _shift(first, 0, 8, 16)
    Holiday.objects.create(date=timezone.localdate(), work_center=first)
    with django_assert_max_num_queries(12) as few:
        assert client.get(URL).status_code == 200
    for weekday in range(1, 7):
        center = WorkCenterFactory()
        _shift(center, weekday, 8, 16)
        _shift(center, weekday, 22, 6)
        Holiday.objects.create(
            date=timezone.localdate() + dt.timedelta(days=weekday), work_center=center
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(URL)
    assert len(page.context["centers"]) == 7 and len(page.context["holidays"]) == 7


def test_roles_links_and_sign_in(client):
    center = WorkCenterFactory()
    shift = _shift(center, 0, 8, 16)
    holiday = Holiday.objects.create(date=timezone.localdate(), name="Day off")
    assert client.get(URL).status_code == 302  # to the sign-in page
    client.force_login(UserFactory(roles=["Sales"]))
    assert client.get(URL).status_code == 403
    client.force_login(UserFactory(roles=["Shop floor"]))
    page = client.get(URL)
    assert page.status_code == 200 and b'data-testid="shift-form"' not in page.content
    form = {"shift-work_center": center.pk, "shift-weekday": "2", "shift-start": "08:00"}
    assert client.post(reverse("scheduling:shift-add"), form).status_code == 403
    assert client.post(reverse("scheduling:shift-delete", args=[shift.pk])).status_code == 403
    assert client.post(reverse("scheduling:holiday-delete", args=[holiday.pk])).status_code == 403
    assert WorkCenterShift.objects.count() == 1 and Holiday.objects.count() == 1

    planner = UserFactory(roles=["Planner"])
    client.force_login(planner)
    links = {reverse("scheduling:schedule"), reverse("scheduling:maintenance")}
    for url in links:
        assert f'href="{URL}"'.encode() in client.get(url).content
    page = client.get(URL)
    for url in links:
        assert f'href="{url}"'.encode() in page.content
        assert client.get(url).status_code == 200
    assert any(
        entry.url_name == "scheduling:calendar"
        for module in modules_for(planner)
        for entry in module.entries
    )
