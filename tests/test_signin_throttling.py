"""Password guessing on the sign-in pages is throttled (django-axes), per account and per
address, for staff and partner users alike; a lockout is logged and shown in the layout."""

import logging

import pytest
from django.urls import reverse

from common.testing import PartnerFactory, partner_user, staff_user
from erp_core.tests.factories import DEFAULT_PASSWORD

LIMIT = 5


def _sign_in(client, username: str, password: str, address: str = "10.0.0.1", url=None, **extra):
    return client.post(
        url or reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        **extra,
    )


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.django_db
def test_after_five_wrong_passwords_even_the_right_one_is_refused(client, settings, caplog):
    """The issue's probe: 20 wrong passwords, then the right one, used to sign in."""
    settings.AXES_FAILURE_LIMIT = LIMIT
    user = staff_user("Sales")
    for _ in range(LIMIT - 1):
        assert _sign_in(client, user.username, "wrong").status_code == 200
    with caplog.at_level(logging.WARNING, logger="axes"):
        locked = _sign_in(client, user.username, "wrong")
    assert locked.status_code == 429
    assert any(
        record.levelno == logging.WARNING and "Locking out" in record.getMessage()
        for record in caplog.records
    )
    response = _sign_in(client, user.username, DEFAULT_PASSWORD)
    assert response.status_code == 429
    assert not _signed_in(client)
    assert "Sign-in locked" in response.text
    assert "15 minutes" in response.text
    assert '<html lang="en">' in response.text  # the product's layout


@pytest.mark.django_db
def test_an_account_is_locked_from_every_address(client):
    user = staff_user("Sales")
    for n in range(LIMIT):
        _sign_in(client, user.username, "wrong", address=f"10.0.1.{n}")
    response = _sign_in(client, user.username, DEFAULT_PASSWORD, address="10.0.2.1")
    assert response.status_code == 429
    assert not _signed_in(client)


@pytest.mark.django_db
def test_an_address_guessing_many_accounts_is_locked(client):
    for n in range(LIMIT):
        _sign_in(client, f"nobody{n}", "wrong", address="10.0.3.1")
    user = staff_user("Sales")
    assert _sign_in(client, user.username, DEFAULT_PASSWORD, address="10.0.3.1").status_code == 429
    assert not _signed_in(client)
    # The same account from another address is not locked.
    response = _sign_in(client, user.username, DEFAULT_PASSWORD, address="10.0.4.1")
    assert response.status_code == 302
    assert _signed_in(client)


@pytest.mark.django_db
def test_a_success_resets_the_accounts_count(client):
    user = staff_user("Sales")
    for _ in range(LIMIT - 1):
        _sign_in(client, user.username, "wrong")
    assert _sign_in(client, user.username, DEFAULT_PASSWORD).status_code == 302
    client.logout()
    for _ in range(LIMIT - 1):
        _sign_in(client, user.username, "wrong", address="10.0.5.1")
    assert _sign_in(client, user.username, DEFAULT_PASSWORD, address="10.0.5.2").status_code == 302


@pytest.mark.django_db
def test_partner_users_sign_in_and_are_throttled_too(client):
    """Partners use the web (the portal) as well as the API: they sign in, within the limits."""
    user = partner_user(PartnerFactory())
    assert _sign_in(client, user.username, DEFAULT_PASSWORD).status_code == 302
    assert _signed_in(client)
    client.logout()
    for _ in range(LIMIT):
        _sign_in(client, user.username, "wrong", address="10.0.6.1")
    assert _sign_in(client, user.username, DEFAULT_PASSWORD, address="10.0.6.2").status_code == 429


@pytest.mark.django_db
def test_the_admin_sign_in_is_throttled(client):
    admin = staff_user("Admin", is_staff=True, is_superuser=True)
    url = reverse("admin:login")
    for _ in range(LIMIT):
        _sign_in(client, admin.username, "wrong", url=url)
    response = _sign_in(client, admin.username, DEFAULT_PASSWORD, url=url)
    assert response.status_code == 429
    assert not _signed_in(client)


@pytest.mark.django_db
def test_the_lockout_page_speaks_chinese(client):
    user = staff_user("Sales")
    for _ in range(LIMIT):
        _sign_in(client, user.username, "wrong")
    response = _sign_in(
        client, user.username, DEFAULT_PASSWORD, HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9"
    )
    assert response.status_code == 429
    assert "登录已锁定" in response.text
    assert "15 分钟" in response.text


@pytest.mark.django_db
def test_behind_a_proxy_the_forwarded_address_counts(client, settings):
    settings.LOGIN_PROXY_COUNT = 1
    for n in range(LIMIT):
        _sign_in(client, f"nobody{n}", "wrong", address="10.9.9.9", HTTP_X_FORWARDED_FOR="1.2.3.4")
    user = staff_user("Sales")
    other_client = _sign_in(
        client, user.username, DEFAULT_PASSWORD, address="10.9.9.9", HTTP_X_FORWARDED_FOR="5.6.7.8"
    )
    assert other_client.status_code == 302
