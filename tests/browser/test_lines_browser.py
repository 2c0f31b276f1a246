"""The lines of a document form in a real browser: add two rows, remove one, watch the running
total follow the typing and the stock on hand appear beside the item, then save."""

from decimal import Decimal

import pytest

from erp_core.billing.tests.factories import customer
from erp_core.documents.amounts import line_amounts
from erp_core.masterdata.services import tax_codes_seed
from erp_core.models import Item, TaxCode
from erp_core.sales.models import SalesOrder
from erp_core.services import roles_sync
from erp_core.stock.services import stock_receipt
from erp_core.tests.factories import DEFAULT_PASSWORD, ItemFactory, UserFactory, WarehouseFactory
from tests.browser.test_documents_browser import _console_error
from tests.browser.test_documents_browser import _search as _search_select
from tests.browser.test_ui_browser import CHROMIUM, browser_page  # noqa: F401 (a fixture)

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason=f"{CHROMIUM} is missing: apt-get install -y chromium fonts-noto-cjk",
    ),
]


def _settle(page) -> None:
    """Let the searches and on-hand reads under way answer, then leave every search box: a
    box still searching may open its dropdown over the next line."""
    page.wait_for_load_state("networkidle")
    page.click("h1")
    expect(page.locator(".ts-dropdown:visible")).to_have_count(0)


def _search(page, name: str, typed: str, option: str) -> None:
    """Pick an option in a searching select, with the boxes before it settled."""
    _settle(page)
    _search_select(page, name, typed, option)


def _choose(page, name: str, item: Item) -> None:
    """Choose ``item`` in a searching select through its box's own API (as picking an option
    does: the select changes and tells the page), without racing the boxes' searches."""
    page.evaluate(
        """([name, value, text]) => {
            const box = document.querySelector(`select[name='${name}']`).tomselect;
            box.addOption({value: value, text: text});
            box.setValue(value);
        }""",
        [name, str(item.pk), f"{item.code} {item.name}"],
    )


@pytest.mark.django_db(transaction=True)
def test_lines_are_added_removed_totalled_and_saved(live_server, browser_page, books_flushable):  # noqa: F811
    roles_sync()  # the transactional flush removed the role groups
    tax_codes_seed()
    vat13 = TaxCode.objects.get(rate=Decimal("0.13"))
    UserFactory(username="mei", roles=["Sales"])
    buyer = customer(code="C-HUA", name="Huadong Pumps")
    warehouse = WarehouseFactory(code="WH-SH", name="Shanghai main")
    kinds = {"item_type": Item.ItemType.FINISHED_GOOD, "vat": vat13}
    pump = ItemFactory(code="FG-PUMP", name="Centrifugal pump", **kinds)
    valve = ItemFactory(code="FG-VALVE", name="Gate valve", **kinds)
    stock_receipt(item=pump, warehouse=warehouse, quantity=Decimal("1250"), unit_cost=Decimal("40"))

    page = browser_page
    console_errors: list[str] = []
    page.on("console", lambda message: _console_error(message, console_errors))
    page.goto(f"{live_server.url}/")
    page.fill("input[name=username]", "mei")
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_selector("#module-erp")

    page.goto(f"{live_server.url}/sales/orders/new/")
    lines = page.locator("[data-testid=lines]")
    total_forms = page.locator("input[name=lines-TOTAL_FORMS]")
    # The server's blank rows are trimmed to one; the add button shows once the script runs.
    expect(lines.locator("tbody[data-line]")).to_have_count(1)
    expect(total_forms).to_have_value("1")

    _search(page, "customer", "hua", "C-HUA Huadong Pumps")
    page.select_option("select[name=warehouse]", label="WH-SH Shanghai main")

    # Line 1: a pump, 1,000 × 12.50 with 10 % off; its stock on hand appears beside it.
    _search(page, "lines-0-item", "pump", "FG-PUMP Centrifugal pump")
    expect(lines.locator("tbody[data-line]").nth(0).locator("[data-on-hand]")).to_contain_text(
        "1,250"
    )
    page.fill("input[name=lines-0-quantity]", "1000")
    page.fill("input[name=lines-0-unit_price]", "12.50")
    page.fill("input[name=lines-0-discount_percent]", "10")
    expect(page.locator("[data-total=net]")).to_have_text("11,250.00")
    expect(page.locator("[data-total=tax]")).to_have_text("1,462.50")
    expect(page.locator("[data-total=gross]")).to_have_text("12,712.50")

    # Two more lines: a valve, and one that is removed again.
    page.click("[data-line-add]")
    page.click("[data-line-add]")
    expect(lines.locator("tbody[data-line]")).to_have_count(3)
    expect(total_forms).to_have_value("3")
    _choose(page, "lines-1-item", valve)
    page.fill("input[name=lines-1-quantity]", "5")
    page.fill("input[name=lines-1-unit_price]", "100")
    expect(page.locator("[data-total=gross]")).to_have_text("13,277.50")
    _choose(page, "lines-2-item", pump)
    page.fill("input[name=lines-2-quantity]", "2")
    page.fill("input[name=lines-2-unit_price]", "1")
    expect(page.locator("[data-total=net]")).to_have_text("11,752.00")

    # Remove the valve's line (the middle one): the rows are numbered again without a gap.
    _settle(page)
    lines.locator("tbody[data-line]").nth(1).locator("[data-line-remove]").click()
    expect(lines.locator("tbody[data-line]")).to_have_count(2)
    expect(total_forms).to_have_value("2")
    expect(page.locator("input[name=lines-1-quantity]")).to_have_value("2")
    expect(page.locator("input[name=lines-2-quantity]")).to_have_count(0)
    expect(page.locator("[data-total=net]")).to_have_text("11,252.00")
    expect(page.locator("[data-total=gross]")).to_have_text("12,714.76")

    # The page's arithmetic is the server's, to the cent, on the cases where floats go wrong.
    cases = [
        ("1", "0.005", "0", "0.13"),
        ("3", "0.335", "0", "0.13"),
        ("1.005", "1", "0", "0"),
        ("7", "19.99", "12.5", "0.09"),
        ("999999.999999", "999999.999999", "33.3333", "0.13"),
        ("0.000001", "0.000001", "0", "0.06"),
        ("2", "2.675", "0", "0.13"),
    ]
    for quantity, price, discount, rate in cases:
        expected = line_amounts(
            quantity=Decimal(quantity),
            unit_price=Decimal(price),
            discount_percent=Decimal(discount),
            tax_rate=Decimal(rate),
        )
        shown = page.evaluate(
            """([q, p, d, r]) => {
                const L = window.ZhongtaiLines, f = {decimal: ".", thousands: "", grouping: 3};
                const a = L.lineAmounts(L.parse(q), L.parse(p), L.parse(d), L.parse(r));
                return [L.money(a.net, f), L.money(a.tax, f)];
            }""",
            [quantity, price, discount, rate],
        )
        assert shown == [f"{expected.net:.2f}", f"{expected.tax:.2f}"], (quantity, price, shown)
    _settle(page)
    page.screenshot(path="/tmp/zhongtai-lines.png", full_page=True)  # for a human to look at
    page.click("main form button[type=submit]:text-is('Save')")
    expect(page.locator(".alert-success")).to_contain_text("was saved")
    order = SalesOrder.objects.get(customer=buyer)
    saved = [(line.item.code, line.quantity) for line in order.lines.order_by("line_no")]
    assert saved == [("FG-PUMP", Decimal("1000")), ("FG-PUMP", Decimal("2"))]
    assert order.lines.get(quantity=1000).gross_amount == Decimal("12712.50")

    assert not console_errors, console_errors
