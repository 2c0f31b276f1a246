"""The bus in one process: outbox, exactly-once receivers, retries, dead letters, replay, sweep."""

import datetime as dt
import uuid

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from common.errors import Conflict, NotFound
from integration import services
from integration.bus import PublishOutsideTransaction, publish
from integration.contracts import PayloadError
from integration.models import Delivery, Event, EventReceipt

pytestmark = pytest.mark.django_db

BUS = {
    "MAX_ATTEMPTS": 3,
    "BACKOFF_BASE_SECONDS": 5,
    "BACKOFF_MAX_SECONDS": 60,
    "SWEEP_GRACE_SECONDS": 30,
}


def _publish(probe, capture, *, mode="ok", marker="m"):
    """Publish in a transaction and run the after-commit callbacks (eager Celery delivers)."""
    with capture(execute=True) as callbacks:
        event = probe.publish_probe(mode=mode, marker=marker)
    assert len(callbacks) == 1
    event.refresh_from_db()
    return event


@pytest.mark.django_db(transaction=True)
def test_publish_outside_a_transaction_is_refused(probe):
    with pytest.raises(PublishOutsideTransaction):
        publish(topic="probe.happened", payload={"mode": "ok", "marker": "x"})
    assert not Event.objects.exists()


def test_rolled_back_transaction_leaves_no_event_and_no_task(
    probe, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        probe.publish_probe(marker="rolled-back")
        raise RuntimeError("the business change fails after publishing")
    assert callbacks == []
    assert not Event.objects.exists()
    assert probe.business_rows("rolled-back") == 0


@pytest.mark.parametrize(
    "payload",
    [
        {"mode": "ok"},  # missing field
        {"mode": "ok", "marker": "m", "extra": 1},  # unknown field
        {"mode": 3, "marker": "m"},  # wrong kind
    ],
)
def test_a_payload_that_breaks_its_contract_is_refused(probe, payload):
    with pytest.raises(PayloadError), transaction.atomic():
        publish(topic="probe.happened", payload=payload)
    assert not Event.objects.exists()


def test_an_undeclared_topic_is_refused(probe):
    with pytest.raises(KeyError, match="Unknown topic"), transaction.atomic():
        publish(topic="nobody.declared_this", payload={})


def test_decimal_amounts_travel_as_strings_only():
    from integration.topics import payment_received

    payment_received.validate({"payment_id": 1, "partner_id": 2, "amount": "10.50"})
    with pytest.raises(PayloadError):
        payment_received.validate({"payment_id": 1, "partner_id": 2, "amount": 10.5})
    with pytest.raises(PayloadError):
        payment_received.validate({"payment_id": 1, "partner_id": 2, "amount": "NaN"})


def test_committed_event_reaches_each_receiver_once(probe, django_capture_on_commit_callbacks):
    event = _publish(probe, django_capture_on_commit_callbacks)
    assert event.status == Event.Status.DELIVERED
    assert event.delivered_at is not None
    assert probe.effects(event.pk, "apply_probe") == 1
    assert probe.effects(event.pk, "count_probe") == 1
    assert EventReceipt.objects.filter(event_id=event.pk).count() == 2


def test_delivering_an_event_twice_applies_it_once(probe, django_capture_on_commit_callbacks):
    event = _publish(probe, django_capture_on_commit_callbacks)
    # A duplicate message, and a delivery forced past the "already delivered" shortcut.
    services.event_deliver(event_id=event.pk)
    Event.objects.filter(pk=event.pk).update(status=Event.Status.PENDING)
    services.event_deliver(event_id=event.pk)
    assert probe.effects(event.pk, "apply_probe") == 1
    assert probe.effects(event.pk, "count_probe") == 1
    assert Event.objects.get(pk=event.pk).status == Event.Status.DELIVERED


@override_settings(ZHONGTAI_BUS=BUS)
def test_transient_failure_succeeds_on_retry(probe, django_capture_on_commit_callbacks):
    event = _publish(probe, django_capture_on_commit_callbacks, mode="fail:1")
    assert event.status == Event.Status.RETRYING
    assert probe.effects(event.pk, "apply_probe") == 0  # rolled back with its receipt
    assert probe.effects(event.pk, "count_probe") == 1  # the healthy receiver is not held up
    delivery = Delivery.objects.get(event=event)
    assert delivery.status == Delivery.Status.FAILING
    assert "fails on attempt 1" in delivery.last_error

    # Not due yet: the sweep leaves it alone; once due it is re-sent and applied.
    assert services.outbox_sweep(now=timezone.now()) == 0
    Event.objects.filter(pk=event.pk).update(next_attempt_at=timezone.now())  # time passes
    assert services.outbox_sweep() == 1
    event.refresh_from_db()
    assert event.status == Event.Status.DELIVERED
    assert probe.effects(event.pk, "apply_probe") == 1
    assert probe.effects(event.pk, "count_probe") == 1
    assert Delivery.objects.get(event=event).status == Delivery.Status.DONE


@override_settings(ZHONGTAI_BUS=BUS)
def test_backoff_doubles_and_is_capped():
    assert [services.backoff_seconds(n) for n in (1, 2, 3, 4, 5)] == [5, 10, 20, 40, 60]


@override_settings(ZHONGTAI_BUS=BUS)
def test_a_receiver_that_always_fails_ends_dead_and_can_be_replayed(
    probe, django_capture_on_commit_callbacks
):
    event = _publish(probe, django_capture_on_commit_callbacks, mode="always_fail")
    for hours in range(1, BUS["MAX_ATTEMPTS"]):
        services.event_deliver(event_id=event.pk, now=timezone.now() + dt.timedelta(hours=hours))
    event.refresh_from_db()
    assert event.status == Event.Status.DEAD
    delivery = Delivery.objects.get(event=event)
    assert (delivery.status, delivery.attempts) == (Delivery.Status.DEAD, BUS["MAX_ATTEMPTS"])
    assert probe.effects(event.pk, "apply_probe") == 0
    # A dead event is not delivered again by the sweep or a stray message.
    assert services.outbox_sweep(now=timezone.now() + dt.timedelta(days=1)) == 0

    # The admin fixes the cause and replays: the dead receiver runs, the healthy one does not.
    event.payload = {**event.payload, "mode": "ok"}
    event.save(update_fields=["payload"])
    with django_capture_on_commit_callbacks(execute=True):
        services.event_replay(event_id=event.pk)
    event.refresh_from_db()
    assert event.status == Event.Status.DELIVERED
    assert probe.effects(event.pk, "apply_probe") == 1
    assert probe.effects(event.pk, "count_probe") == 1


def test_replay_refuses_what_is_not_dead(probe, django_capture_on_commit_callbacks):
    event = _publish(probe, django_capture_on_commit_callbacks)
    with pytest.raises(Conflict):
        services.event_replay(event_id=event.pk)
    with pytest.raises(NotFound):
        services.event_replay(event_id=uuid.uuid4())


@override_settings(ZHONGTAI_BUS=BUS)
def test_a_poisoned_event_does_not_hold_up_the_next_hundred(
    probe, django_capture_on_commit_callbacks
):
    poisoned = _publish(probe, django_capture_on_commit_callbacks, mode="always_fail")
    healthy = [
        _publish(probe, django_capture_on_commit_callbacks, marker=f"h{n}") for n in range(100)
    ]
    assert {e.status for e in healthy} == {Event.Status.DELIVERED}
    assert all(probe.effects(e.pk) == 1 for e in healthy)
    poisoned.refresh_from_db()
    assert poisoned.status == Event.Status.RETRYING


@override_settings(ZHONGTAI_BUS=BUS)
def test_sweep_resends_committed_events_that_were_never_delivered(
    probe, django_capture_on_commit_callbacks
):
    # The commit happened but the message was lost (broker down): no callback ran.
    with django_capture_on_commit_callbacks(execute=False):
        event = probe.publish_probe(marker="lost")
    assert Event.objects.get(pk=event.pk).status == Event.Status.PENDING
    assert services.outbox_sweep(now=timezone.now()) == 0  # still within the grace period
    later = timezone.now() + dt.timedelta(seconds=BUS["SWEEP_GRACE_SECONDS"] + 1)
    assert services.outbox_sweep(now=later) == 1
    event.refresh_from_db()
    assert event.status == Event.Status.DELIVERED
    assert probe.effects(event.pk) == 1
    assert services.outbox_sweep(now=later + dt.timedelta(hours=1)) == 0


def test_an_event_of_an_unknown_topic_is_parked(probe):
    with transaction.atomic():
        event = Event.objects.create(
            topic="gone.removed_topic", occurred_at=timezone.now(), payload={}
        )
    with override_settings(ZHONGTAI_BUS={**BUS, "MAX_ATTEMPTS": 1}):
        services.event_deliver(event_id=event.pk)
    event.refresh_from_db()
    assert event.status == Event.Status.DEAD
    assert "not declared" in event.deliveries.get().last_error


def test_sweep_stops_when_the_broker_is_down(probe, monkeypatch):
    with transaction.atomic():
        event = Event.objects.create(
            topic="probe.happened",
            occurred_at=timezone.now() - dt.timedelta(hours=1),
            payload={"mode": "ok", "marker": "x"},
        )
    monkeypatch.setattr(services, "enqueue_delivery", lambda event_id: False)
    assert services.outbox_sweep() == 0
    assert Event.objects.get(pk=event.pk).status == Event.Status.PENDING
