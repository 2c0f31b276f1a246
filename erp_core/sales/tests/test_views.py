"""Staff pages of sales: who may open them, forms that save, status buttons, PDF and Excel."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from common.testing import staff_user
from erp_core.documents.printing import XLSX_CONTENT_TYPE
from erp_core.sales import services
from erp_core.sales.models import Delivery, PriceList, SalesOrder
from erp_core.sales.tests.helpers import make_order, put_stock
from erp_core.tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def login(client):
    def sign_in(role: str):
        user = staff_user(role)
        client.force_login(user)
        return user

    return sign_in


@pytest.fixture
def order(customer, warehouse, item) -> SalesOrder:
    return make_order(customer, warehouse, [(item, 3)])


@pytest.fixture
def delivery(books, customer, warehouse, item) -> Delivery:
    put_stock(item, warehouse)
    confirmed = make_order(customer, warehouse, [(item, 3)], approve=True)
    return services.delivery_create(
        sales_order=confirmed,
        lines=[{"sales_order_line": confirmed.lines.get(), "quantity": Decimal("2")}],
        date=timezone.localdate(),
    )


def test_sales_opens_the_order_pages(client, login, order):
    login("Sales")
    for url in (
        reverse("sales:order-list"),
        reverse("sales:order-list") + "?status=draft&q=SO",
        reverse("sales:order-detail", args=[order.pk]),
        reverse("sales:order-create"),
        reverse("sales:order-edit", args=[order.pk]),
        reverse("sales:price-list-list"),
        reverse("sales:price-list-create"),
        reverse("sales:delivery-list"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    assert order.number in client.get(reverse("sales:order-list")).text


def test_the_list_answers_a_partial_table_to_htmx(client, login, order):
    login("Sales")
    response = client.get(reverse("sales:order-list"), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "<html" not in response.text
    assert order.number in response.text


def test_wrong_roles_are_403(client, login, order, delivery):
    login("Shop floor")
    for url in (
        reverse("sales:order-list"),
        reverse("sales:order-detail", args=[order.pk]),
        reverse("sales:delivery-list"),
        reverse("sales:price-list-list"),
    ):
        assert client.get(url).status_code == 403, url
    login("Warehouse")
    assert client.get(reverse("sales:order-detail", args=[order.pk])).status_code == 200
    assert client.get(reverse("sales:delivery-detail", args=[delivery.pk])).status_code == 200
    assert client.get(reverse("sales:order-create")).status_code == 403
    assert client.get(reverse("sales:price-list-list")).status_code == 403
    response = client.post(reverse("sales:order-approve", args=[order.pk]))
    assert response.status_code == 403
    assert SalesOrder.objects.get(pk=order.pk).status == "draft"


def test_anonymous_is_sent_to_sign_in(client, order):
    response = client.get(reverse("sales:order-detail", args=[order.pk]))
    assert response.status_code == 302


def test_create_an_order_from_the_form(client, login, customer, warehouse, item):
    login("Sales")
    data = {
        "customer": customer.pk,
        "warehouse": warehouse.pk,
        "date": str(timezone.localdate()),
        "lines-TOTAL_FORMS": "2",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "1",
        "lines-MAX_NUM_FORMS": "200",
        "lines-0-item": item.pk,
        "lines-0-quantity": "4",
    }
    response = client.post(reverse("sales:order-create"), data)
    order = SalesOrder.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("sales:order-detail", args=[order.pk])
    assert order.lines.get().unit_price == Decimal("100.00")


def test_a_refused_save_shows_the_reason_and_writes_nothing(client, login, warehouse, item):
    supplier = PartnerFactory(kind="supplier")
    login("Sales")
    data = {
        "customer": supplier.pk,
        "warehouse": warehouse.pk,
        "date": str(timezone.localdate()),
        "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "0",
        "lines-0-item": item.pk,
        "lines-0-quantity": "1",
    }
    response = client.post(reverse("sales:order-create"), data)
    assert response.status_code == 200
    assert SalesOrder.objects.count() == 0


def test_confirm_button_and_credit_block_with_finance_override(client, login, order):
    order.customer.credit_limit = Decimal("10.00")
    order.customer.save()
    login("Sales")
    page = client.get(reverse("sales:order-detail", args=[order.pk])).text
    assert 'data-testid="credit-block"' in page
    assert 'data-testid="override-form"' not in page
    client.post(reverse("sales:order-approve", args=[order.pk]), {"revision": "1"})
    assert SalesOrder.objects.get(pk=order.pk).status == "draft"
    response = client.post(
        reverse("sales:order-approve", args=[order.pk]),
        {"override_credit": "on", "override_reason": "trust me"},
    )
    assert response.status_code == 403
    login("Finance")
    page = client.get(reverse("sales:order-detail", args=[order.pk])).text
    assert 'data-testid="override-form"' in page
    response = client.post(
        reverse("sales:order-approve", args=[order.pk]),
        {"override_credit": "on", "override_reason": "paid in advance", "revision": "1"},
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == "approved"
    assert order.credit_override_reason == "paid in advance"


def test_status_buttons_run_the_steps(client, login, order):
    login("Sales")
    client.post(reverse("sales:order-approve", args=[order.pk]), {"revision": "1"})
    assert SalesOrder.objects.get(pk=order.pk).status == "approved"
    client.post(reverse("sales:order-unapprove", args=[order.pk]))
    assert SalesOrder.objects.get(pk=order.pk).status == "draft"
    client.post(reverse("sales:order-void", args=[order.pk]), {"reason": "duplicate"})
    assert SalesOrder.objects.get(pk=order.pk).status == "voided"
    response = client.post(reverse("sales:order-close", args=[order.pk]), follow=True)
    assert SalesOrder.objects.get(pk=order.pk).status == "voided"
    assert "cannot be closed" in response.text


def test_deliver_from_the_order_and_ship(client, login, books, customer, warehouse, item):
    put_stock(item, warehouse)
    confirmed = make_order(customer, warehouse, [(item, 5)], approve=True)
    line = confirmed.lines.get()
    login("Warehouse")
    url = reverse("sales:delivery-create", args=[confirmed.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {"date": str(timezone.localdate()), "warehouse": warehouse.pk, f"line_{line.pk}": "2"},
    )
    delivery = Delivery.objects.get()
    assert response.status_code == 302
    client.post(reverse("sales:delivery-ship", args=[delivery.pk]))
    delivery.refresh_from_db()
    assert delivery.status == "approved"
    line.refresh_from_db()
    assert line.delivered_quantity == Decimal("2")


def test_sales_may_not_ship_from_the_page(client, login, delivery):
    login("Sales")
    assert client.post(reverse("sales:delivery-ship", args=[delivery.pk])).status_code == 403
    assert Delivery.objects.get(pk=delivery.pk).status == "draft"


def test_order_and_delivery_print_as_pdf(client, login, order, delivery):
    login("Sales")
    response = client.get(reverse("sales:order-pdf", args=[order.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    response = client.get(reverse("sales:delivery-pdf", args=[delivery.pk]))
    assert response["Content-Type"] == "application/pdf"


def test_lists_export_to_excel(client, login, order, delivery):
    login("Sales")
    response = client.get(reverse("sales:order-export") + "?status=draft")
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    response = client.get(reverse("sales:delivery-export"))
    assert response["Content-Type"] == XLSX_CONTENT_TYPE


def test_create_and_edit_a_price_list(client, login, item):
    login("Sales")
    data = {
        "code": "RETAIL",
        "name": "Retail",
        "is_active": "on",
        "items-TOTAL_FORMS": "2",
        "items-INITIAL_FORMS": "0",
        "items-0-item": item.pk,
        "items-0-min_quantity": "0",
        "items-0-unit_price": "95",
        "items-1-item": item.pk,
        "items-1-min_quantity": "10",
        "items-1-unit_price": "90",
    }
    response = client.post(reverse("sales:price-list-create"), data)
    price_list = PriceList.objects.get()
    assert response.status_code == 302
    assert price_list.items.count() == 2
    detail = client.get(reverse("sales:price-list-detail", args=[price_list.pk]))
    assert detail.status_code == 200
    data["items-TOTAL_FORMS"] = "1"
    data["name"] = "Retail 2027"
    client.post(reverse("sales:price-list-edit", args=[price_list.pk]), data)
    price_list.refresh_from_db()
    assert price_list.name == "Retail 2027"
    assert price_list.items.count() == 1


def test_order_form_selects_say_what_an_empty_choice_means(client, login, order):
    login("Sales")
    page = client.get(reverse("sales:order-create")).text
    assert "Default price list" in page and "The item&#x27;s VAT code" in page
    edit = client.get(reverse("sales:order-edit", args=[order.pk]))
    line = edit.context["formset"].forms[0]
    assert (line["quantity"].value(), line["unit_price"].value()) == ("3", "100")


def test_irreversible_order_steps_ask_first(client, login, customer, warehouse, item):
    confirmed = make_order(customer, warehouse, [(item, 3)], approve=True)
    login("Sales")
    page = client.get(reverse("sales:order-detail", args=[confirmed.pk])).text
    assert 'data-testid="close">Close order</button>' in page
    assert page.count('onsubmit="return confirm(') == 3  # unconfirm, cancel, close


def test_delivery_form_offers_the_open_quantity_plainly(client, login, customer, warehouse, item):
    confirmed = make_order(customer, warehouse, [(item, 3)], approve=True)
    login("Warehouse")
    form = client.get(reverse("sales:delivery-create", args=[confirmed.pk])).context["form"]
    field = form[f"line_{confirmed.lines.get().pk}"]
    assert field.value() == "3"
    assert 'class="form-control form-control-sm text-end"' in str(field)


def test_shipped_delivery_shows_its_cost_and_leads_to_invoicing(client, login, delivery):
    services.delivery_approve(delivery=delivery, actor=None)
    url = reverse("sales:delivery-detail", args=[delivery.pk])
    invoice = f"{reverse('billing:invoice-create')}?partner={delivery.customer_id}"
    login("Sales")
    page = client.get(url).text
    assert "80.00" in page and "-80.00" not in page  # 2 at 40.00
    assert invoice not in page  # sales may not invoice
    login("Finance")
    page = client.get(url).text
    assert f'href="{invoice}&amp;delivery={delivery.pk}"' in page
    line = delivery.lines.get()
    assert reverse("stock:move-list", args=[line.item_id, delivery.warehouse_id]) in page


def test_list_pages_cost_the_same_queries_for_many_rows(
    client, login, books, customer, warehouse, item
):
    login("Admin")
    put_stock(item, warehouse)

    def one_of_each():
        confirmed = make_order(customer, warehouse, [(item, 2)], approve=True)
        services.delivery_create(
            sales_order=confirmed,
            lines=[{"sales_order_line": confirmed.lines.get(), "quantity": Decimal("1")}],
            date=timezone.localdate(),
        )

    def counts() -> list[int]:
        sizes = []
        for name in ("sales:order-list", "sales:delivery-list", "sales:price-list-list"):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(reverse(name)).status_code == 200
            sizes.append(len(queries))
        return sizes

    one_of_each()
    few = counts()
    for _ in range(6):
        one_of_each()
    assert counts() == few
