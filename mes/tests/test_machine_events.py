"""Machine data: idempotent, placed by timestamp, counters that reset, downtime derived, and a
device posting only for its own machines."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from common.testing import assert_action_limit
from integration.models import Event
from mes.models import COUNTER_MAX, Downtime, Machine, MachineEvent
from mes.services.devices import device_revoke
from mes.services.machine_events import (
    MAX_AGE,
    MAX_BATCH,
    MAX_CLOCK_AHEAD,
    machine_events_record,
)
from mes.tests.conftest import ago, counter, device_client, state

URL = "/api/v1/mes/machine-events/"
pytestmark = pytest.mark.django_db


def _snapshot(machine):
    machine.refresh_from_db()
    events = list(MachineEvent.objects.order_by("pk").values())
    downtime = list(Downtime.objects.order_by("pk").values())
    return machine.state, machine.state_since, events, downtime


def test_a_batch_is_recorded_and_counters_become_deltas(device, machine):
    response = device_client(device).post(
        URL,
        {
            "events": [
                counter("c1", ago(30), 100, 2),
                counter("c2", ago(20), 150, 3),
                state("s1", ago(25), "running"),
            ]
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["accepted"] == 3
    deltas = list(
        MachineEvent.objects.filter(kind="counter").order_by("occurred_at")
        .values_list("good_delta", "scrap_delta")
    )  # fmt: skip
    assert deltas == [(0, 0), (50, 1)]
    machine.refresh_from_db()
    assert machine.state == Machine.State.RUNNING


def test_a_single_event_object_is_taken(device, machine):
    response = device_client(device).post(
        URL, state("s1", ago(5), "down", "breakdown"), format="json"
    )
    assert response.status_code == 201, response.content
    machine.refresh_from_db()
    assert machine.state == "down"
    assert Downtime.objects.get().reason == "breakdown"


def test_a_duplicate_batch_changes_nothing_twice(
    device, machine, django_capture_on_commit_callbacks
):
    batch = [state("s1", ago(60), "running"), state("s2", ago(40), "down", "breakdown"),
             counter("c1", ago(50), 10), counter("c2", ago(45), 30)]  # fmt: skip
    client = device_client(device)
    assert client.post(URL, batch, format="json").status_code == 201
    before = _snapshot(machine)
    published = Event.objects.filter(topic="mes.machine_state_changed").count()
    again = client.post(URL, batch, format="json")
    assert again.status_code == 200, again.content
    assert again.json() == {
        "accepted": 0,
        "duplicates": ["s1", "s2", "c1", "c2"],
        "state_changes": [],
    }
    assert _snapshot(machine) == before
    assert Event.objects.filter(topic="mes.machine_state_changed").count() == published


def test_out_of_order_arrival_gives_the_same_result_as_in_order(device, machine, other_machine):
    times = [ago(m) for m in (90, 80, 70, 60, 50, 40)]
    events = [
        state("s1", times[0], "running"),
        counter("c1", times[1], 100),
        state("s2", times[2], "down", "breakdown"),
        counter("c2", times[3], 180, 4),
        state("s3", times[4], "running"),
        counter("c3", times[5], 20, 1),  # the counter was reset
    ]
    client = device_client(device)
    for event in events:  # in order, one at a time
        assert client.post(URL, event, format="json").status_code == 201
    in_order = (
        list(MachineEvent.objects.order_by("occurred_at").values_list("good_delta", "scrap_delta")),
        list(Downtime.objects.values_list("state", "reason", "started_at", "ended_at")),
    )
    machine.refresh_from_db()
    state_in_order = (machine.state, machine.state_since)
    MachineEvent.objects.all().delete()
    Machine.objects.filter(pk=machine.pk).update(state="idle", state_since=None)
    for event in reversed(events):  # the other way round, one at a time
        event = {**event, "event_id": event["event_id"] + "-again"}
        assert client.post(URL, event, format="json").status_code == 201
    out_of_order = (
        list(MachineEvent.objects.order_by("occurred_at").values_list("good_delta", "scrap_delta")),
        list(Downtime.objects.values_list("state", "reason", "started_at", "ended_at")),
    )
    machine.refresh_from_db()
    assert out_of_order == in_order
    assert (machine.state, machine.state_since) == state_in_order
    assert in_order[0] == [(0, 0), (0, 0), (0, 0), (80, 4), (0, 0), (20, 1)]
    assert in_order[1] == [("down", "breakdown", times[2], times[4])]


def test_a_late_state_change_rederives_downtime(device, machine):
    client = device_client(device)
    client.post(
        URL, [state("s1", ago(60), "running"), state("s3", ago(20), "running")], format="json"
    )
    assert not Downtime.objects.exists()
    response = client.post(URL, state("s2", ago(40), "down", "material_shortage"), format="json")
    assert response.status_code == 201
    stop = Downtime.objects.get()
    assert stop.reason == "material_shortage"
    assert stop.ended_at is not None
    assert round((stop.ended_at - stop.started_at).total_seconds()) == 20 * 60
    machine.refresh_from_db()
    assert machine.state == "running"


def test_a_corrected_reason_survives_a_late_event(device, machine, django_user_model):
    from mes.services.downtime import downtime_reason_correct

    client = device_client(device)
    client.post(URL, [state("s1", ago(60), "down"), state("s3", ago(10), "running")], format="json")
    stop = Downtime.objects.get()
    assert stop.reason == ""
    downtime_reason_correct(downtime=stop, reason="changeover", note="die change", actor=None)
    client.post(URL, counter("c1", ago(30), 5), format="json")
    client.post(URL, state("s2", ago(30), "down"), format="json")  # same state and reason: no split
    stop = Downtime.objects.get()
    assert (stop.reason, stop.note) == ("changeover", "die change")


def test_a_device_cannot_post_for_another_machine(device, machine, other_machine):
    before = _snapshot(machine)
    response = device_client(device).post(
        URL, [state("s1", ago(5), "down"), state("s2", ago(5), "down", machine="M2")], format="json"
    )
    assert response.status_code == 403, response.content
    assert "M2" in response.json()["detail"]
    assert _snapshot(machine) == before
    assert not MachineEvent.objects.exists()


def test_a_bad_event_in_a_batch_is_named_and_nothing_is_written(device, machine):
    client = device_client(device)
    now = ago(1).isoformat()

    def raw(event_id: str, kind: str, **fields) -> dict:
        return {"event_id": event_id, "machine": "M1", "kind": kind, "occurred_at": now, **fields}

    bad = [
        (raw("x", "counter", good=1.5), "x"),
        (raw("y", "state", state="on"), "y"),
        (raw("z", "state", state="down", occurred_at="yesterday"), "z"),
        (raw("w", "state", state="down", occurred_at="2026-01-01T10:00:00"), "w"),
        (state("v", ago(-60), "down"), "v"),
        (state("u", ago(5), "running", "breakdown"), "u"),
        (counter("t", ago(5), -1), "t"),
        (counter("r", ago(5), 10**13), "r"),
        (counter("q", ago(5), 1, item="NO-SUCH-ITEM"), "q"),
        (raw("", "alarm"), "-"),
        (raw("p", "alarm"), "p"),
        ("not an object", "-"),
    ]
    for event, named in bad:
        response = client.post(URL, [state("ok", ago(10), "running"), event], format="json")
        assert response.status_code == 400, (event, response.content)
        body = response.json()
        assert "Event 1" in str(body), body
        assert f"id {named}" in str(body), body
    assert client.post(URL, [], format="json").status_code == 400
    assert (
        client.post(
            URL, [counter(f"e{n}", ago(5), n) for n in range(1001)], format="json"
        ).status_code
        == 400
    )
    assert not MachineEvent.objects.exists()
    machine.refresh_from_db()
    assert machine.state == "idle"


def test_tokens_are_the_devices_own(device, machine):
    from rest_framework.test import APIClient

    from common.testing import staff_user, token_for

    anonymous = APIClient().post(URL, state("s1", ago(5), "down"), format="json")
    assert anonymous.status_code == 401
    staff = APIClient()
    staff.credentials(HTTP_AUTHORIZATION=f"Token {token_for(staff_user('Shop floor'))}")
    assert staff.post(URL, state("s1", ago(5), "down"), format="json").status_code == 401
    wrong = APIClient()
    wrong.credentials(HTTP_AUTHORIZATION=f"Device {device.plain_token}x")
    assert wrong.post(URL, state("s1", ago(5), "down"), format="json").status_code == 401
    device_revoke(device=device)
    assert (
        device_client(device).post(URL, state("s1", ago(5), "down"), format="json").status_code
        == 401
    )
    assert not MachineEvent.objects.exists()


def test_a_state_change_is_published_once_per_batch_and_machine(
    device, machine, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks():
        result = machine_events_record(
            device=device,
            events=[state("s1", ago(30), "running"), state("s2", ago(20), "down", "no_operator")],
        )
    assert result.state_changes == [machine.pk]
    event = Event.objects.filter(topic="mes.machine_state_changed").latest("pk")
    assert event.payload["machine_id"] == machine.pk
    assert event.payload["state"] == "down"
    assert event.payload["reason"] == "no_operator"
    assert event.payload["work_center_id"] == machine.work_center_id


def test_the_queries_of_a_batch_do_not_grow_with_its_events(device, machine):
    client = device_client(device)
    client.post(URL, [state("s0", ago(200), "running"), counter("c0", ago(200), 0)], format="json")

    def batch(prefix: str, size: int, start: float) -> list[dict]:
        rows = []
        for n in range(size):
            at = ago(start - n * 0.1)
            rows.append(counter(f"{prefix}c{n}", at, 10 * n + 1000))
            rows.append(
                state(
                    f"{prefix}s{n}",
                    at,
                    "running" if n % 2 else "down",
                    "" if n % 2 else "breakdown",
                )
            )
        return rows

    with CaptureQueriesContext(connection) as small:
        assert client.post(URL, batch("a", 5, 150), format="json").status_code == 201
    with CaptureQueriesContext(connection) as large:
        assert client.post(URL, batch("b", 200, 100), format="json").status_code == 201
    # 400 events against 10: the same statements, except that SQLite splits a bulk insert
    # or update at its 999 parameters (PostgreSQL sends each as one statement).
    assert len(large) <= len(small) + 10, (len(small), len(large))


def _counter_at(event_id: str, at) -> dict:
    return counter(event_id, at, 10, 1)


@pytest.mark.parametrize(
    ("path", "inside", "outside"),
    [
        ("good", COUNTER_MAX, COUNTER_MAX + 1),
        ("good", 0, -1),
        ("scrap", COUNTER_MAX, COUNTER_MAX + 1),
        ("scrap", 0, -1),
        # The clock may run ahead by MAX_CLOCK_AHEAD, and a gateway may have buffered for
        # MAX_AGE; the margins leave the request time to arrive.
        (
            "occurred_at",
            lambda: (timezone.now() + MAX_CLOCK_AHEAD - timedelta(seconds=30)).isoformat(),
            lambda: (timezone.now() + MAX_CLOCK_AHEAD + timedelta(seconds=30)).isoformat(),
        ),
        (
            "occurred_at",
            lambda: (timezone.now() - MAX_AGE + timedelta(minutes=1)).isoformat(),
            lambda: (timezone.now() - MAX_AGE - timedelta(minutes=1)).isoformat(),
        ),
    ],
)
def test_each_number_a_device_sends_is_taken_just_inside_its_bound_and_refused_outside(
    device, machine, path, inside, outside
):
    client = device_client(device)
    response = assert_action_limit(
        client, URL, body=_counter_at("edge", ago(1)), path=path, inside=inside,
        outside=outside, state=lambda: _snapshot(machine),
    )  # fmt: skip
    assert response.status_code == 201
    assert MachineEvent.objects.count() == 1


def test_a_batch_is_taken_up_to_its_bound_and_refused_past_it(device, machine):
    def batch(size: int) -> list[dict]:
        return [_counter_at(f"b{n}", ago(5)) for n in range(size)]

    response = assert_action_limit(
        device_client(device), URL, body={"events": []}, path="events",
        inside=batch(MAX_BATCH), outside=batch(MAX_BATCH + 1), state=lambda: _snapshot(machine),
    )  # fmt: skip
    assert response.json()["accepted"] == MAX_BATCH
