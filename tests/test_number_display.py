"""One way to show numbers: the filters in English and Chinese, and real pages that use them."""

import re
from decimal import Decimal

import pytest
from django.template import engines
from django.urls import reverse
from django.utils import translation

from common.templatetags.numbers import hours, money, number, percent, price, qty, weekdays
from erp_core.billing.models import Invoice
from erp_core.demo import demo_load
from erp_core.production.models import ProductionOrder
from erp_core.sales.models import SalesOrder
from erp_core.stock.models import StockBalance
from erp_core.tests.factories import UserFactory

D = Decimal
LANGUAGES = ["en", "zh-hans"]
# A Decimal printed as stored: four or more decimals ending in zeros ("240.000000").
RAW_DECIMAL = re.compile(r"\b\d+\.\d*0{3,}\b")


@pytest.mark.parametrize("language", LANGUAGES)
def test_money_groups_thousands_with_two_decimals(language):
    with translation.override(language):
        assert money(D("377874.420000000")) == "377,874.42"
        assert money(D("4760")) == "4,760.00"
        assert money(D("-1234.565")) == "-1,234.57"
        assert money(D("-0.001")) == "0.00"
        assert money(1234567) == "1,234,567.00"
        assert money(None) == "—"
        assert money("not a number") == "—"


@pytest.mark.parametrize("language", LANGUAGES)
def test_qty_drops_trailing_zeros_and_keeps_grouping(language):
    with translation.override(language):
        assert qty(D("240.000000")) == "240"
        assert qty(D("2380")) == "2,380"
        assert qty(D("12345.500000")) == "12,345.5"
        assert qty(D("0.1234567")) == "0.123457"
        assert qty(D("-3.250")) == "-3.25"
        assert qty(D("0E-6")) == "0"
        assert qty(D("2.5"), 3) == "2.500"
        assert qty(None) == "—"


@pytest.mark.parametrize("language", LANGUAGES)
def test_price_hours_and_percent(language):
    with translation.override(language):
        assert price(D("12.500000")) == "12.50"
        assert price(D("0.012500")) == "0.0125"
        assert price(D("4760")) == "4,760.00"
        assert hours(D("3.583335")) == "3.58"
        assert hours(D("8")) == "8.00"
        assert percent(D("5.00")) == "5"
        assert percent(D("12.50")) == "12.5"
        assert percent(D("0.13"), "fraction") == "13"
        assert percent(None) == "—"


def test_number_formats_decimals_and_leaves_other_values():
    assert number(D("146.717000")) == "146.717"
    assert number(D("0")) == "0"
    assert number("draft") == "draft"
    assert number(None) is None


def test_weekdays_by_name_in_english():
    with translation.override("en"):
        assert weekdays("1111100") == "Mon–Fri"
        assert weekdays("1111110") == "Mon–Sat"
        assert weekdays("1010100") == "Mon, Wed, Fri"
        assert weekdays("1100011") == "Mon, Tue, Sat, Sun"
        assert weekdays("1111111") == "Every day"
        assert weekdays("0000000") == "No working days"
        assert weekdays("bogus") == "bogus"


def test_weekdays_by_name_in_chinese():
    with translation.override("zh-hans"):
        assert weekdays("1111100") == "周一至周五"
        assert weekdays("1111110") == "周一至周六"
        assert weekdays("1010100") == "周一、周三、周五"
        assert weekdays("1111111") == "每天"


def test_the_filters_load_in_a_template():
    template = engines["django"].from_string(
        "{% load numbers %}{{ a|money }} {{ q|qty }} {{ h|hours }} {{ w|weekdays }}"
    )
    with translation.override("zh-hans"):
        text = template.render({"a": D("4760"), "q": D("240.000000"), "h": D(8), "w": "1111100"})
    assert text == "4,760.00 240 8.00 周一至周五"


@pytest.fixture
def demo_client(client):
    demo_load()
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    return client


def _page(client, url: str, language: str) -> str:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, url
    assert not RAW_DECIMAL.findall(response.text), (url, RAW_DECIMAL.findall(response.text))
    return response.text


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_real_pages_show_formatted_numbers(demo_client, language):
    with translation.override(language):
        order = SalesOrder.objects.exclude(lines=None).order_by("pk").first()
        text = _page(demo_client, reverse("sales:order-detail", args=[order.pk]), language)
        line = order.lines.order_by("pk").first()
        assert f"{line.net_amount:,.2f}" in text
        assert qty(line.quantity) in text

        invoice = Invoice.objects.order_by("pk").first()
        text = _page(demo_client, reverse("billing:invoice-detail", args=[invoice.pk]), language)
        assert f"{invoice.gross_amount:,.2f}" in text

        text = _page(demo_client, reverse("stock:balance-list"), language)
        balance = StockBalance.objects.exclude(quantity=0).order_by("pk").first()
        assert f"{balance.value:,.2f}" in text
        assert qty(balance.quantity) in text

        production = ProductionOrder.objects.order_by("pk").first()
        text = _page(
            demo_client, reverse("production:order-detail", args=[production.pk]), language
        )
        assert f">{qty(production.quantity)}" in text or f" {qty(production.quantity)}" in text

        text = _page(demo_client, reverse("erp_core:work-center-list"), language)
        assert ("Mon–Fri" if language == "en" else "周一至周五") in text
        assert "1111100</td>" not in text


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_lines_script_is_told_the_separators_money_uses(language):
    """The running total of a document form groups its digits as ``money`` does."""
    with translation.override(language):
        attrs = engines["django"].from_string("{% load numbers %}{% number_format_attrs %}")
        attrs = attrs.render({})
        shown = money(Decimal("1234567.5"))
    assert shown == "1,234,567.50"
    assert attrs == (
        'data-decimal-separator="." data-thousand-separator="," data-number-grouping="3"'
    )
