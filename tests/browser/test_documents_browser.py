"""Order to cash through the staff pages in a real browser, as a user would click it.

Sales order → confirm → delivery → ship → customer invoice from the delivery → post → PDF →
payment received, allocated to the invoice → post → the invoice in Chinese. Master data and
stock are set up with the services; everything else goes through the pages. Screenshots go to
/tmp (zhongtai-o2c-*.png) for a human to look at.
"""

from decimal import Decimal
from pathlib import Path

import pytest

from erp_core.billing.models import Invoice, Payment
from erp_core.billing.tests.factories import customer
from erp_core.masterdata.services import tax_codes_seed
from erp_core.models import Item
from erp_core.sales.models import Delivery, SalesOrder
from erp_core.services import roles_sync
from erp_core.stock.services import stock_receipt
from erp_core.tests.factories import DEFAULT_PASSWORD, ItemFactory, UserFactory, WarehouseFactory
from tests.browser.test_ui_browser import CHROMIUM, browser_page  # noqa: F401 (a fixture)

SCREENSHOTS = Path("/tmp")
expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason=f"{CHROMIUM} is missing: apt-get install -y chromium fonts-noto-cjk",
    ),
]


def _shot(page, name: str) -> None:
    page.screenshot(path=str(SCREENSHOTS / f"zhongtai-o2c-{name}.png"), full_page=True)


def _menu(page, module: str, entry: str) -> None:
    """Open a navbar module's dropdown and click one of its entries."""
    page.click(f"nav [data-module={module}] .dropdown-toggle")
    page.click(f"nav [data-module={module}] .dropdown-item:text-is('{entry}')")


def _console_error(message, errors: list[str]) -> None:
    """Collect console errors; the browser's own /favicon.ico probe is not the page's (the
    site has no icon yet: a 404 logged on the first page of a session)."""
    if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
        errors.append(f"{message.text} at {message.location.get('url')}")


def _request_failed(request, failed: list[str]) -> None:
    """Collect requests that never got an answer. A search-as-you-type request still in flight
    when the user picks an option and the page moves on is cancelled by the browser
    (``net::ERR_ABORTED``): that is the browser's doing, not a failure of the site."""
    if request.failure != "net::ERR_ABORTED":
        failed.append(f"{request.url}: {request.failure}")


def _response_failed(response, failed: list[str]) -> None:
    """Collect answers that are server errors (a 4xx is a page's own answer, shown to the user)."""
    if response.status >= 500:
        failed.append(f"{response.url}: {response.status}")


def _flash(page, text: str) -> None:
    """Wait for the next page's success message (the previous page may show one too)."""
    expect(page.locator(".alert-success")).to_contain_text(text)


def _search(page, name: str, typed: str, option: str) -> None:
    """Pick ``option`` in a searching select by typing ``typed`` into it."""
    wrapper = f"select[name='{name}'] + .ts-wrapper"
    page.click(wrapper)
    page.keyboard.type(typed)
    page.click(f"{wrapper} .ts-dropdown .option:has-text('{option}')")
    page.wait_for_function(
        "name => document.querySelector(`select[name='${name}']`).value !== ''", arg=name
    )
    page.keyboard.press("Escape")


