"""A searching select in a real browser: type pinyin initials, pick the item, save the form."""

import pytest

from erp_core.models import Partner
from erp_core.purchasing.models import PurchaseOrder
from erp_core.services import roles_sync, tax_codes_seed
from erp_core.tests.factories import (
    DEFAULT_PASSWORD,
    ItemFactory,
    PartnerFactory,
    UserFactory,
    WarehouseFactory,
)
from tests.browser.test_ui_browser import CHROMIUM, browser_page  # noqa: F401 - the fixture

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is missing"),
]


@pytest.mark.django_db(transaction=True)
def test_an_item_is_found_by_its_pinyin_initials_and_saved_on_the_order(
    live_server,
    browser_page,  # noqa: F811
):
    roles_sync()
    tax_codes_seed()
    UserFactory(username="buyer", roles=["Admin"])
    PartnerFactory(code="S-NB", name="宁波钢材", kind=Partner.Kind.SUPPLIER)
    WarehouseFactory(code="WH-RM", name="原材料仓")
    steel = ItemFactory(code="RM-STEEL", name="钢板料", pinyin_initials="GBL")
    ItemFactory.create_batch(5)
    page = browser_page
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))

    page.goto(f"{live_server.url}/accounts/login/?next=/purchasing/orders/new/")
    page.fill("input[name=username]", "buyer")
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_selector("select[name=supplier] + .ts-wrapper")
    # Only the chosen options travel with the page: the item select starts empty.
    assert page.locator("select[name='lines-0-item'] option").count() <= 1

    page.click("select[name=supplier] + .ts-wrapper")
    page.keyboard.type("S-NB")
    page.click(".ts-dropdown .option:has-text('宁波钢材')")
    page.select_option("select[name=warehouse]", label="WH-RM 原材料仓")
    page.click("select[name='lines-0-item'] + .ts-wrapper")
    page.keyboard.type("gbl")
    page.click(".ts-dropdown .option:has-text('RM-STEEL 钢板料')")
    page.fill("input[name='lines-0-quantity']", "100")
    page.fill("input[name='lines-0-unit_price']", "5.5")
    page.screenshot(path="/tmp/zhongtai-search-select.png", full_page=True)
    page.click("main form button[type=submit]:has-text('Save')")
    page.wait_for_selector(".alert-success")

    order = PurchaseOrder.objects.get()
    assert order.lines.get().item == steel
    assert errors == []
