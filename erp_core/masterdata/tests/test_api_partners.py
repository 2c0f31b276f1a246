"""The partners resource (/api/v1/erp/partners/): the shared resource checks plus its own rules."""

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache

from common.testing import (
    APIResourceTests,
    PartnerFactory,
    api_client,
    assert_error_body,
    partner_user,
    staff_user,
)
from erp_core.models import Partner

LIST_URL = "/api/v1/erp/partners/"
VALID_TAX_ID = "91310000MA1FL3LX2K"


@pytest.fixture(autouse=True)
def _fresh_throttle_cache():
    """Throttling counts requests in the cache: each test starts from zero."""
    cache.clear()
    yield
    cache.clear()


class TestPartnerAPI(APIResourceTests):
    """The generic resource checks, for partners."""

    list_url = LIST_URL
    model = Partner
    max_queries = 8
    # Its own bank account, on its own record (for payments to it).
    partner_allowed_fields = ("bank_account",)

    def make_object(self, partner: Partner | None = None) -> Partner:
        """A partner is its own owner: the partner given, or a new one."""
        return partner or PartnerFactory()

    def valid_create_payload(self) -> dict:
        """A new supplier with a valid tax id."""
        return {
            "code": "S-NEW",
            "name": "Ningbo Bearings",
            "kind": "supplier",
            "tax_id": VALID_TAX_ID,
        }

    def invalid_create_payload(self) -> dict:
        """No code, an unknown kind."""
        return {"name": "Nameless", "kind": "friend"}

    def allowed_user(self):
        """Admins hold every partner permission."""
        return staff_user("Admin")

    def wrong_role_user(self):
        """The shop floor has no ERP access."""
        return staff_user("Shop floor")

    def partner_user_for(self, obj: Partner):
        """A user of that very partner."""
        return partner_user(obj)


@pytest.mark.django_db
def test_staff_without_module_access_is_403_even_with_view_partner():
    """view_partner without erp_core.access_erp: the module gate refuses."""
    user = staff_user()
    user.user_permissions.add(Permission.objects.get(codename="view_partner"))
    client = api_client(user)
    assert_error_body(client.get(LIST_URL), 403, "permission_denied")


@pytest.mark.django_db
def test_planner_may_read_but_not_create():
    """Planner has view_partner only: GET works, POST is 403 and writes nothing."""
    PartnerFactory()
    client = api_client(staff_user("Planner"))
    assert client.get(LIST_URL).status_code == 200
    response = client.post(LIST_URL, {"code": "X", "name": "X", "kind": "customer"}, format="json")
    assert_error_body(response, 403, "permission_denied")
    assert not Partner.objects.filter(code="X").exists()


@pytest.mark.django_db
def test_partner_user_may_not_create_update_or_delete():
    """A partner user reads its partner but every write is 403."""
    partner = PartnerFactory()
    client = api_client(partner_user(partner))
    url = f"{LIST_URL}{partner.pk}/"
    payload = {"code": "Y", "name": "Y", "kind": "customer"}
    assert_error_body(client.post(LIST_URL, payload, format="json"), 403)
    assert_error_body(client.patch(url, {"name": "Hacked"}, format="json"), 403)
    assert_error_body(client.put(url, payload, format="json"), 403)
    assert_error_body(client.delete(url), 403)
    partner.refresh_from_db()
    assert partner.name != "Hacked"
    assert Partner.objects.filter(pk=partner.pk).exists()


