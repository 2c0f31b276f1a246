"""OEE from a hand-worked example shift, and the arithmetic's edge cases."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from mes import selectors
from mes.models import MachineCycleTime
from mes.oee import Figures, run_seconds, shifts_of_day
from mes.services.machine_events import machine_events_record
from mes.tests.conftest import counter, state

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _monday_before_last() -> date:
    today = timezone.localdate()
    return today - timedelta(days=today.weekday() + 7)


def test_shifts_follow_the_calendar():
    monday = date(2026, 11, 30)
    shifts = shifts_of_day(day=monday, shifts_per_day=3, hours_per_shift=Decimal("7.5"),
                           working_days="1111100", day_start=time(8), tz=SHANGHAI)  # fmt: skip
    assert [(s.number, s.start.hour, s.start.minute) for s in shifts] == [
        (1, 8, 0), (2, 15, 30), (3, 23, 0)
    ]  # fmt: skip
    assert shifts[2].end == datetime(2026, 12, 1, 6, 30, tzinfo=SHANGHAI)
    saturday = monday + timedelta(days=5)
    assert shifts_of_day(day=saturday, shifts_per_day=1, hours_per_shift=Decimal(8),
                         working_days="1111100", day_start=time(8), tz=SHANGHAI) == []  # fmt: skip


def test_run_time_counts_only_running_inside_the_window():
    start = datetime(2026, 12, 1, 8, tzinfo=SHANGHAI)
    hour = timedelta(hours=1)
    changes = [(start - hour, "running"), (start + 2 * hour, "down"),
               (start + 3 * hour, "running"), (start + 9 * hour, "idle")]  # fmt: skip
    seconds = run_seconds(state_at_start="idle", changes=changes, start=start,
                          end=start + timedelta(hours=8))  # fmt: skip
    assert seconds == Decimal(7 * 3600)


def test_undefined_ratios_are_none_not_a_guess():
    assert Figures().oee is None  # no planned time
    idle = Figures(planned=Decimal(3600))
    assert (idle.availability, idle.performance, idle.quality, idle.oee) == (
        Decimal(0), None, None, Decimal("0.0000")
    )  # fmt: skip
    unknown = Figures(planned=Decimal(3600), run=Decimal(3600), good=10, ideal=Decimal(0),
                      cycle_known=False)  # fmt: skip
    assert unknown.performance is None
    assert unknown.oee is None


@pytest.mark.django_db
def test_oee_of_a_hand_worked_shift(device, machine, item):
    """One 8-hour shift from 08:00 (28,800 s planned). The machine runs 08:00–10:00, is down for
    a breakdown 10:00–10:30, runs 10:30–15:00, has no operator 15:00–16:00: run time 6.5 h =
    23,400 s. Counters 0/0 at 08:00, 400/10 at 12:00, 780/20 at 15:00: 780 good, 20 scrap, 800
    made. Ideal cycle time 25 s: 20,000 s of ideal time.

    availability = 23,400 / 28,800 = 0.8125
    performance  = 25 × 800 / 23,400 = 0.8547
    quality      = 780 / 800 = 0.975
    OEE          = 0.8125 × 0.854701 × 0.975 = 780 × 25 / 28,800 = 0.6771
    """
    MachineCycleTime.objects.create(machine=machine, item=item, seconds_per_unit=Decimal(25))
    day = _monday_before_last()
    tz = timezone.get_current_timezone()

    def at(hour: int, minute: int = 0) -> datetime:
        return datetime.combine(day, time(hour, minute), tzinfo=tz)

    events = [
        state("s1", at(8), "running"),
        counter("c1", at(8), 0, 0, item=item.code),
        state("s2", at(10), "down", "breakdown"),
        state("s3", at(10, 30), "running"),
        counter("c2", at(12), 400, 10, item=item.code),
        counter("c3", at(15), 780, 20, item=item.code),
        state("s4", at(15), "idle", "no_operator"),
        counter("c4", at(16, 30), 900, 20, item=item.code),  # after the shift: not counted
    ]
    machine_events_record(device=device, events=list(reversed(events)))  # order does not matter
    (row,) = selectors.oee_rows(machines=[machine], first=day, last=day, by="shift")
    f = row.figures
    assert (f.planned, f.run) == (Decimal(28800), Decimal(23400))
    assert (f.good, f.scrap) == (780, 20)
    assert f.availability == Decimal("0.8125")
    assert f.performance == Decimal("0.8547")
    assert f.quality == Decimal("0.9750")
    assert f.oee == Decimal("0.6771")
    (daily,) = selectors.oee_rows(machines=[machine], first=day, last=day, by="day")
    assert daily.figures.oee == Decimal("0.6771")
    pareto = dict(selectors.downtime_pareto(machine_ids=[machine.pk], start=at(8), end=at(16)))
    assert pareto == {"breakdown": Decimal("30.0"), "no_operator": Decimal("60.0")}


@pytest.mark.django_db
def test_oee_api_answers_the_hand_worked_shift(device, machine, item):
    from common.testing import api_client, staff_user

    machine.ideal_cycle_seconds = Decimal(25)
    machine.save()
    day = _monday_before_last()
    tz = timezone.get_current_timezone()
    events = [
        state("s1", datetime.combine(day, time(8), tzinfo=tz), "running"),
        counter("c1", datetime.combine(day, time(8), tzinfo=tz), 0),
        counter("c2", datetime.combine(day, time(12), tzinfo=tz), 576),
    ]
    machine_events_record(device=device, events=events)
    client = api_client(staff_user("Shop floor"))
    response = client.get("/api/v1/mes/oee/", {"from": day.isoformat(), "to": day.isoformat(),
                                               "by": "shift"})  # fmt: skip
    assert response.status_code == 200, response.content
    (row,) = response.json()
    # Running all 8 h; 576 × 25 s = 14,400 s of ideal time: performance and OEE 0.5.
    assert row["availability"] == "1.0000"
    assert row["performance"] == "0.5000"
    assert row["quality"] == "1.0000"
    assert row["oee"] == "0.5000"
    bad = client.get("/api/v1/mes/oee/", {"from": "2026-13-01"})
    assert bad.status_code == 400
    too_long = client.get("/api/v1/mes/oee/", {"from": "2025-01-01", "to": "2025-12-31"})
    assert too_long.status_code == 400
