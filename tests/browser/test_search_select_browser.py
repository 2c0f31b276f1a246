"""A searching select in a real browser: type pinyin initials, pick the item, save the form."""

import pytest

from erp_core.masterdata.services import tax_codes_seed
from erp_core.models import Partner
from erp_core.purchasing.models import PurchaseOrder
from erp_core.services import roles_sync
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


def _choose(page, name: str, typed: str, option: str, value: int) -> None:
    """Type into a searching select, pick ``option``, wait until the select holds it, close."""
    wrapper = f"select[name='{name}'] + .ts-wrapper"
    page.click(wrapper)
    page.keyboard.type(typed)
    page.click(f"{wrapper} .ts-dropdown .option:has-text('{option}')")
    page.wait_for_function(
        "([name, value]) => document.querySelector(`select[name='${name}']`).value === value",
        arg=[name, str(value)],
    )
    page.keyboard.press("Escape")


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

    supplier = Partner.objects.get(code="S-NB")
    _choose(page, "supplier", "S-NB", "宁波钢材", supplier.pk)
    page.select_option("select[name=warehouse]", label="WH-RM 原材料仓")
    _choose(page, "lines-0-item", "gbl", "RM-STEEL 钢板料", steel.pk)
    page.fill("input[name='lines-0-quantity']", "100")
    page.fill("input[name='lines-0-unit_price']", "5.5")
    assert page.input_value("input[name='lines-0-quantity']") == "100"
    page.screenshot(path="/tmp/zhongtai-search-select.png", full_page=True)
    with page.expect_navigation():
        page.click("main form button[type=submit]:has-text('Save')")
    assert page.locator(".alert-success").count() == 1, page.inner_text("main")

    order = PurchaseOrder.objects.get()
    assert order.lines.get().item == steel
    assert errors == []
