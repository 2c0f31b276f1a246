"""Every refused API request answers ``{"status", "code", "detail", "errors"?}`` as JSON."""

import json
import logging

import pytest
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation, ValidationError
from django.test import Client, RequestFactory
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from common.errors import Conflict
from common.parsers import MAX_JSON_DEPTH, json_depth
from common.testing import (
    PartnerFactory,
    api_client,
    assert_error_body,
    partner_user,
    staff_user,
)
from config.api import handler400, handler403, handler404, handler500
from erp_core.masterdata.api import views as partner_views
from erp_core.models import Partner

URL = "/api/v1/erp/partners/"


@pytest.mark.django_db
def test_400_carries_field_errors():
    """Serializer validation: one list of messages per field."""
    response = api_client(staff_user("Admin")).post(URL, {"kind": "friend"}, format="json")
    body = assert_error_body(response, 400, "invalid")
    assert set(body) == {"status", "code", "detail", "errors"}
    assert {"code", "name", "kind"} <= set(body["errors"])
    assert all(isinstance(messages, list) for messages in body["errors"].values())


@pytest.mark.django_db
def test_400_on_malformed_json():
    """A body that is not JSON is bad input, not a crash."""
    response = api_client(staff_user("Admin")).post(
        URL, data="{not json", content_type="application/json"
    )
    assert_error_body(response, 400, "parse_error")


@pytest.mark.django_db
def test_django_validation_error_from_a_service_is_400_by_field():
    """Partner.full_clean() in partner_create rejects the tax id: 400 with errors.tax_id."""
    response = api_client(staff_user("Admin")).post(
        URL, {"code": "V1", "name": "V", "kind": "customer", "tax_id": "lowercase-bad"}
    )
    body = assert_error_body(response, 400, "invalid")
    assert list(body["errors"]) == ["tax_id"]


@pytest.mark.django_db
def test_django_validation_error_without_fields_is_400_non_field_errors(monkeypatch):
    """A message-only ValidationError from a service lands under ``non_field_errors``."""

    def refuse(**kwargs):
        raise ValidationError("The books are closed.")

    monkeypatch.setattr(partner_views, "partner_create", refuse)
    response = api_client(staff_user("Admin")).post(
        URL, {"code": "V2", "name": "V", "kind": "customer"}
    )
    body = assert_error_body(response, 400, "invalid")
    assert body["errors"] == {"non_field_errors": ["The books are closed."]}


@pytest.mark.django_db
def test_401_without_credentials():
    """Anonymous: 401, with the scheme to use."""
    response = APIClient().get(URL)
    body = assert_error_body(response, 401, "not_authenticated")
    assert "errors" not in body
    assert response["WWW-Authenticate"] == "Token"


@pytest.mark.django_db
def test_403_for_a_role_without_access():
    """Authenticated, but the role has no ERP access."""
    assert_error_body(api_client(staff_user("Shop floor")).get(URL), 403, "permission_denied")


@pytest.mark.django_db
def test_404_for_an_unknown_object():
    """No such partner."""
    assert_error_body(api_client(staff_user("Admin")).get(f"{URL}999999/"), 404, "not_found")


@pytest.mark.django_db
def test_404_for_a_non_numeric_id():
    """A malformed id is a 404 too, never a 500."""
    assert_error_body(api_client(staff_user("Admin")).get(f"{URL}abc/"), 404, "not_found")


@pytest.mark.django_db
def test_404_for_another_partners_object():
    """A partner user cannot tell another partner's object from a missing one."""
    client = api_client(partner_user(PartnerFactory()))
    assert_error_body(client.get(f"{URL}{PartnerFactory().pk}/"), 404, "not_found")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/api/v1/erp/no-such-resource/", "/api/nothing-here", "/api/v1/zzz/1/2/3/"]
)
def test_unknown_api_route_is_json_404(path):
    """Unknown URLs under /api/ answer the JSON body, not Django's HTML page."""
    response = Client().get(path)
    assert_error_body(response, 404, "not_found")


@pytest.mark.django_db
def test_unknown_page_outside_the_api_stays_html():
    """Outside /api/ the staff get Django's ordinary 404 page."""
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.django_db
def test_405_for_a_method_the_resource_does_not_have():
    """DELETE on the list is not allowed."""
    response = api_client(staff_user("Admin")).delete(URL)
    assert_error_body(response, 405, "method_not_allowed")


@pytest.mark.django_db
def test_409_for_a_conflict_raised_by_a_service(monkeypatch):
    """``common.errors.Conflict`` from a service: 409 with its code, nothing changed."""

    def refuse(**kwargs):
        raise Conflict("The partner was changed by someone else.", code="stale")

    monkeypatch.setattr(partner_views, "partner_update", refuse)
    partner = PartnerFactory(name="Before")
    response = api_client(staff_user("Admin")).patch(
        f"{URL}{partner.pk}/", {"name": "After"}, format="json"
    )
    body = assert_error_body(response, 409, "stale")
    assert body["detail"] == "The partner was changed by someone else."
    partner.refresh_from_db()
    assert partner.name == "Before"


