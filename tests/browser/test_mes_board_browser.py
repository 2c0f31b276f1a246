"""The MES shop-floor board in a real browser: the charts are drawn, and a machine's tile
changes colour by itself when its device reports a stop (htmx polling, no reload)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from common.testing import staff_user
from erp_core.tests.factories import DEFAULT_PASSWORD, WorkCenterFactory
from mes.models import Machine
from mes.services.devices import device_issue
from mes.services.machine_events import machine_events_record
from mes.views import board
from tests.browser.test_ui_browser import CHROMIUM, browser_page  # noqa: F401 (a fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is missing"),
]


def _event(event_id: str, minutes: int, state: str, reason: str = "") -> dict:
    at = (timezone.now() - timedelta(minutes=minutes)).isoformat()
    body = {"event_id": event_id, "machine": "BR-1", "kind": "state", "occurred_at": at,
            "state": state}  # fmt: skip
    return {**body, "reason": reason} if reason else body


@pytest.mark.django_db(transaction=True)
def test_the_board_draws_its_charts_and_follows_a_stop_without_reload(
    live_server,
    browser_page,  # noqa: F811
    monkeypatch,
):
    monkeypatch.setattr(board, "REFRESH_SECONDS", 1)
    user = staff_user("Shop floor", username="zhao")
    machine = Machine.objects.create(work_center=WorkCenterFactory(), code="BR-1", name="Press")
    device, _token = device_issue(name="Board test", machines=[machine])
    machine_events_record(
        device=device,
        events=[
            _event("a", 90, "running"),
            _event("b", 60, "down", "changeover"),
            _event("c", 50, "running"),
        ],
    )
    page = browser_page
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.goto(f"{live_server.url}/accounts/login/?next=/mes/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_selector('[data-testid="machine-tile"][data-state="running"]')
    page.wait_for_selector("#oee-trend-chart canvas")
    page.wait_for_selector("#downtime-pareto-chart canvas")
    machine_events_record(device=device, events=[_event("d", 1, "down", "breakdown")])
    page.wait_for_selector('[data-testid="machine-tile"][data-state="down"]', timeout=30_000)
    assert "Breakdown" in page.inner_text('[data-testid="machine-tile"]')
    assert page.evaluate("performance.getEntriesByType('navigation').length") == 1
    assert errors == []
