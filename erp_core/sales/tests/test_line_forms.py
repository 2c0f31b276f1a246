"""The lines of the sales order form as the server takes them: rows added and removed in the
browser arrive renumbered with TOTAL_FORMS saying how many; the page carries what the script
needs (the empty row to copy, the on-hand address, the VAT rates, the separators)."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from common.testing import staff_user
from erp_core.sales import services
from erp_core.sales.models import SalesOrder
from erp_core.sales.tests.helpers import make_order, put_stock

pytestmark = pytest.mark.django_db


def _head(customer, warehouse, total: int, initial: int = 0) -> dict:
    return {
        "customer": customer.pk,
        "warehouse": warehouse.pk,
        "date": str(timezone.localdate()),
        "lines-TOTAL_FORMS": str(total),
        "lines-INITIAL_FORMS": str(initial),
        "lines-MIN_NUM_FORMS": "1",
        "lines-MAX_NUM_FORMS": "200",
    }


def _row(n: int, item, quantity: str, price: str = "") -> dict:
    return {
        f"lines-{n}-item": item.pk,
        f"lines-{n}-quantity": quantity,
        f"lines-{n}-unit_price": price,
    }


def test_the_form_carries_what_the_lines_script_needs(client, vat13):
    client.force_login(staff_user("Sales"))
    body = client.get(reverse("sales:order-create")).content.decode()
    assert "data-line-formset" in body and 'data-prefix="lines"' in body
    assert "<template data-line-template>" in body and "lines-__prefix__-item" in body
    assert f'data-on-hand-url="{reverse("stock:on-hand", args=[0])}"' in body
    vat13.refresh_from_db()
    assert f'data-rate="{vat13.rate}"' in body
    assert 'data-thousand-separator=","' in body and 'data-decimal-separator="."' in body
    assert "js/lines.js" in body
    # Without the script the server's rows still submit: four of them, the first required.
    assert body.count('name="lines-TOTAL_FORMS" value="4"') == 1


def test_posting_many_rows_saves_them_in_order(client, customer, warehouse, item, other_item):
    client.force_login(staff_user("Sales"))
    data = _head(customer, warehouse, 6)
    for n in range(6):
        data.update(_row(n, item if n % 2 else other_item, str(n + 1), "10"))
    response = client.post(reverse("sales:order-create"), data)
    assert response.status_code == 302
    order = SalesOrder.objects.get()
    assert [line.quantity for line in order.lines.order_by("line_no")] == [
        Decimal(n + 1) for n in range(6)
    ]


def test_a_row_removed_in_the_browser_is_not_saved(client, customer, warehouse, item, other_item):
    """Three rows were added, the middle one removed: the script renumbered the last to 1 and
    set TOTAL_FORMS to 2."""
    client.force_login(staff_user("Sales"))
    data = _head(customer, warehouse, 2)
    data.update(_row(0, item, "1", "10"))
    data.update(_row(1, other_item, "3", "10"))
    data["lines-2-item"] = item.pk  # a stale field past TOTAL_FORMS is never read
    data["lines-2-quantity"] = "99"
    response = client.post(reverse("sales:order-create"), data)
    assert response.status_code == 302
    order = SalesOrder.objects.get()
    assert [(line.item_id, line.quantity) for line in order.lines.order_by("line_no")] == [
        (item.pk, Decimal("1")),
        (other_item.pk, Decimal("3")),
    ]


def test_removing_a_saved_line_on_the_edit_page_drops_it(
    client, customer, warehouse, item, other_item
):
    order = make_order(customer, warehouse, [(item, 1), (other_item, 2), (item, 3)])
    client.force_login(staff_user("Sales"))
    page = client.get(reverse("sales:order-edit", args=[order.pk]))
    assert page.context["formset"].total_form_count() == 6  # three saved + three empty
    data = _head(customer, warehouse, 2, initial=3)  # the second saved line removed
    data["revision"] = str(order.revision)
    data.update(_row(0, item, "1"))
    data.update(_row(1, item, "3"))
    response = client.post(reverse("sales:order-edit", args=[order.pk]), data)
    assert response.status_code == 302, response.context["formset"].errors
    assert [line.quantity for line in order.lines.order_by("line_no")] == [
        Decimal("1"),
        Decimal("3"),
    ]


def test_removing_every_row_is_refused_and_nothing_is_written(client, customer, warehouse):
    client.force_login(staff_user("Sales"))
    response = client.post(reverse("sales:order-create"), _head(customer, warehouse, 0))
    assert response.status_code == 200
    assert response.context["formset"].non_form_errors()
    assert not SalesOrder.objects.exists()


def test_more_rows_than_the_maximum_are_refused(client, customer, warehouse, item):
    client.force_login(staff_user("Sales"))
    data = _head(customer, warehouse, 201)
    for n in range(201):
        data.update(_row(n, item, "1", "1"))
    response = client.post(reverse("sales:order-create"), data)
    assert response.status_code == 200
    assert not SalesOrder.objects.exists()


def test_a_shipped_delivery_leads_to_the_stock_adjustment(client, books, customer, warehouse, item):
    """The refusal to take a shipment back says to book a stock adjustment: the page links to it
    for those who may book one, and says who does for the others."""
    put_stock(item, warehouse)
    order = make_order(customer, warehouse, [(item, 3)], approve=True)
    delivery = services.delivery_create(
        sales_order=order,
        lines=[{"sales_order_line": order.lines.get(), "quantity": Decimal("2")}],
        date=timezone.localdate(),
    )
    services.delivery_approve(delivery=delivery, actor=None)
    url = reverse("sales:delivery-detail", args=[delivery.pk])
    adjustment = reverse("stock:adjustment-create")
    client.force_login(staff_user("Warehouse"))
    page = client.get(url).text
    assert f'href="{adjustment}?warehouse={delivery.warehouse_id}&amp;direction=in' in page
    form = client.get(
        adjustment,
        {"warehouse": delivery.warehouse_id, "direction": "in", "reason": "Came back"},
    )
    assert form.status_code == 200
    assert form.context["form"].initial["reason"] == "Came back"
    client.force_login(staff_user("Sales"))
    page = client.get(url).text
    assert adjustment not in page
    assert "The warehouse or finance books the stock adjustment." in page
