"""A page drawn by the browser's scripts is Chinese too: a Chinese reader signs in and searches a
picker (the option list is made by JavaScript from the server's answer); no English message of
the product's catalogue is left in what the browser shows.

The language crawl (``tests/test_language_crawl.py``) reads every role's pages as the server
renders them; this test covers what only a browser draws.
"""

import pytest

from erp_core.models import Partner
from erp_core.services import roles_sync
from erp_core.tests.factories import DEFAULT_PASSWORD, PartnerFactory, UserFactory
from tests.browser.test_ui_browser import CHROMIUM
from tests.test_language_crawl import english_left, english_patterns

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is missing"),
]


@pytest.fixture
def chinese_page(monkeypatch):
    """A fresh page of headless Chromium whose reader asks for Simplified Chinese."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 800})
        page = context.new_page()
        page.set_default_timeout(10_000)
        try:
            yield page
        finally:
            context.close()
            browser.close()


@pytest.mark.django_db(transaction=True)
def test_a_chinese_reader_sees_no_english_on_a_page_drawn_by_script(live_server, chinese_page):
    roles_sync()  # the transactional flush removed the role groups
    UserFactory(username="li", roles=["Sales"])
    PartnerFactory(code="C-SZ", name="苏州精密", kind=Partner.Kind.CUSTOMER)
    patterns = english_patterns()
    page = chinese_page
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.goto(f"{live_server.url}/accounts/login/?next=/sales/orders/new/")
    assert page.get_attribute("html", "lang") == "zh-hans"
    assert english_left(page.inner_text("body"), patterns) == []
    page.fill("input[name=username]", "li")
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.click("main button[type=submit]")
    wrapper = "select[name=customer] + .ts-wrapper"
    page.wait_for_selector(wrapper)
    page.click(wrapper)
    page.keyboard.type("C-SZ")
    page.wait_for_selector(f"{wrapper} .ts-dropdown .option:has-text('苏州精密')")
    assert english_left(page.inner_text("body"), patterns) == []
    page.screenshot(path="/tmp/zhongtai-language.png", full_page=True)
    assert english_left(page.inner_text("body"), patterns) == []
    assert errors == []
