"""A row that is already bad never takes a list or a page down.

Rows written before the ERP bounded its numbers can hold amounts no column holds: SQLite keeps
whatever it is given (PostgreSQL refuses such a value on write, so there the case cannot arise).
Written here directly, past the services: every list page, detail page and API list and detail
of sales orders, purchase orders and invoices still answers 200, the amount shows as out of
range, and the document can still be voided.
"""

from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client

from common.testing import api_client, staff_user
from erp_core.billing import services as billing
from erp_core.billing.models import Invoice, InvoiceLine
from erp_core.billing.tests.factories import customer_invoice
from erp_core.purchasing import services as purchasing
from erp_core.purchasing.models import PurchaseOrderLine
from erp_core.purchasing.tests.helpers import draft_order, supplier_factory
from erp_core.sales import services as sales
from erp_core.sales.models import SalesOrderLine
from erp_core.sales.tests.helpers import make_order
from erp_core.tests.factories import ItemFactory, PartnerFactory, WarehouseFactory

HUGE = Decimal("999999999999")
#: 999,999,999,999 × 999,999,999,999: what an unbounded line once stored as its amount.
ABSURD = HUGE * HUGE

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _sqlite_only() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL refuses a value beyond its column when it is written")


def _spoil(line_model, **filters) -> None:
    """Write the absurd line straight into the table, as the unbounded code once did."""
    updated = line_model.objects.filter(**filters).update(
        quantity=HUGE, unit_price=HUGE, net_amount=ABSURD, gross_amount=ABSURD
    )
    assert updated


def _pages_render(user, urls: list[str]) -> list[str]:
    """GET every URL as ``user``; all 200. The page bodies, for the marker."""
    client = Client()
    client.force_login(user)
    bodies = []
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        bodies.append(response.content.decode())
    return bodies


def _api_answers(user, urls: list[str]) -> None:
    client = api_client(user)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code, response.content[:300])


def test_a_sales_order_with_an_absurd_line_still_lists_shows_and_voids() -> None:
    order = make_order(PartnerFactory(), WarehouseFactory(), [(ItemFactory(), 5)])
    good = make_order(PartnerFactory(), WarehouseFactory(), [(ItemFactory(), 5)])
    _spoil(SalesOrderLine, order=order)
    user = staff_user("Sales")
    listed, detail = _pages_render(user, ["/sales/orders/", f"/sales/orders/{order.pk}/"])
    assert good.number in listed
    assert "out of range" in detail
    _api_answers(user, ["/api/v1/erp/sales-orders/", f"/api/v1/erp/sales-orders/{order.pk}/"])
    voided = sales.sales_order_void(order=order, reason="entered wrong", actor=user)
    assert voided.status == "voided"


def test_a_purchase_order_with_an_absurd_line_still_lists_shows_and_voids() -> None:
    order = draft_order(
        supplier=supplier_factory(), warehouse=WarehouseFactory(), item=ItemFactory()
    )
    _spoil(PurchaseOrderLine, order=order)
    user = staff_user("Admin")
    _pages_render(user, ["/purchasing/orders/", f"/purchasing/orders/{order.pk}/"])
    _api_answers(user, ["/api/v1/erp/purchase-orders/", f"/api/v1/erp/purchase-orders/{order.pk}/"])
    voided = purchasing.purchase_order_void(order=order, reason="entered wrong", actor=user)
    assert voided.status == "voided"


def test_an_invoice_with_absurd_amounts_still_lists_shows_and_voids() -> None:
    invoice = customer_invoice()
    _spoil(InvoiceLine, invoice=invoice)
    Invoice.objects.filter(pk=invoice.pk).update(net_amount=ABSURD, gross_amount=ABSURD)
    user = staff_user("Finance")
    listed, _detail = _pages_render(
        user, ["/billing/invoices/", f"/billing/invoices/{invoice.pk}/"]
    )
    assert "out of range" in listed
    _api_answers(user, ["/api/v1/erp/invoices/", f"/api/v1/erp/invoices/{invoice.pk}/"])
    voided = billing.invoice_void(invoice=invoice, reason="entered wrong", actor=user)
    assert voided.status == "voided"
