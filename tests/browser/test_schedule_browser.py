"""The production schedule's Gantt in a real browser: the chart is drawn with its line at now
and a late operation in red, without a console error."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from common.testing import staff_user
from erp_core.planning.models import MrpRun, PlannedOrder
from erp_core.scheduling.services import schedule_run
from erp_core.tests.factories import DEFAULT_PASSWORD, RoutingOperationFactory
from tests.browser.test_ui_browser import CHROMIUM, browser_page  # noqa: F401 (a fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is missing"),
]


@pytest.mark.django_db(transaction=True)
def test_the_gantt_is_drawn_with_the_line_at_now_and_a_late_operation_marked(
    live_server,
    browser_page,  # noqa: F811
):
    step = RoutingOperationFactory(
        work_center__shifts_per_day=3, work_center__working_days="1111111"
    )
    RoutingOperationFactory(routing=step.routing)
    today = timezone.localdate()
    run = MrpRun.objects.create(kind="regenerative", status="done", plan_date=today)
    for due in (today - timedelta(days=1), today + timedelta(days=30)):  # one late, one not
        PlannedOrder.objects.create(
            run=run, item=step.routing.item, kind="make", status="firm",
            quantity=Decimal(5), start_date=min(due, today), due_date=due,
        )  # fmt: skip
    schedule = schedule_run(seconds=Decimal("0.2"))
    assert schedule.operation_count == 4 and schedule.late_count >= 1
    user = staff_user("Planner", username="gantt")
    page = browser_page
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/accounts/login/?next=/planning/schedule/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.click("main button[type=submit]")
    chart = page.wait_for_selector('[data-testid="gantt-chart"][data-bars="4"]')
    page.wait_for_selector('[data-testid="gantt-chart"] canvas')
    page.wait_for_selector('[data-testid="load-chart"] canvas')
    assert int(chart.get_attribute("data-late-bars")) >= 1
    now_line = int(chart.get_attribute("data-now-line"))
    assert abs(now_line / 1000 - timezone.now().timestamp()) < 600
    assert page.locator('[data-testid="late-operations"] li').count() >= 1
    assert errors == []