@pytest.mark.django_db(transaction=True)
def test_order_to_cash_through_the_pages(live_server, browser_page, books_flushable):  # noqa: F811
    roles_sync()  # the transactional flush removed the role groups
    tax_codes_seed()
    UserFactory(username="li", first_name="Na", last_name="Li", roles=["Admin"])
    buyer = customer(code="C-HUA", name="Huadong Pumps")
    warehouse = WarehouseFactory(code="WH-SH", name="Shanghai main")
    pump = ItemFactory(
        code="FG-PUMP",
        name="Centrifugal pump",
        item_type=Item.ItemType.FINISHED_GOOD,
        make_or_buy=Item.MakeOrBuy.MAKE,
        list_price=Decimal("120.00"),
    )
    stock_receipt(item=pump, warehouse=warehouse, quantity=Decimal("50"), unit_cost=Decimal("40"))

    page = browser_page
    failed_requests: list[str] = []
    console_errors: list[str] = []
    page.on("requestfailed", lambda request: _request_failed(request, failed_requests))
    page.on("response", lambda response: _response_failed(response, failed_requests))
    page.on("console", lambda message: _console_error(message, console_errors))

    # Sign in.
    page.goto(f"{live_server.url}/")
    page.fill("input[name=username]", "li")
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_selector("#module-erp")

    # A new sales order: head, one line of 10 × 100.00 (over the list price), saved.
    _menu(page, "erp", "Sales orders")
    page.wait_for_url("**/sales/orders/")
    page.click("main a:text-is('New order')")
    page.wait_for_selector("form select[name=customer]")
    assert page.inner_text("h1") == "New sales order"
    _search(page, "customer", "hua", "C-HUA Huadong Pumps")
    page.select_option("select[name=warehouse]", label="WH-SH Shanghai main")
    assert page.input_value("input[name=date]")  # today by default
    _search(page, "lines-0-item", "pump", "FG-PUMP Centrifugal pump")
    page.fill("input[name=lines-0-quantity]", "10")
    page.fill("input[name=lines-0-unit_price]", "100")
    _shot(page, "1-order-form")
    page.click("main form button[type=submit]:text-is('Save')")
    _flash(page, "was saved")
    order = SalesOrder.objects.get(customer=buyer)
    assert page.url.endswith(f"/sales/orders/{order.pk}/")
    assert order.status == SalesOrder.Status.DRAFT

    # Confirm (审核).
    page.click("[data-testid=approve]")
    _flash(page, "was confirmed")
    expect(page.locator("h1 [data-status]")).to_have_text("Confirmed")
    order.refresh_from_db()
    assert order.status == SalesOrder.Status.APPROVED
    _shot(page, "2-order-confirmed")

    # Deliver the whole order, then ship the delivery.
    page.click("main a.btn:text-is('Deliver')")
    page.wait_for_selector("h1:has-text('Deliver')")
    line = order.lines.get()
    assert Decimal(page.input_value(f"input[name=line_{line.pk}]")) == 10
    page.click("main button[type=submit]:text-is('Save delivery')")
    _flash(page, "was saved")
    delivery = Delivery.objects.get(sales_order=order)
    page.click("[data-testid=ship]")
    _flash(page, "was shipped")
    expect(page.locator("h1 [data-status]")).to_have_text("Shipped")
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.APPROVED
    _shot(page, "3-delivery-shipped")

    # The order counts the quantity delivered and shows it delivered.
    page.click(f"main a:text-is('{order.number}')")
    page.wait_for_selector("[data-testid=delivered]")
    cells = page.locator("main table tbody tr").first.locator("td")
    assert cells.nth(9).inner_text() == "10"  # delivered
    assert cells.nth(10).inner_text() == "0"  # open
    assert delivery.number in page.inner_text("main")
    _shot(page, "4-order-delivered")

    # Finance → Invoices → a new invoice from what was shipped to the customer.
    _menu(page, "finance", "Invoices")
    page.wait_for_url("**/billing/invoices/")
    page.click("main a:text-is('New invoice from deliveries')")
    _search(page, "partner", "C-HUA", "C-HUA Huadong Pumps")
    page.click("main button:text-is('Show what is shipped and not invoiced')")
    page.wait_for_selector("[data-testid=source-lines]")
    source_row = page.locator("[data-testid=source-lines] tbody tr")
    assert source_row.count() == 1
    assert delivery.number in source_row.inner_text()
    assert Decimal(page.input_value(f"input[name=qty_{delivery.lines.get().pk}]")) == 10
    _shot(page, "5-invoice-from-deliveries")
    page.click("main form[method=post] button[type=submit]:text-is('Save')")
    _flash(page, "was saved")
    invoice = Invoice.objects.get(partner=buyer)
    assert invoice.gross_amount == Decimal("1130.00")

    # Post it: 价税合计 with the amount in words and in figures.
    page.click("[data-testid=approve]")
    _flash(page, "was posted")
    expect(page.locator("h1 [data-status]")).to_have_text("Posted")
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.APPROVED
    footer = page.inner_text("[data-testid=lines] tfoot")
    assert "价税合计" in footer and "1,130.00" in footer
    assert page.inner_text("[data-testid=gross-in-words]") == "壹仟壹佰叁拾元整"
    assert page.inner_text("[data-testid=open-amount]") == "1,130.00"
    _shot(page, "6-invoice-posted")
    pdf_url = page.locator("[data-testid=print]").get_attribute("href")
    assert pdf_url == f"/billing/invoices/{invoice.pk}/pdf/"
    pdf = page.request.get(f"{live_server.url}{pdf_url}")
    assert pdf.ok
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")

    # Finance → Payments → received from the customer: 500.00, allocated to the invoice.
    _menu(page, "finance", "Payments")
    page.wait_for_url("**/billing/payments/")
    page.click("main a:text-is('Payment received')")
    assert page.locator("#payment-direction").input_value() == "received"
    _search(page, "partner", "C-HUA", "C-HUA Huadong Pumps")
    page.click("main button:text-is('Continue')")
    page.wait_for_selector("[data-testid=open-documents]")
    page.fill("input[name=amount]", "500")
    page.fill(f"input[name=alloc_{invoice.pk}]", "500")
    page.fill("input[name=reference]", "ICBC 20260315-01")
    _shot(page, "7-payment-form")
    page.click("main form[method=post] button[type=submit]:text-is('Save')")
    _flash(page, "was saved")
    payment = Payment.objects.get(partner=buyer)
    page.click("[data-testid=approve]")
    _flash(page, "was posted")
    payment.refresh_from_db()
    assert payment.status == Payment.Status.APPROVED
    assert page.inner_text("[data-testid=unapplied]") == "0.00"
    assert invoice.number in page.inner_text("[data-testid=allocations]")
    _shot(page, "8-payment-posted")

    # The invoice now has 630.00 open.
    page.click(f"[data-testid=allocations] a:text-is('{invoice.number}')")
    page.wait_for_selector("[data-testid=open-amount]")
    assert page.inner_text("[data-testid=open-amount]") == "630.00"
    invoice.refresh_from_db()
    assert invoice.open_amount == Decimal("630.00")

    # In Chinese.
    page.click("[data-testid=language-menu]")
    page.click("button[name=language][value=zh-hans]")
    page.wait_for_selector("html[lang=zh-hans]")
    assert page.url.endswith(f"/billing/invoices/{invoice.pk}/")
    main = page.inner_text("main")
    for label in (
        "客户发票",  # Customer invoice
        "价税合计",
        "购买方",
        "销售方",
        "数量",  # Quantity
        "单价",  # Unit price
        "增值税",  # VAT
        "已过账",  # Posted
        "核销情况",  # Settlement
    ):
        assert label in main, label
    assert page.inner_text("[data-testid=gross-in-words]") == "壹仟壹佰叁拾元整"
    assert page.inner_text("[data-testid=open-amount]") == "630.00"
    _shot(page, "9-invoice-zh")

    assert failed_requests == []
    assert console_errors == []
