"""The staff UI in a real browser: sign in, home, htmx search, Chinese, the event log.

Drives Debian's headless Chromium through Playwright against pytest-django's live server.
Screenshots go to /tmp (zhongtai-*.png) for a human to look at.
"""

from pathlib import Path

import pytest
from django.utils import timezone

from erp_core.services import roles_sync
from erp_core.tests.factories import DEFAULT_PASSWORD, PartnerFactory, UserFactory
from integration.models import Delivery, Event

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
def browser_page(monkeypatch):
    """A fresh page of headless Chromium, in English, closed after the test."""
    # Playwright's sync API runs an event loop in this thread, which makes Django refuse the
    # test's own (synchronous, safe) ORM calls. Set for this test only: a process-wide setting
    # would leak into other tests (``check --deploy`` warns about it).
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 800})
        page = context.new_page()
        # A page answers within a second alone; the whole suite on two cores can make it ten.
        page.set_default_timeout(30_000)
        try:
            yield page
        finally:
            context.close()
            browser.close()


@pytest.mark.django_db(transaction=True)
def test_sign_in_search_partners_and_switch_to_chinese(live_server, browser_page):
    roles_sync()  # the transactional flush removed the role groups
    UserFactory(username="wang", first_name="Wei", last_name="Wang", roles=["Admin"])
    PartnerFactory(code="C-ACME", name="Acme Machinery")
    PartnerFactory(code="S-BAO", name="Baosteel Trading")
    event = Event.objects.create(
        topic="wms.stock_moved", occurred_at=timezone.now(), payload={}, status="dead", attempts=5
    )
    Delivery.objects.create(
        event=event,
        receiver="erp_core.handlers.post_stock_move",
        status="dead",
        attempts=5,
        last_error="Traceback (most recent call last):\nValueError: no such item",
    )
    page = browser_page
    failed_assets = []
    page.on("requestfailed", lambda request: failed_assets.append(request.url))

    page.goto(f"{live_server.url}/")
    assert "/accounts/login/" in page.url
    page.fill("input[name=username]", "wang")
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.click("main button[type=submit]")

    page.wait_for_selector("#module-erp")
    assert page.inner_text("h1") == "Welcome, Wei"
    assert page.evaluate("typeof htmx") == "object"
    assert page.evaluate("typeof bootstrap") == "object"
    page.screenshot(path=str(SCREENSHOTS / "zhongtai-home-en.png"), full_page=True)

    # The partner search updates the table through htmx, without reloading the page.
    page.click("nav [data-module=erp] .dropdown-toggle")
    page.click("nav [data-module=erp] >> text=Partners")
    page.wait_for_selector("#partner-table tbody tr")
    assert page.locator("#partner-table tbody tr").count() == 2
    page.evaluate("window.zhongtaiMarker = 1")
    page.fill("#partner-search", "acme")
    page.wait_for_function("document.querySelectorAll('#partner-table tbody tr').length === 1")
    assert "C-ACME" in page.inner_text("#partner-table")
    assert page.evaluate("window.zhongtaiMarker") == 1  # same document: a partial swap
    assert "q=acme" in page.url

    # Switch to Chinese from the navbar; the menu and the page come back in Chinese.
    page.goto(f"{live_server.url}/")
    page.click("[data-testid=language-menu]")
    page.click("button[name=language][value=zh-hans]")
    page.wait_for_selector("html[lang=zh-hans]")
    nav = page.inner_text("nav.navbar")
    for label in ("中台", "财务", "集成", "简体中文"):
        assert label in nav
    assert page.inner_text("h1").startswith("欢迎") and "Wei" in page.inner_text("h1")
    page.click("nav [data-module=erp] .dropdown-toggle")
    assert page.is_visible("nav [data-module=erp] >> text=合作伙伴")
    page.screenshot(path=str(SCREENSHOTS / "zhongtai-home-zh.png"), full_page=True)

    # The event log: the dead delivery's error unfolds, and Replay sends the event again.
    page.goto(f"{live_server.url}/integration/events/")
    page.click("text=显示错误")
    page.wait_for_selector("pre:has-text('ValueError: no such item')", state="visible")
    page.screenshot(path=str(SCREENSHOTS / "zhongtai-event-log-zh.png"), full_page=True)
    page.click("[data-delivery] button:has-text('重放')")
    page.wait_for_selector(".alert-success")
    assert "已重新发送" in page.inner_text(".alert-success")

    # Logging out is a POST from the user menu.
    page.click("[data-testid=user-menu]")
    page.click("text=退出登录")
    page.wait_for_selector("input[name=username]")
    assert "登录中台" in page.content()
    assert failed_assets == []