@pytest.mark.django_db
def test_create_goes_through_the_service_and_answers_the_read_shape():
    """Codes are stripped by partner_create and the answer carries id and timestamps."""
    client = api_client(staff_user("Sales"))
    response = client.post(
        LIST_URL, {"code": "  C-01 ", "name": " Acme ", "kind": "both"}, format="json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["code"] == "C-01"
    assert body["name"] == "Acme"
    assert {"id", "created_at", "updated_at"} <= set(body)


@pytest.mark.django_db
def test_model_validation_in_the_service_is_a_400_with_field_errors():
    """A malformed tax id is caught by Partner.clean() in the service: 400, errors by field."""
    client = api_client(staff_user("Admin"))
    response = client.post(
        LIST_URL, {"code": "T1", "name": "T", "kind": "customer", "tax_id": "bad"}, format="json"
    )
    body = assert_error_body(response, 400, "invalid")
    assert "tax_id" in body["errors"]
    assert not Partner.objects.filter(code="T1").exists()


@pytest.mark.django_db
def test_duplicate_code_is_a_400():
    """Codes are unique."""
    PartnerFactory(code="DUP")
    client = api_client(staff_user("Admin"))
    response = client.post(
        LIST_URL, {"code": "DUP", "name": "D", "kind": "customer"}, format="json"
    )
    body = assert_error_body(response, 400, "invalid")
    assert "code" in body["errors"]


@pytest.mark.django_db
def test_update_and_partial_update_go_through_the_service():
    """PUT replaces, PATCH changes some fields; the history records both."""
    partner = PartnerFactory(name="Old")
    client = api_client(staff_user("Finance"))
    url = f"{LIST_URL}{partner.pk}/"
    response = client.patch(url, {"name": "  New  "}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["name"] == "New"
    response = client.put(
        url, {"code": partner.code, "name": "Newer", "kind": "supplier"}, format="json"
    )
    assert response.status_code == 200, response.content
    partner.refresh_from_db()
    assert (partner.name, partner.kind) == ("Newer", "supplier")
    assert partner.history.count() == 3


@pytest.mark.django_db
def test_delete_an_unused_partner():
    """Admins may delete a partner no user belongs to."""
    partner = PartnerFactory()
    response = api_client(staff_user("Admin")).delete(f"{LIST_URL}{partner.pk}/")
    assert response.status_code == 204
    assert not Partner.objects.filter(pk=partner.pk).exists()


@pytest.mark.django_db
def test_delete_a_partner_with_users_is_409():
    """A partner that people sign in for cannot be deleted: 409 conflict, nothing deleted."""
    partner = PartnerFactory()
    partner_user(partner)
    response = api_client(staff_user("Admin")).delete(f"{LIST_URL}{partner.pk}/")
    assert_error_body(response, 409, "partner_has_users")
    assert Partner.objects.filter(pk=partner.pk).exists()


@pytest.mark.django_db
def test_sales_may_not_delete():
    """Sales holds no delete_partner: 403."""
    partner = PartnerFactory()
    response = api_client(staff_user("Sales")).delete(f"{LIST_URL}{partner.pk}/")
    assert_error_body(response, 403, "permission_denied")


@pytest.mark.django_db
def test_filters_search_and_ordering():
    """kind, is_active and code filter; search looks in code, name and tax id; ordering works."""
    PartnerFactory(code="A1", name="Alpha", kind="customer")
    PartnerFactory(code="B1", name="Beta", kind="supplier", tax_id=VALID_TAX_ID)
    PartnerFactory(code="C1", name="Gamma", kind="supplier", is_active=False)
    client = api_client(staff_user("Admin"))

    def codes(**params) -> list[str]:
        response = client.get(LIST_URL, params)
        assert response.status_code == 200, response.content
        return [row["code"] for row in response.json()["results"]]

    assert codes(kind="supplier") == ["B1", "C1"]
    assert codes(is_active="false") == ["C1"]
    assert codes(code="A1") == ["A1"]
    assert codes(search="gam") == ["C1"]
    assert codes(search=VALID_TAX_ID[-7:]) == ["B1"]
    assert codes(ordering="-name") == ["C1", "B1", "A1"]


@pytest.mark.django_db
def test_bad_filter_value_is_a_400():
    """An unknown kind is bad input, not an empty list."""
    client = api_client(staff_user("Admin"))
    body = assert_error_body(client.get(LIST_URL, {"kind": "friend"}), 400, "invalid")
    assert "kind" in body["errors"]
