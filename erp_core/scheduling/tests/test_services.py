"""Schedule runs and rescheduling against the database."""

import datetime as dt
import itertools
from decimal import Decimal as D

import pytest
from django.utils import timezone

from erp_core.scheduling.models import Resource, Schedule, ScheduleChange, ScheduledOperation
from erp_core.scheduling.services import (
    ScheduleError,
    schedule_machine_state_changed,
    schedule_run,
)
from integration.models import Event

pytestmark = pytest.mark.django_db


def _plan(schedule):
    return {
        row.operation_id: (row.machine_label, row.start, row.end)
        for row in ScheduledOperation.objects.filter(schedule=schedule).select_related(
            "resource", "work_center"
        )
    }


def test_a_run_plans_every_open_operation_in_routing_order_and_publishes_it(
    shop, django_capture_on_commit_callbacks
):
    orders = [shop.released("2") for _ in range(3)]
    with django_capture_on_commit_callbacks():
        schedule = schedule_run(seconds=D("0.3"))
    rows = list(ScheduledOperation.objects.filter(schedule=schedule).select_related("operation"))
    assert len(rows) == 6
    by_order = {}
    for row in rows:
        by_order.setdefault(row.operation.order_id, []).append(row)
    for order in orders:
        cut, drill = sorted(by_order[order.pk], key=lambda row: row.operation.sequence)
        assert cut.end - cut.start == dt.timedelta(minutes=120)
        assert drill.start >= cut.end
    saw = sorted((row for row in rows if row.work_center_id == shop.saw.pk), key=lambda r: r.start)
    for first, second in itertools.pairwise(saw):
        assert second.start >= first.end
    event = Event.objects.get(topic="erp.schedule_changed")
    assert len(event.payload["operations"]) == 6
    assert schedule.is_current and schedule.operation_count == 6


def test_a_second_run_supersedes_the_first_and_moves_nothing_that_need_not_move(shop):
    shop.released("2")
    first = schedule_run(seconds=D("0.3"), origin=timezone.now())
    second = schedule_run(seconds=D("0.3"), origin=first.origin)
    first.refresh_from_db()
    assert not first.is_current and second.is_current
    assert _plan(first) == _plan(second)
    assert second.moved_count == 0


def test_a_machine_down_moves_only_its_operations_and_what_follows_them(shop):
    for _ in range(4):
        shop.released("2")
    now = timezone.now()
    for machine_id in (101, 102):
        Resource.objects.create(
            machine_id=machine_id, work_center=shop.drill, state="idle", changed_at=now
        )
    before = schedule_run(seconds=D("0.3"))
    old = _plan(before)
    on_101 = {op for op, (label, _s, _e) in old.items() if label == "M101"}
    assert on_101
    after = schedule_machine_state_changed(
        machine_id=101, work_center_id=shop.drill.pk, state="down", changed_at=now
    )
    new = _plan(after)
    assert all(label != "M101" for label, _s, _e in new.values())
    changes = {c.operation_id: c.reason for c in ScheduleChange.objects.filter(schedule=after)}
    assert set(changes) >= on_101
    for operation_id, place in old.items():
        if operation_id not in changes:
            assert new[operation_id] == place
    assert {changes[op] for op in on_101} == {ScheduleChange.Reason.MACHINE_UNAVAILABLE}
    assert after.reason == Schedule.Reason.MACHINE_DOWN

    back = schedule_machine_state_changed(
        machine_id=101, work_center_id=shop.drill.pk, state="idle",
        changed_at=now + dt.timedelta(minutes=1),
    )  # fmt: skip
    assert back.reason == Schedule.Reason.MACHINE_UP
    assert back.makespan_end <= after.makespan_end


def test_a_time_limit_out_of_bounds_is_refused_and_nothing_is_written(shop):
    for seconds in ("0", "-1", "1000", "x", "NaN"):
        with pytest.raises(ScheduleError):
            schedule_run(seconds=seconds)
    assert not Schedule.objects.exists()
