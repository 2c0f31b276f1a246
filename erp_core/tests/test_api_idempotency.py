"""Idempotency-Key on create: one document per (user, key), the same answer on a retry."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from common.testing import api_client, assert_error_body, staff_user, token_for
from erp_core import services
from erp_core.api import idempotency
from erp_core.models import IdempotencyRecord, Partner

URL = "/api/v1/erp/partners/"
BODY = {"code": "IDEM-1", "name": "Once Only Ltd.", "kind": "customer"}


def _post(client, body=BODY, key="key-1"):
    """POST a partner with an Idempotency-Key."""
    return client.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY=key)


@pytest.mark.django_db
def test_same_key_twice_creates_one_partner_and_answers_the_same():
    """The retry is answered from the record: same status, same body, marked as replayed."""
    client = api_client(staff_user("Admin"))
    first = _post(client)
    second = _post(client)
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert second["Idempotent-Replayed"] == "true"
    assert not first.has_header("Idempotent-Replayed")
    assert Partner.objects.filter(code="IDEM-1").count() == 1
    record = IdempotencyRecord.objects.get()
    assert (record.endpoint, record.response_status) == (f"POST {URL}", 201)


@pytest.mark.django_db
def test_key_order_of_the_body_does_not_matter():
    """The body is compared by content, not by its bytes."""
    client = api_client(staff_user("Admin"))
    _post(client)
    reordered = dict(reversed(list(BODY.items())))
    assert _post(client, body=reordered)["Idempotent-Replayed"] == "true"


@pytest.mark.django_db
def test_same_key_with_another_body_is_422():
    """Reusing a key for a different request is refused, and nothing more is written."""
    client = api_client(staff_user("Admin"))
    _post(client)
    response = _post(client, body={**BODY, "code": "IDEM-2"})
    assert_error_body(response, 422, "idempotency_key_reused")
    assert not Partner.objects.filter(code="IDEM-2").exists()


@pytest.mark.django_db
def test_keys_are_per_user():
    """Another user's same key is another request."""
    _post(api_client(staff_user("Admin")))
    response = _post(api_client(staff_user("Admin")), body={**BODY, "code": "IDEM-OTHER"})
    assert response.status_code == 201, response.content
    assert IdempotencyRecord.objects.count() == 2


@pytest.mark.django_db
def test_records_expire_after_24_hours():
    """A key older than a day is forgotten: the request runs again."""
    client = api_client(staff_user("Admin"))
    _post(client)
    IdempotencyRecord.objects.update(created_at=timezone.now() - timedelta(hours=24, seconds=1))
    response = _post(client, body={**BODY, "code": "IDEM-LATER"})
    assert response.status_code == 201, response.content
    assert Partner.objects.filter(code="IDEM-LATER").exists()
    assert IdempotencyRecord.objects.count() == 1


@pytest.mark.django_db
def test_purge_deletes_only_expired_records():
    """The periodic purge drops records past 24 hours."""
    client = api_client(staff_user("Admin"))
    _post(client, key="old")
    _post(client, body={**BODY, "code": "IDEM-NEW"}, key="new")
    IdempotencyRecord.objects.filter(key="old").update(
        created_at=timezone.now() - timedelta(days=2)
    )
    assert services.idempotency_records_purge() == 1
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["new"]


@pytest.mark.django_db
def test_a_failed_create_stores_nothing_so_it_can_be_retried():
    """A 400 leaves no record: the corrected request with the same key goes through."""
    client = api_client(staff_user("Admin"))
    assert_error_body(_post(client, body={**BODY, "kind": "friend"}), 400)
    assert not IdempotencyRecord.objects.exists()
    assert _post(client).status_code == 201


@pytest.mark.django_db
def test_without_a_key_every_request_runs():
    """No header, no idempotency: a second identical create is a duplicate code."""
    client = api_client(staff_user("Admin"))
    assert client.post(URL, BODY, format="json").status_code == 201
    assert_error_body(client.post(URL, BODY, format="json"), 400, "invalid")
    assert not IdempotencyRecord.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["", "   ", "k" * 256])
def test_empty_or_overlong_key_is_400(key):
    """The key must be 1 to 255 characters."""
    body = assert_error_body(_post(api_client(staff_user("Admin")), key=key), 400, "invalid")
    assert "Idempotency-Key" in body["errors"]
    assert not Partner.objects.exists()


@pytest.mark.django_db
def test_the_loser_of_a_race_answers_with_the_winners_response(monkeypatch):
    """The winner committed between the loser's look-up and insert: the unique key decides."""
    client = api_client(staff_user("Admin"))
    winner = _post(client)
    real_stored = idempotency._stored
    calls = []

    def stale_first_lookup(user, key):
        calls.append(key)
        return None if len(calls) == 1 else real_stored(user, key)

    monkeypatch.setattr(idempotency, "_stored", stale_first_lookup)
    loser = _post(client)
    assert loser.status_code == 201
    assert loser.json() == winner.json()
    assert loser["Idempotent-Replayed"] == "true"
    assert Partner.objects.filter(code="IDEM-1").count() == 1


@pytest.mark.django_db
def test_the_loser_of_a_race_gets_409_while_the_winner_is_in_flight(monkeypatch):
    """If the winner has not finished, the loser is told to retry (409), and writes nothing."""
    user = staff_user("Admin")
    IdempotencyRecord.objects.create(
        user=user, key="key-1", endpoint=f"POST {URL}", request_hash="x"
    )
    real_stored = idempotency._stored
    calls = []

    def stale_first_lookup(user, key):
        calls.append(key)
        return None if len(calls) == 1 else real_stored(user, key)

    monkeypatch.setattr(idempotency, "_stored", stale_first_lookup)
    response = _post(api_client(user))
    assert_error_body(response, 409, "idempotency_in_flight")
    assert not Partner.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_identical_requests_create_one_partner():
    """Two threads, one connection each, released together: one document, one answer."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers")
    token = token_for(staff_user("Admin"))
    barrier = threading.Barrier(2)
    responses = []

    def send() -> None:
        try:
            client = api_client()
            client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
            barrier.wait(timeout=10)
            responses.append(_post(client))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    statuses = sorted(r.status_code for r in responses)
    assert statuses in ([201, 201], [201, 409]), statuses
    assert Partner.objects.filter(code="IDEM-1").count() == 1
    created = [r.json() for r in responses if r.status_code == 201]
    assert all(body == created[0] for body in created)
