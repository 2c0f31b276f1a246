"""A document waiting on another role says who, in words, on its page."""

import pytest
from django.utils import translation

from erp_core.billing.models import Invoice
from erp_core.demo import demo_load
from erp_core.models import User
from erp_core.production.models import ProductionOrder
from erp_core.purchasing.models import PurchaseOrder, PurchaseReceipt
from erp_core.sales.models import Delivery, SalesOrder


def test_a_delivery_saved_by_sales_waits_for_the_warehouse_to_ship():
    assert Delivery(status="draft").waiting_on == "Waiting for the warehouse to ship"
    with translation.override("zh-hans"):
        assert str(Delivery(status="draft").waiting_on) == "等待仓库发货"
    assert Delivery(status="approved").waiting_on is None


@pytest.mark.parametrize(
    ("document", "who"),
    [
        (SalesOrder(status="approved"), "Waiting for the warehouse to ship"),
        (PurchaseOrder(status="approved"), "Waiting for the warehouse to receive"),
        (PurchaseReceipt(status="draft"), "Waiting for the warehouse to book the receipt"),
        (ProductionOrder(status="released"), "Waiting for the shop floor to report"),
        (ProductionOrder(status="done"), "Waiting for finance to close"),
        (Invoice(status="draft"), "Waiting for finance to post"),
    ],
)
def test_each_hand_off_names_the_role_it_waits_for(document, who):
    assert document.waiting_on == who


@pytest.mark.django_db
def test_the_detail_page_says_who_the_document_waits_for(client):
    demo_load()
    order = SalesOrder.objects.filter(status="approved").first()
    client.force_login(User.objects.get(username="sales"))
    response = client.get(f"/sales/orders/{order.pk}/")
    assert response.status_code == 200
    assert 'data-testid="waiting-on"' in response.text
    assert "Waiting for the warehouse to ship" in response.text


@pytest.mark.django_db
def test_a_partner_user_lands_on_its_portal_not_on_an_empty_home(client):
    demo_load()
    client.force_login(User.objects.get(username="customer-c001"))
    assert client.get("/")["Location"] == "/portal/"
