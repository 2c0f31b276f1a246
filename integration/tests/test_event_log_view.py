"""The event log page: filters, the htmx partial, dead deliveries and replay."""

import uuid

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from erp_core.tests.factories import UserFactory
from integration.models import Delivery, Event
from integration.tests.factories import make_dead_event

pytestmark = pytest.mark.django_db

EVENT_LOG = reverse("integration:event-log")


def _event(status: str, topic: str = "wms.stock_moved", **fields) -> Event:
    return Event.objects.create(
        topic=topic, occurred_at=timezone.now(), payload={}, status=status, **fields
    )


@pytest.fixture
def dead_event() -> Event:
    """A dead event with a dead delivery, as the bus leaves one after the last attempt."""
    return make_dead_event()


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(roles=["Admin"]))
    return client


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get(EVENT_LOG)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_event_log_shows_events_counts_and_dead_deliveries(
    admin_client, dead_event, django_assert_max_num_queries
):
    _event(Event.Status.DELIVERED, topic="erp.invoice_posted", delivered_at=timezone.now())
    _event(Event.Status.PENDING)
    for _ in range(20):
        _event(Event.Status.DELIVERED, delivered_at=timezone.now())
    for n in range(10):
        Delivery.objects.create(
            event=_event(Event.Status.DEAD, topic="erp.invoice_posted"),
            receiver=f"crm.handlers.receiver_{n}",
            status=Delivery.Status.DEAD,
            attempts=5,
        )

    # session, user, 2 x permissions, count, events, counts, dead deliveries: none per row
    with django_assert_max_num_queries(8):
        response = admin_client.get(EVENT_LOG)
    assert response.status_code == 200
    counts = {status: count for status, _label, count in response.context["status_counts"]}
    assert counts == {"pending": 1, "retrying": 0, "delivered": 21, "dead": 11}
    text = response.text
    assert 'data-count="delivered">21<' in text
    assert "erp.invoice_posted" in text
    assert "erp_core.handlers.post_stock_move" in text
    assert "ValueError: no such item" in text
    assert reverse("integration:event-replay", args=[dead_event.pk]) in text


def test_event_log_filters_by_status_and_topic(admin_client, dead_event):
    _event(Event.Status.DELIVERED, topic="erp.invoice_posted")
    _event(Event.Status.DELIVERED, topic="wms.stock_moved")

    response = admin_client.get(EVENT_LOG, {"status": "delivered", "topic": "erp.invoice_posted"})
    events = list(response.context["page_obj"])
    assert [(e.topic, e.status) for e in events] == [("erp.invoice_posted", "delivered")]

    dead_only = admin_client.get(EVENT_LOG, {"status": "dead"})
    assert [e.pk for e in dead_only.context["page_obj"]] == [dead_event.pk]


def test_unknown_filter_values_show_everything_rather_than_fail(admin_client, dead_event):
    response = admin_client.get(EVENT_LOG, {"status": "nonsense"})
    assert response.status_code == 200
    assert [e.pk for e in response.context["page_obj"]] == [dead_event.pk]


def test_htmx_request_gets_only_the_event_table(admin_client, dead_event):
    _event(Event.Status.DELIVERED, topic="erp.invoice_posted")
    response = admin_client.get(EVENT_LOG, {"status": "dead"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "<html" not in response.text
    assert "Dead deliveries" not in response.text
    assert "wms.stock_moved" in response.text
    assert "erp.invoice_posted" not in response.text
    assert "HX-Request" in response["Vary"]


def test_replay_of_a_dead_event_sends_it_again(admin_client, dead_event):
    response = admin_client.post(reverse("integration:event-replay", args=[dead_event.pk]))
    assert response.status_code == 302
    assert response["Location"] == EVENT_LOG
    dead_event.refresh_from_db()
    assert dead_event.status == Event.Status.RETRYING
    delivery = dead_event.deliveries.get()
    assert delivery.status == Delivery.Status.FAILING
    assert delivery.attempts == 0
    page = admin_client.get(EVENT_LOG)
    assert "was sent again" in page.text


def test_replay_of_an_event_that_is_not_dead_is_a_message_not_an_error(admin_client):
    event = _event(Event.Status.DELIVERED, delivered_at=timezone.now())
    response = admin_client.post(reverse("integration:event-replay", args=[event.pk]), follow=True)
    assert response.status_code == 200
    assert "Only a dead event can be replayed" in response.text
    event.refresh_from_db()
    assert event.status == Event.Status.DELIVERED


def test_replay_of_an_unknown_event_is_404(admin_client):
    response = admin_client.post(reverse("integration:event-replay", args=[uuid.uuid4()]))
    assert response.status_code == 404


def test_replay_is_post_only(admin_client, dead_event):
    response = admin_client.get(reverse("integration:event-replay", args=[dead_event.pk]))
    assert response.status_code == 405
    dead_event.refresh_from_db()
    assert dead_event.status == Event.Status.DEAD


def test_event_log_needs_the_integration_permission(client):
    client.force_login(UserFactory(roles=["Finance"]))
    assert client.get(EVENT_LOG).status_code == 403


def test_replay_needs_the_replay_permission(client, dead_event):
    # May see the log, may not replay: no button, and a POST is refused.
    user = UserFactory()
    user.user_permissions.add(Permission.objects.get(codename="access_integration"))
    client.force_login(user)
    page = client.get(EVENT_LOG)
    assert page.status_code == 200
    assert reverse("integration:event-replay", args=[dead_event.pk]) not in page.text

    response = client.post(reverse("integration:event-replay", args=[dead_event.pk]))
    assert response.status_code == 403
    dead_event.refresh_from_db()
    assert dead_event.status == Event.Status.DEAD
