"""The MES operator terminal on a tablet (800 × 1280, touch): pick the machine, confirm the
material, start, scan a material lot as a keyboard-wedge scanner does (each code then Enter),
report good output into a lot, finish — and the facts land in MES and, through the events, in
the ERP's production order. A refused action says why on the page and writes nothing.

A screenshot goes to /tmp (zhongtai-mes-terminal.png) for a human to look at.
"""

from decimal import Decimal
from pathlib import Path

import pytest

from erp_core.production.models import ProductionOrder
from erp_core.services import roles_sync
from erp_core.tests.factories import DEFAULT_PASSWORD, UserFactory
from mes.models import LotConsumption, ProductionLot, WorkOperation
from tests.mes.conftest import build_plant, deliver

CHROMIUM = Path("/usr/lib/chromium/chromium")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason=f"{CHROMIUM} is missing: apt-get install -y chromium fonts-noto-cjk",
    ),
]


@pytest.fixture
def tablet(monkeypatch):
    """A fresh page of headless Chromium the size of a tablet, with touch, in English."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # see test_ui_browser.py
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"],
        )  # fmt: skip
        context = browser.new_context(
            locale="en-US", viewport={"width": 800, "height": 1280}, has_touch=True
        )
        page = context.new_page()
        page.set_default_timeout(30_000)
        try:
            yield page
        finally:
            context.close()
            browser.close()


def _alert(page) -> str:
    return page.inner_text(".zt-messages .alert")


def test_an_operator_runs_an_operation_on_a_tablet(live_server, tablet, books_flushable):
    roles_sync()  # the transactional flush removed the role groups
    UserFactory(username="operator", roles=["Shop floor"])
    plant = build_plant()
    work_order = plant.work_order(plant.frame, "4")
    page = tablet

    page.goto(f"{live_server.url}/mes/terminal/")
    page.fill("input[name=username]", "operator")
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.press("input[name=password]", "Enter")
    page.click(f"[data-testid=machine-{plant.welder.code}]")
    page.wait_for_selector("[data-testid=current-op]")
    assert work_order.number in page.inner_text("[data-testid=queue]")

    # Not staged: the start is refused, nothing runs.
    page.click("[data-testid=action-start]")
    assert "not staged" in _alert(page)
    assert WorkOperation.objects.get(work_order=work_order).status == "waiting"
    page.click("[data-testid=action-stage]")
    page.click("[data-testid=action-start]")
    assert page.inner_text("[data-testid=op-status]") == "Running"

    # A wedge scanner: item code, Enter, lot, Enter, quantity, Enter (which sends the form).
    page.focus("[data-testid=consume-item]")
    for code in (plant.bolt.code, "BOLT-LOT-7", "16"):
        page.keyboard.type(code)
        page.keyboard.press("Enter")
    page.wait_for_selector("[data-testid=op-lots] li")
    assert "BOLT-LOT-7" in page.inner_text("[data-testid=op-lots]")
    # A material the order does not use: refused, nothing written.
    page.focus("[data-testid=consume-item]")
    for code in (plant.steel.code, "STEEL-1", "1"):
        page.keyboard.type(code)
        page.keyboard.press("Enter")
    page.wait_for_selector(".zt-messages .alert-danger")
    assert "is not a material" in _alert(page)
    assert LotConsumption.objects.count() == 1

    page.fill("[data-testid=quantity-good]", "4")
    page.fill("[data-testid=output-lot]", "FRAME-LOT-1")
    page.click("[data-testid=action-report]")
    page.wait_for_selector("[data-testid=op-good]")
    assert page.inner_text("[data-testid=op-good]") == "4"
    page.click("[data-testid=action-finish]")
    page.wait_for_selector(".zt-messages .alert-success")
    assert "finished" in _alert(page)
    page.screenshot(path="/tmp/zhongtai-mes-terminal.png", full_page=True)

    assert WorkOperation.objects.get(work_order=work_order).status == "done"
    assert ProductionLot.objects.get(number="FRAME-LOT-1").quantity_made == Decimal("4")
    deliver()  # the live server's commits queued the events; the worker delivers them
    order = ProductionOrder.objects.get(pk=work_order.production_order_id)
    assert order.quantity_produced == Decimal("4")
    assert order.materials.get(component=plant.bolt).quantity_consumed == Decimal("16")
