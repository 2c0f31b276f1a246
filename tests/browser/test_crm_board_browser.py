"""The CRM pipeline board in a real browser: a card dragged onto another stage moves the deal
(saved on the server, probability shown from the new stage) and stays there after a reload.

Drives Debian's headless Chromium through Playwright against pytest-django's live server.
A screenshot goes to /tmp (zhongtai-crm-board.png) for a human to look at.
"""

from decimal import Decimal
from pathlib import Path

import pytest

from crm.models import Account, Opportunity
from crm.services.pipeline import opportunity_create, stages_seed
from erp_core.services import roles_sync
from erp_core.tests.factories import DEFAULT_PASSWORD, UserFactory

CHROMIUM = Path("/usr/lib/chromium/chromium")
SCREENSHOTS = Path("/tmp")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason=f"{CHROMIUM} is missing: apt-get install -y chromium fonts-noto-cjk",
    ),
]


@pytest.fixture
def page(monkeypatch):
    """A fresh page of headless Chromium, in English."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # see test_ui_browser.py
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"],
        )  # fmt: skip
        context = browser.new_context(locale="en-US", viewport={"width": 1400, "height": 900})
        page = context.new_page()
        page.set_default_timeout(30_000)
        try:
            yield page
        finally:
            context.close()
            browser.close()


@pytest.mark.django_db(transaction=True)
def test_a_card_dragged_to_another_stage_moves_the_deal(live_server, page):
    roles_sync()  # the transactional flush removed the role groups
    seller = UserFactory(username="li", roles=["Sales"])
    stages = stages_seed()
    account = Account.objects.create(name="Ningbo Gear Works", owner=seller)
    deal = opportunity_create(
        account=account, name="Gearboxes", amount=Decimal("10000"), owner=seller
    )
    assert deal.stage == stages[0]

    page.goto(f"{live_server.url}/accounts/login/?next=/crm/pipeline/")
    page.fill("input[name=username]", "li")
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.click("main button[type=submit]")
    card = f"[data-testid=card-{deal.pk}]"
    page.wait_for_selector(f"[data-testid=stage-{stages[0].pk}] {card}")

    with page.expect_response(lambda r: f"/crm/opportunities/{deal.pk}/move/" in r.url) as moved:
        page.drag_and_drop(card, f"[data-testid=stage-{stages[2].pk}] [data-cards]")
    assert moved.value.status == 200
    page.wait_for_selector(f"[data-testid=stage-{stages[2].pk}] {card}")
    assert page.inner_text(f"{card} [data-probability]") == "50.00"
    column = f"[data-testid=stage-{stages[2].pk}]"
    page.wait_for_function(
        f"document.querySelector('{column} [data-sum-weighted]').textContent == '5,000.00'"
    )
    assert page.inner_text(f"[data-testid=stage-{stages[0].pk}] [data-sum-amount]") == "0.00"
    deal.refresh_from_db()
    assert deal.stage == stages[2]
    assert deal.probability == Decimal("50.00")
    page.screenshot(path=str(SCREENSHOTS / "zhongtai-crm-board.png"), full_page=True)

    page.reload()
    page.wait_for_selector(f"[data-testid=stage-{stages[2].pk}] {card}")
    assert Opportunity.objects.get(pk=deal.pk).stage_id == stages[2].pk
