"""Admins see events and deliveries and replay dead events from the admin."""

import pytest
from django.urls import reverse

from config.celery import app as celery_app
from integration.models import Event
from integration.tests.factories import make_dead_event

pytestmark = pytest.mark.django_db


def _dead_event() -> Event:
    return make_dead_event(
        topic="probe.happened",
        payload={"mode": "ok", "marker": "admin"},
        receiver="tests.apply_probe",
        error="Traceback: boom",
    )


def test_admin_lists_events_and_dead_deliveries(admin_client, probe):
    event = _dead_event()
    response = admin_client.get(reverse("admin:integration_event_changelist"), {"status": "dead"})
    assert response.status_code == 200
    assert (
        str(event.pk)[:8] in response.content.decode()
        or "probe.happened" in response.content.decode()
    )
    detail = admin_client.get(reverse("admin:integration_event_change", args=[event.pk]))
    assert detail.status_code == 200
    assert "Traceback: boom" in detail.content.decode()
    deliveries = admin_client.get(reverse("admin:integration_delivery_changelist"))
    assert deliveries.status_code == 200


def test_admin_replay_action_delivers_a_dead_event(
    admin_client, probe, django_capture_on_commit_callbacks
):
    event = _dead_event()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:integration_event_changelist"),
            {"action": "replay", "_selected_action": [str(event.pk)]},
            follow=True,
        )
    assert response.status_code == 200
    event.refresh_from_db()
    assert event.status == Event.Status.DELIVERED
    assert probe.effects(event.pk) == 1


def test_the_bus_tasks_are_registered_with_celery():
    assert {"integration.tasks.deliver_event", "integration.tasks.sweep_outbox"} <= set(
        celery_app.tasks
    )
    assert "integration-sweep-outbox" in celery_app.conf.beat_schedule
