"""Error pages (400, 403, 404, 500) in the product's layout and the reader's language; the API
keeps its JSON bodies; the admin names the product."""

import re

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db import OperationalError, connection
from django.test import Client, RequestFactory
from django.urls import reverse

from common.testing import staff_user
from config.errors import handler400, handler403
from erp_core import worklist

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _main_text(html: str) -> str:
    """The visible words of the page's <main> (tags, scripts and entities dropped)."""
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    return re.sub(r"<[^>]+>|&[a-z]+;", " ", main.split(">", 1)[1])


def _assert_layout(response, status: int) -> None:
    assert response.status_code == status
    assert "navbar-zt" in response.text
    assert 'data-testid="error-page"' in response.text
    assert 'data-testid="home-link"' in response.text
    assert f'href="{reverse("erp_core:home")}"' in response.text


def _assert_chinese_only(response) -> None:
    assert '<html lang="zh-hans">' in response.text
    words = re.findall(r"[A-Za-z]{2,}", _main_text(response.text))
    assert words == [], f"English on the Chinese page: {words}"
    title = response.text.split("<title>", 1)[1].split("</title>", 1)[0]
    assert not re.search(r"[A-Za-z]{2,}", title), title


@pytest.fixture
def admin_client():
    client = Client()
    client.force_login(staff_user("Admin"))
    return client


@pytest.mark.django_db
def test_an_unknown_page_is_a_404_in_the_layout_with_the_menu(admin_client):
    response = admin_client.get("/no-such-page/", **EN)
    _assert_layout(response, 404)
    assert "Page not found" in response.text
    assert 'data-module="erp"' in response.text  # the user's menu


@pytest.mark.django_db
def test_the_chinese_404_has_no_english(admin_client):
    response = admin_client.get("/no-such-page/", **ZH)
    _assert_layout(response, 404)
    assert "页面不存在" in response.text and "返回首页" in response.text
    _assert_chinese_only(response)


@pytest.mark.django_db
@pytest.mark.parametrize("root", ["/mes/no-such-page/", "/crm/no-such-page/"])
def test_a_module_page_that_does_not_exist_answers_the_products_404(admin_client, root):
    response = admin_client.get(root, **ZH)
    _assert_layout(response, 404)
    _assert_chinese_only(response)


@pytest.mark.django_db
def test_a_page_outside_the_users_roles_is_a_403_in_the_layout(client):
    client.force_login(staff_user("Sales"))
    response = client.get(reverse("ledger:account-tree"), **EN)
    _assert_layout(response, 403)
    assert "You may not open this page" in response.text
    assert "403 Forbidden" not in response.text
    assert 'data-module="erp"' in response.text

    chinese = client.get(reverse("ledger:account-tree"), **ZH)
    _assert_layout(chinese, 403)
    assert "您无权打开此页面" in chinese.text
    _assert_chinese_only(chinese)


@pytest.mark.django_db
def test_a_bad_request_is_a_400_in_the_layout():
    response = Client().get("/", HTTP_HOST="evil.example", **ZH)
    _assert_layout(response, 400)
    _assert_chinese_only(response)


@pytest.mark.django_db
def test_a_crash_is_a_500_in_the_layout_with_the_menu(admin_client, monkeypatch):
    def crash(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(worklist, "work_for", crash)
    monkeypatch.setattr("erp_core.views.work_for", crash)
    admin_client.raise_request_exception = False
    response = admin_client.get(reverse("erp_core:home"), **ZH)
    _assert_layout(response, 500)
    assert "系统出错了" in response.text and "secret" not in response.text
    assert 'data-module="erp"' in response.text
    _assert_chinese_only(response)


@pytest.mark.django_db
def test_the_500_page_renders_when_the_database_is_down(admin_client):
    def database_down(execute, sql, params, many, context):
        raise OperationalError("could not connect to server")

    admin_client.raise_request_exception = False
    with connection.execute_wrapper(database_down):
        response = admin_client.get(reverse("erp_core:home"), **ZH)
    _assert_layout(response, 500)
    assert "系统出错了" in response.text
    assert "data-module" not in response.text  # no menu: it would need the database
    _assert_chinese_only(response)


@pytest.mark.django_db
def test_the_api_keeps_its_json_error_bodies(admin_client):
    response = admin_client.get("/api/v1/no-such-resource/", **ZH)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "not_found"


def test_api_403_and_400_answer_json():
    request = RequestFactory().get("/api/v1/erp/partners/")
    forbidden = handler403(request, PermissionDenied())
    assert forbidden.status_code == 403 and forbidden["Content-Type"] == "application/json"
    bad = handler400(request, SuspiciousOperation())
    assert bad.status_code == 400 and bad["Content-Type"] == "application/json"


@pytest.mark.django_db
def test_the_admin_names_the_product_in_the_readers_language(client):
    english = client.get(reverse("admin:login"), **EN)
    assert "Zhongtai administration" in english.text
    assert "Django administration" not in english.text

    chinese = client.get(reverse("admin:login"), **ZH)
    assert "中台 管理后台" in chinese.text
    assert "Django 管理" not in chinese.text