@pytest.mark.django_db
def test_409_when_a_protected_reference_blocks_a_delete(monkeypatch):
    """A PROTECT foreign key reached without a service check is a 409, not a 500."""
    partner = PartnerFactory()
    partner_user(partner)
    monkeypatch.setattr(
        partner_views.PartnerViewSet, "perform_destroy", lambda self, instance: instance.delete()
    )
    response = api_client(staff_user("Admin")).delete(f"{URL}{partner.pk}/")
    assert_error_body(response, 409, "protected")
    assert Partner.objects.filter(pk=partner.pk).exists()


@pytest.mark.django_db
def test_429_when_throttled(monkeypatch):
    """Past the user's rate: 429, the JSON body and Retry-After."""
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"user": "2/minute", "anon": None})
    client = api_client(staff_user("Admin"))
    assert client.get(URL).status_code == 200
    assert client.get(URL).status_code == 200
    response = client.get(URL)
    assert_error_body(response, 429, "throttled")
    assert int(response["Retry-After"]) > 0


@pytest.mark.django_db
def test_500_under_the_api_is_json_without_a_traceback(monkeypatch):
    """A bug is still a 500, but the body is the JSON error body and reveals nothing."""

    def crash(**kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(partner_views, "partner_list", crash)
    user = staff_user("Admin")
    client = Client(raise_request_exception=False)
    client.force_login(user)
    response = client.get(URL)
    body = assert_error_body(response, 500, "server_error")
    assert "secret" not in response.content.decode()
    assert "errors" not in body


def test_handlers_fall_back_to_django_pages_outside_the_api():
    """The handlers only answer JSON under /api/."""
    request = RequestFactory().get("/somewhere/")
    assert handler500(request)["Content-Type"].startswith("text/html")
    assert handler404(request, Exception("x"))["Content-Type"].startswith("text/html")
    assert handler400(request, Exception("x"))["Content-Type"].startswith("text/html")
    assert handler403(request, Exception("x"))["Content-Type"].startswith("text/html")
    api_request = RequestFactory().get("/api/v1/x/")
    assert handler500(api_request)["Content-Type"] == "application/json"


def test_django_refusals_outside_drf_answer_json_under_the_api():
    """What Django refuses before a view runs (handler400/403) is the JSON body under /api/."""
    request = RequestFactory().post("/api/v1/x/")
    for response, status_code, code in (
        (handler400(request, RequestDataTooBig("big")), 413, "request_too_large"),
        (handler400(request, SuspiciousOperation("odd")), 400, "bad_request"),
        (handler403(request, Exception("no")), 403, "permission_denied"),
    ):
        assert response.status_code == status_code
        assert response["Content-Type"] == "application/json"
        assert json.loads(response.content)["code"] == code


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.django_db
@pytest.mark.parametrize("depth", [MAX_JSON_DEPTH + 1, 1_000, 100_000])
def test_deeply_nested_json_is_400_not_a_crash(depth):
    """A body nested past the limit is refused before it is parsed (no RecursionError)."""
    response = api_client(staff_user("Admin")).post(
        URL, data=_nested(depth), content_type="application/json"
    )
    assert_error_body(response, 400, "parse_error")


@pytest.mark.parametrize("text", ['{"a": NaN}', '{"a": Infinity}', "[-Infinity]", '{"a": 1'])
@pytest.mark.django_db
def test_nan_infinity_and_broken_json_are_400(text):
    """Only strict JSON is accepted."""
    response = api_client(staff_user("Admin")).post(URL, data=text, content_type="application/json")
    assert_error_body(response, 400, "parse_error")


@pytest.mark.django_db
def test_invalid_utf8_is_400():
    """A body that is not UTF-8 is bad input."""
    response = api_client(staff_user("Admin")).post(
        URL, data=b'{"name": "\xff"}', content_type="application/json"
    )
    assert_error_body(response, 400, "parse_error")


def test_json_depth_ignores_brackets_inside_strings():
    assert json_depth('{"a": "[[[[{{{{", "b": [1, [2]]}') == 3
    assert json_depth('"\\"[["') == 0


@pytest.mark.django_db
def test_a_body_over_the_upload_limit_is_413_json(settings):
    """Above DATA_UPLOAD_MAX_MEMORY_SIZE: 413 and the JSON body, never Django's HTML page."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    body = '{"name": "' + "x" * 2_000 + '"}'
    client = api_client(staff_user("Admin"))
    response = client.post(URL, data=body, content_type="application/json")
    assert_error_body(response, 413, "request_too_large")
    form = client.post(
        URL, data="name=" + "x" * 2_000, content_type="application/x-www-form-urlencoded"
    )
    assert_error_body(form, 413, "request_too_large")


@pytest.mark.django_db
def test_request_data_too_big_raised_by_django_is_413_json(settings, caplog, monkeypatch):
    """Django's own check (reading ``request.body``) answers the JSON body too, and is logged."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    monkeypatch.setattr(
        partner_views.PartnerViewSet, "create", lambda self, request, *a, **k: request.body
    )
    client = api_client(staff_user("Admin"))
    with caplog.at_level(logging.WARNING, logger="django.security"):
        response = client.post(URL, data="x" * 2_000, content_type="application/json")
    assert_error_body(response, 413, "request_too_large")
    assert any(r.name.startswith("django.security") for r in caplog.records)
