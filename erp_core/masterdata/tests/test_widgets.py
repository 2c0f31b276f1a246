"""The shared widgets: searching selects (their options endpoints, rendering only the chosen
option) and date pickers."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from common.widgets import SearchSelect
from erp_core.models import Item, Partner
from erp_core.purchasing.forms import OrderLineForm
from erp_core.sales.forms import OrderForm
from erp_core.tests.factories import ItemFactory, PartnerFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def planner(client):
    user = UserFactory(roles=["Planner"])
    client.force_login(user)
    return user


def _texts(response) -> list[str]:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return [option["text"] for option in response.json()["results"]]


def test_item_options_search_code_name_and_pinyin_initials_of_active_items(client, planner):
    ItemFactory(code="RM-STEEL", name="钢板料", pinyin_initials="GBL")
    ItemFactory(code="RM-OLD", name="旧钢板", pinyin_initials="JGB", is_active=False)
    ItemFactory(code="SV-FIX", name="维修服务", item_type=Item.ItemType.SERVICE)
    url = reverse("erp_core:item-options")
    assert _texts(client.get(url, {"q": "gbl"})) == ["RM-STEEL 钢板料"]
    assert _texts(client.get(url, {"q": "钢板"})) == ["RM-STEEL 钢板料"]  # not the inactive one
    assert "SV-FIX 维修服务" in _texts(client.get(url))
    assert "SV-FIX 维修服务" not in _texts(client.get(url, {"stocked": "1"}))


def test_item_options_are_capped_and_cost_the_same_queries_whatever_the_catalogue(client, planner):
    url = reverse("erp_core:item-options")
    ItemFactory.create_batch(3)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    ItemFactory.create_batch(60)
    with CaptureQueriesContext(connection) as many:
        assert len(_texts(client.get(url))) == 50
    assert len(many) == len(few)


def test_partner_options_keep_the_role_asked_for(client, planner):
    PartnerFactory(code="C-1", name="Customer", kind=Partner.Kind.CUSTOMER)
    PartnerFactory(code="S-1", name="Supplier", kind=Partner.Kind.SUPPLIER)
    PartnerFactory(code="B-1", name="Both", kind=Partner.Kind.BOTH)
    url = reverse("erp_core:partner-options")
    assert _texts(client.get(url, {"role": "supplier"})) == ["B-1 Both", "S-1 Supplier"]
    assert _texts(client.get(url, {"role": "customer"})) == ["B-1 Both", "C-1 Customer"]


def test_options_need_sign_in_and_the_view_permission(client):
    url = reverse("erp_core:item-options")
    assert client.get(url).status_code == 302
    client.force_login(UserFactory(roles=[]))
    refused = client.get(url)
    assert refused.status_code == 403
    assert "items" in refused.json()["detail"]  # the picker shows why, not an empty list
    assert client.get(reverse("erp_core:partner-options")).status_code == 403
    client.force_login(UserFactory(roles=["Planner"]))
    assert client.post(url).status_code == 405


@pytest.mark.parametrize("role", ["Sales", "Planner", "Shop floor", "Warehouse", "Finance"])
def test_every_staff_role_searches_the_items_picker(client, role):
    # Each works on a form with an item (an order line, a material issued, a count).
    client.force_login(UserFactory(roles=[role]))
    assert client.get(reverse("erp_core:item-options"), {"q": ""}).status_code == 200


@pytest.mark.parametrize("role", ["Sales", "Planner", "Warehouse", "Finance"])
def test_the_roles_whose_forms_name_a_partner_search_the_partners_picker(client, role):
    client.force_login(UserFactory(roles=[role]))
    assert client.get(reverse("erp_core:partner-options"), {"q": ""}).status_code == 200


def test_the_widget_renders_only_the_chosen_option_in_one_query():
    ItemFactory.create_batch(30)
    chosen = ItemFactory(code="ZZ-CHOSEN", name="Chosen")
    form = OrderLineForm(initial={"item": chosen.pk}, prefix="lines-0")
    assert isinstance(form.fields["item"].widget, SearchSelect)
    with CaptureQueriesContext(connection) as queries:
        html = str(form["item"])
    assert len(queries) == 1
    assert html.count("<option") == 2  # the empty choice and the chosen item
    assert "selected>ZZ-CHOSEN Chosen</option>" in html
    assert f'data-search-url="{reverse("erp_core:item-options")}"' in html


def test_the_widget_validates_against_the_fields_queryset_not_the_rendered_options():
    item = ItemFactory()
    inactive = ItemFactory(is_active=False)
    assert OrderLineForm({"item": item.pk, "quantity": "1"}).is_valid()
    form = OrderLineForm({"item": inactive.pk, "quantity": "1"})
    assert not form.is_valid() and "item" in form.errors
    assert "<option" in str(form["item"])  # a refused value renders without error


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_date_pickers_carry_iso_dates_in_every_language(language):
    with translation.override(language):
        html = str(OrderForm(initial={"date": dt.date(2026, 11, 26)})["date"])
    assert 'type="date"' in html
    assert 'value="2026-11-26"' in html
