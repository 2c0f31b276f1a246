"""A WMS scan screen on a 360-pixel handheld, driven by the keyboard alone: a keyboard-wedge
scanner types each code and presses Enter; the input keeps the focus, every answer is a colour
block, a bad scan is red and moves nothing, and the move lands in the bins.

Drives Debian's headless Chromium through Playwright against pytest-django's live server.
A screenshot goes to /tmp (zhongtai-wms-scan-*.png) for a human to look at.
"""

from decimal import Decimal
from pathlib import Path

import pytest

from erp_core.services import roles_sync
from erp_core.tests.factories import (
    DEFAULT_PASSWORD,
    ItemFactory,
    UserFactory,
    WarehouseFactory,
)
from tests.wms.outbound_kit import Site
from wms.models import Bin, Quant
from wms.services import outbound
from wms.services.stock import quant_add

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
def handheld(monkeypatch):
    """A fresh page of headless Chromium the size of a handheld (360 × 740), in English."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # see test_ui_browser.py
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"],
        )  # fmt: skip
        context = browser.new_context(
            locale="en-US", viewport={"width": 360, "height": 740}, has_touch=True
        )
        page = context.new_page()
        page.set_default_timeout(10_000)
        try:
            yield page
        finally:
            context.close()
            browser.close()


def _scan(page, code: str, result: str) -> str:
    """Type ``code`` as a wedge scanner does (keys, then Enter) and wait for the answer."""
    # The input takes the focus back by itself once the answer is in (no tap, no click).
    page.wait_for_function("document.activeElement && document.activeElement.id == 'scan-input'",
                           timeout=2000)  # fmt: skip
    page.evaluate("document.getElementById('scan-panel').dataset.answered = 'yes'")
    page.keyboard.type(code)
    page.keyboard.press("Enter")
    # The answer is a new panel (the old one was marked): wait for it, not for the old one.
    page.wait_for_selector(f"#scan-panel:not([data-answered])[data-scan-result={result}]")
    return page.inner_text("[data-testid=scan-message]")


def _wait_for_colour(page, rgb: str) -> None:
    """Wait until the answer's status block is drawn in ``rgb`` (htmx settles the new panel
    a moment after it is swapped in)."""
    page.wait_for_function(
        "rgb => [...document.querySelectorAll('#scan-panel:not([data-answered]) .zt-scan-status')]"
        ".some(el => getComputedStyle(el).backgroundColor === rgb)",
        arg=rgb,
        timeout=5000,
    )


@pytest.mark.django_db(transaction=True)
def test_a_move_by_keyboard_only_on_a_360_pixel_screen(live_server, handheld):
    roles_sync()  # the transactional flush removed the role groups
    UserFactory(username="keeper", roles=["Warehouse"])
    warehouse = WarehouseFactory()
    source = Bin.objects.create(warehouse=warehouse, code="A-01", barcode="BIN-A-01")
    Bin.objects.create(warehouse=warehouse, code="A-02", barcode="BIN-A-02")
    item = ItemFactory(code="FG-BOLT", barcode="6900000000017")
    quant_add(bin=source, item=item, quantity="40", reason="receipt")
    page = handheld

    page.goto(f"{live_server.url}/wms/scan/move/")
    page.fill("input[name=username]", "keeper")
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_selector("#scan-input")
    assert page.evaluate("document.activeElement.id") == "scan-input"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # nothing off-screen

    assert "BIN-NOPE" in _scan(page, "BIN-NOPE", "error")
    _wait_for_colour(page, "rgb(220, 53, 69)")  # the red block
    assert page.input_value("#scan-input") == ""

    _scan(page, "BIN-A-01", "ok")
    assert page.inner_text("[data-testid=scan-prompt]") == "Item"
    _scan(page, "6900000000017", "ok")
    assert page.inner_text("[data-testid=scan-prompt]") == "Quantity"
    assert page.get_attribute("#scan-input", "inputmode") == "decimal"
    assert "only 40" in _scan(page, "41", "error")  # too many: asked again, nothing moved
    _scan(page, "12", "ok")
    page.screenshot(path=str(SCREENSHOTS / "zhongtai-wms-scan-move.png"), full_page=True)
    message = _scan(page, "BIN-A-02", "done")
    assert "A-01" in message and "A-02" in message
    _wait_for_colour(page, "rgb(25, 135, 84)")  # the green block
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(SCREENSHOTS / "zhongtai-wms-scan-done.png"), full_page=True)

    # The input still has the focus: the next move starts with the next scan, no tap needed.
    assert page.inner_text("[data-testid=scan-prompt]") == "From bin"
    _scan(page, "BIN-A-02", "ok")
    page.keyboard.press("Escape")  # start over
    page.wait_for_selector("#scan-panel[data-scan-result=prompt]")
    assert page.evaluate("document.activeElement.id") == "scan-input"

    quants = dict(Quant.objects.filter(item=item).values_list("bin__code", "on_hand"))
    assert quants == {"A-01": Decimal("28"), "A-02": Decimal("12")}


@pytest.mark.django_db(transaction=True)
def test_a_pick_list_picked_by_keyboard_only_on_a_360_pixel_screen(
    live_server, handheld, books_flushable
):
    roles_sync()
    UserFactory(username="picker", roles=["Warehouse"])
    site = Site()
    lot = site.lot("L-1", days=100)
    site.stock(site.a1, site.lot_item, 10, lot=lot)
    pick_list = outbound.pick_list_create(orders=[site.confirm([(site.lot_item, Decimal("4"))])])
    page = handheld

    page.goto(f"{live_server.url}/wms/scan/pick/")
    page.fill("input[name=username]", "picker")
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_selector("#scan-input")

    _scan(page, pick_list.number, "ok")
    hint = page.inner_text("[data-testid=scan-hint]")
    assert "A-01" in hint and "L-1" in hint  # where to go and what to take
    assert "Wrong bin" in _scan(page, site.a2.barcode, "error")
    _scan(page, site.a1.barcode, "ok")
    _scan(page, site.lot_item.code, "ok")
    assert "Wrong lot" in _scan(page, "L-9", "error")
    _scan(page, "L-1", "ok")
    page.screenshot(path=str(SCREENSHOTS / "zhongtai-wms-scan-pick.png"), full_page=True)
    assert pick_list.number in _scan(page, "4", "done")  # the list is picked
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    assert Quant.objects.get(bin=site.ship, item=site.lot_item).on_hand == Decimal("4")
