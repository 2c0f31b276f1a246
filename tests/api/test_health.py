"""/healthz: 200 when the database and the broker answer, 503 quickly when one does not."""

import time

import pytest
from django.db import connection
from django.test import Client, override_settings

from config.celery import app as celery_app


@pytest.fixture
def unreachable_broker(monkeypatch):
    """Point Celery at a closed port for the test, then put the real broker URL back.

    Celery reads the CELERY_BROKER_URL environment variable before its configuration, so the
    variable is pointed there too.
    """
    monkeypatch.setenv("CELERY_BROKER_URL", "redis://127.0.0.1:1/0")
    saved = celery_app.conf.broker_url
    celery_app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        yield
    finally:
        celery_app.conf.broker_url = saved


@pytest.mark.django_db
@override_settings(CELERY_TASK_ALWAYS_EAGER=True)
def test_healthy_with_the_database_and_an_eager_broker():
    """The embedded default: database answers, Celery is eager, so all is well."""
    response = Client().get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == {"ok": True, "vendor": connection.vendor}
    assert body["broker"] == {"ok": True, "mode": "eager"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
@override_settings(CELERY_TASK_ALWAYS_EAGER=False)
def test_unreachable_broker_is_503_and_answers_quickly(unreachable_broker):
    """A broker that refuses connections makes the check fail within a few seconds."""
    started = time.monotonic()
    response = Client().get("/healthz")
    elapsed = time.monotonic() - started
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["database"]["ok"] is True
    assert body["broker"]["ok"] is False
    assert body["broker"]["mode"] == "broker"
    assert elapsed < 10, f"healthz took {elapsed:.1f}s"


@pytest.mark.django_db
def test_database_down_is_503(monkeypatch):
    """A database that raises makes the check fail and names the error, not its message."""

    def broken_cursor(*args, **kwargs):
        raise ConnectionError("db gone")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == {"ok": False, "error": "ConnectionError"}


@pytest.mark.django_db
def test_healthz_is_get_only():
    """Load balancers GET it; anything else is refused."""
    assert Client().post("/healthz").status_code == 405
