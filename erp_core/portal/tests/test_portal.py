"""The partner portal: a customer's or supplier's own user sees its partner's documents and
nothing else, downloads its statement and keeps its own API tokens."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from knox.models import AuthToken

from erp_core.billing.models import Invoice
from erp_core.demo import DEMO_TAG, demo_load
from erp_core.models import ApiTokenName, Partner, User
from erp_core.purchasing.models import PurchaseOrder
from erp_core.sales.models import Delivery, SalesOrder
from erp_core.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    demo_load()


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def customer(demo) -> Client:
    return _client(User.objects.get(username="customer-c001"))


@pytest.fixture
def supplier(demo) -> Client:
    return _client(User.objects.get(username="supplier-s001"))


def test_a_partner_user_lands_on_its_portal_with_its_orders_and_promised_dates(customer):
    response = customer.get("/", follow=True)
    assert response.redirect_chain[-1][0] == reverse("portal:home")
    order = SalesOrder.objects.filter(customer__code="C001").exclude(status="draft").first()
    assert order is not None
    assert order.number in response.text
    detail = customer.get(reverse("portal:sales-order-detail", args=[order.pk]))
    assert detail.status_code == 200
    if order.promised_date:
        assert 'data-testid="promised-date"' in detail.text
    for delivery in Delivery.objects.filter(customer__code="C001", status="approved"):
        assert delivery.number in response.text
    invoice = Invoice.objects.filter(partner__code="C001", status="approved").first()
    if invoice is not None:
        assert invoice.number in response.text
        pdf = customer.get(reverse("portal:invoice-pdf", args=[invoice.pk]))
        assert pdf["Content-Type"] == "application/pdf"


def test_a_partner_user_never_sees_staff_fields(customer):
    text = customer.get(reverse("portal:home")).text
    order = SalesOrder.objects.filter(customer__code="C001").exclude(status="draft").first()
    text += customer.get(reverse("portal:sales-order-detail", args=[order.pk])).text
    assert DEMO_TAG not in text  # the demo's internal memos
    assert "Created by" not in text
    assert "Approved by" not in text


def test_another_partners_documents_are_not_found(demo):
    other = Partner.objects.get(code="C002")
    client = _client(UserFactory(roles=[], partner=other))
    order = SalesOrder.objects.filter(customer__code="C001").exclude(status="draft").first()
    assert client.get(reverse("portal:sales-order-detail", args=[order.pk])).status_code == 404
    invoice = Invoice.objects.filter(partner__code="C001").first()
    if invoice is not None:
        assert client.get(reverse("portal:invoice-pdf", args=[invoice.pk])).status_code == 404
    purchase = PurchaseOrder.objects.filter(supplier__code="S001").first()
    response = client.get(reverse("portal:purchase-order-detail", args=[purchase.pk]))
    assert response.status_code == 404


def test_a_supplier_sees_its_purchase_orders_receipts_and_bills(supplier):
    text = supplier.get(reverse("portal:home")).text
    assert 'data-testid="portal-purchase-orders"' in text
    assert 'data-testid="portal-sales-orders"' not in text
    visible = PurchaseOrder.objects.filter(supplier__code="S001").exclude(status="draft")
    for order in visible.exclude(status="voided"):
        assert order.number in text
        opened = supplier.get(reverse("portal:purchase-order-detail", args=[order.pk]))
        assert opened.status_code == 200


def test_staff_do_not_get_the_portal(client, demo):
    client.force_login(User.objects.get(username="sales"))
    assert client.get(reverse("portal:home")).status_code == 403
    assert reverse("portal:home") not in client.get("/").text


def test_the_statement_is_the_users_own_partners_whatever_is_asked(customer):
    today = timezone.localdate()
    period = {"date_from": f"{today.year}-01-01", "date_to": today.isoformat()}
    page = customer.get(reverse("portal:statement"), period)
    assert page.status_code == 200
    assert page.context["report"].partner.code == "C001"
    sneaky = customer.get(reverse("portal:statement-pdf"), {**period, "partner": "C002"})
    assert sneaky["Content-Type"] == "application/pdf"
    assert "C001" in sneaky["Content-Disposition"]
    sheet = customer.get(reverse("portal:statement-export"), period)
    assert sheet.status_code == 200
    assert "spreadsheetml" in sheet["Content-Type"]


def test_a_partner_makes_lists_uses_and_revokes_its_own_tokens(customer):
    user = User.objects.get(username="customer-c001")
    until = timezone.localdate() + dt.timedelta(days=30)
    made = customer.post(reverse("portal:tokens"), {"name": "ERP link", "expires_on": until})
    assert made.status_code == 200
    plain = made.context["plain"]
    assert plain and plain in made.text
    token = AuthToken.objects.get(user=user)
    assert ApiTokenName.objects.get(token=token).name == "ERP link"
    assert timezone.localtime(token.expiry).date() == until + dt.timedelta(days=1)
    listed = customer.get(reverse("portal:tokens"))
    assert "ERP link" in listed.text
    assert plain not in listed.text  # shown once
    api = Client(HTTP_AUTHORIZATION=f"Token {plain}")
    assert api.get("/api/v1/erp/sales-orders/").status_code == 200
    revoked = customer.post(reverse("portal:token-revoke", args=[token.token_key]))
    assert revoked.status_code == 302
    assert api.get("/api/v1/erp/sales-orders/").status_code == 401


def test_a_token_needs_a_name_and_a_date_ahead_and_another_users_is_not_found(customer, demo):
    today = timezone.localdate()
    refused = customer.post(reverse("portal:tokens"), {"name": "x", "expires_on": today})
    assert refused.context["form"].errors["expires_on"]
    too_long = customer.post(
        reverse("portal:tokens"), {"name": "x", "expires_on": today + dt.timedelta(days=400)}
    )
    assert too_long.context["form"].errors["expires_on"]
    assert not AuthToken.objects.filter(user__username="customer-c001").exists()
    other = User.objects.get(username="supplier-s001")
    theirs, _plain = AuthToken.objects.create(user=other)
    response = customer.post(reverse("portal:token-revoke", args=[theirs.token_key]))
    assert response.status_code == 404
    assert AuthToken.objects.filter(pk=theirs.pk).exists()


def test_the_portal_speaks_chinese(customer):
    with translation.override("zh-hans"):
        text = customer.get(reverse("portal:tokens"), HTTP_ACCEPT_LANGUAGE="zh-hans").text
    assert "API 令牌" in text
