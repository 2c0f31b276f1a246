"""API tokens: issued by service, command or admin action; hashed; expire; revoked by deletion."""

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone
from knox.models import AuthToken
from knox.settings import knox_settings
from rest_framework.test import APIClient

from common.testing import PartnerFactory, UserFactory, assert_error_body, partner_user
from erp_core.tokens import api_token_issue, api_token_revoke_all

URL = "/api/v1/erp/partners/"


def _client(token: str) -> APIClient:
    """A client sending ``token``."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


@pytest.mark.django_db
def test_issued_token_authenticates_and_is_stored_hashed():
    """The plain token works, carries the prefix, and only its digest is in the database."""
    partner = PartnerFactory()
    user = partner_user(partner)
    instance, token = api_token_issue(user=user, days=None, actor=None)
    assert token.startswith("zt_")
    stored = AuthToken.objects.get(pk=instance.pk)
    assert token not in (stored.digest, stored.token_key)
    assert stored.token_key == token[: len(stored.token_key)]
    response = _client(token).get(URL)
    assert response.status_code == 200, response.content
    assert [row["id"] for row in response.json()["results"]] == [partner.pk]


@pytest.mark.django_db
def test_default_lifetime_is_token_ttl_and_days_override_it():
    """Without days the expiry is TOKEN_TTL away; with days it is that many days away."""
    user = UserFactory()
    default, _token = api_token_issue(user=user, days=None, actor=None)
    short, _token = api_token_issue(user=user, days=3, actor=None)
    now = timezone.now()
    assert abs(default.expiry - (now + knox_settings.TOKEN_TTL)) < timedelta(minutes=1)
    assert abs(short.expiry - (now + timedelta(days=3))) < timedelta(minutes=1)


@pytest.mark.django_db
def test_zero_days_and_inactive_users_are_refused():
    """A token lives at least a day, and inactive users get none."""
    with pytest.raises(ValidationError):
        api_token_issue(user=UserFactory(), days=0, actor=None)
    with pytest.raises(ValidationError):
        api_token_issue(user=UserFactory(is_active=False), days=None, actor=None)


@pytest.mark.django_db
def test_expired_token_is_401_json():
    """Past its expiry a token is refused with the JSON error body (and knox deletes it)."""
    instance, token = api_token_issue(user=partner_user(PartnerFactory()), days=1, actor=None)
    AuthToken.objects.filter(pk=instance.pk).update(expiry=timezone.now() - timedelta(seconds=1))
    response = _client(token).get(URL)
    assert_error_body(response, 401, "authentication_failed")
    assert response["WWW-Authenticate"] == "Token"
    assert not AuthToken.objects.filter(pk=instance.pk).exists()


@pytest.mark.django_db
def test_revoked_token_is_401():
    """Revoking deletes every token of the user; they stop working at once."""
    user = partner_user(PartnerFactory())
    _a, first = api_token_issue(user=user, days=None, actor=None)
    _b, second = api_token_issue(user=user, days=None, actor=None)
    other = UserFactory()
    api_token_issue(user=other, days=None, actor=None)
    assert _client(first).get(URL).status_code == 200
    assert api_token_revoke_all(user=user) == 2
    assert_error_body(_client(first).get(URL), 401, "authentication_failed")
    assert_error_body(_client(second).get(URL), 401, "authentication_failed")
    assert AuthToken.objects.filter(user=other).count() == 1


@pytest.mark.django_db
def test_unknown_token_is_401():
    """A made-up token is refused."""
    assert_error_body(_client("zt_" + "0" * 64).get(URL), 401, "authentication_failed")


@pytest.mark.django_db
def test_token_of_a_deactivated_user_is_401():
    """Deactivating a user shuts its tokens out."""
    user = partner_user(PartnerFactory())
    _instance, token = api_token_issue(user=user, days=None, actor=None)
    user.is_active = False
    user.save()
    assert_error_body(_client(token).get(URL), 401, "authentication_failed")


@pytest.mark.django_db
def test_issue_and_revoke_commands():
    """issue_api_token prints only the token on stdout; revoke_api_tokens deletes them."""
    user = partner_user(PartnerFactory(), username="edi-bot")
    out, err = StringIO(), StringIO()
    call_command("issue_api_token", "edi-bot", "--days", "7", stdout=out, stderr=err)
    token = out.getvalue().strip()
    assert token.startswith("zt_")
    assert "shown only once" in err.getvalue()
    instance = AuthToken.objects.get(user=user)
    assert abs(instance.expiry - (timezone.now() + timedelta(days=7))) < timedelta(minutes=1)
    assert _client(token).get(URL).status_code == 200

    out = StringIO()
    call_command("revoke_api_tokens", "edi-bot", stdout=out)
    assert "Revoked 1 token(s)" in out.getvalue()
    assert_error_body(_client(token).get(URL), 401)


@pytest.mark.django_db
def test_commands_refuse_unknown_users_and_bad_days():
    """Clear errors instead of tracebacks."""
    with pytest.raises(CommandError, match="No user"):
        call_command("issue_api_token", "nobody", stdout=StringIO(), stderr=StringIO())
    with pytest.raises(CommandError, match="No user"):
        call_command("revoke_api_tokens", "nobody", stdout=StringIO())
    UserFactory(username="someone")
    with pytest.raises(CommandError, match="at least one day"):
        call_command("issue_api_token", "someone", "--days", "0", stdout=StringIO())


@pytest.mark.django_db
def test_admin_action_issues_a_token_shown_once_in_a_message():
    """The user admin's action issues a working token and shows it in a message."""
    admin = UserFactory(is_staff=True, is_superuser=True)
    target = partner_user(PartnerFactory())
    client = Client()
    client.force_login(admin)
    response = client.post(
        "/admin/erp_core/user/",
        {"action": "issue_api_token", "_selected_action": [target.pk]},
        follow=True,
    )
    assert response.status_code == 200
    texts = [str(m) for m in get_messages(response.wsgi_request)] or [
        str(m) for m in response.context["messages"]
    ]
    token = next(t.rsplit(" ", 1)[-1] for t in texts if "shown only once" in t)
    assert AuthToken.objects.filter(user=target).count() == 1
    assert _client(token).get(URL).status_code == 200


@pytest.mark.django_db
def test_admin_pages_for_users_and_partners_open_with_history():
    """User and partner admin lists, filters, search and history pages render."""
    admin = UserFactory(is_staff=True, is_superuser=True)
    partner = PartnerFactory()
    client = Client()
    client.force_login(admin)
    assert (
        client.get(
            "/admin/erp_core/user/", {"q": "user", "partner__id__exact": partner.pk}
        ).status_code
        == 200
    )
    assert (
        client.get("/admin/erp_core/partner/", {"q": partner.code, "kind": "customer"}).status_code
        == 200
    )
    assert client.get(f"/admin/erp_core/partner/{partner.pk}/history/").status_code == 200
    assert client.get(f"/admin/erp_core/user/{admin.pk}/history/").status_code == 200
    assert client.get("/admin/erp_core/idempotencyrecord/").status_code == 200


@pytest.mark.django_db
def test_there_is_no_token_endpoint():
    """Staff use sessions; tokens are issued only by admins and the command."""
    response = APIClient().post("/api/v1/erp/auth/token/", {"username": "x", "password": "y"})
    assert_error_body(response, 404, "not_found")
