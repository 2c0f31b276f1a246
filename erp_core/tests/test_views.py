"""The staff pages of the ERP core: home per role and the partner screens."""

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.urls import reverse

from erp_core.masterdata import services
from erp_core.models import Partner
from erp_core.tests.factories import PartnerFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def login(client):
    """Sign in a new user with the given roles and return it."""

    def _login(*roles: str):
        user = UserFactory(roles=list(roles))
        client.force_login(user)
        return user

    return _login


def _modules(response) -> list[str]:
    return [module.key for module in response.context["nav_modules"]]


# --- sign-in and home ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        reverse("erp_core:home"),
        reverse("erp_core:partner-list"),
        reverse("erp_core:partner-create"),
        reverse("erp_core:partner-detail", args=[1]),
        reverse("erp_core:partner-edit", args=[1]),
    ],
)
def test_anonymous_visitor_is_sent_to_the_login_page(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


def test_login_page_renders_and_signs_in(client):
    UserFactory(username="alice")
    page = client.get(reverse("login"))
    assert page.status_code == 200
    assert 'name="username"' in page.text

    response = client.post(
        reverse("login"), {"username": "alice", "password": "correct horse battery staple"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("erp_core:home")


def test_logout_is_a_post_form_and_works(client, login):
    login("Sales")
    home = client.get(reverse("erp_core:home"))
    assert f'<form method="post" action="{reverse("logout")}">' in home.text

    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("erp_core:home")).status_code == 302


def test_warehouse_user_sees_its_erp_pages_and_wms_but_not_finance(client, login):
    login("Warehouse")
    response = client.get(reverse("erp_core:home"))
    assert response.status_code == 200
    assert _modules(response) == ["erp", "wms"]
    assert 'id="module-finance"' not in response.text
    # Stock, items, warehouses, the deliveries it ships and the receipts it books.
    assert {
        "stock:balance-list",
        "erp_core:item-list",
        "erp_core:warehouse-list",
        "sales:delivery-list",
        "purchasing:receipt-list",
    } <= set(_entries(response, "erp"))
    assert "sales:price-list-list" not in _entries(response, "erp")


def test_finance_user_sees_erp_finance_and_crm_collections(client, login):
    login("Finance")
    response = client.get(reverse("erp_core:home"))
    assert _modules(response) == ["erp", "finance", "crm"]
    assert reverse("erp_core:partner-list") in response.text
    assert reverse("integration:event-log") not in response.text


def test_admin_sees_every_module_with_its_entries(client, login):
    login("Admin")
    response = client.get(reverse("erp_core:home"))
    assert _modules(response) == ["erp", "finance", "mes", "wms", "crm", "integration"]
    assert reverse("integration:event-log") in response.text


def _entries(response, key: str) -> list[str]:
    module = next(m for m in response.context["nav_modules"] if m.key == key)
    return [entry.url_name for entry in module.entries]


def test_menu_entries_follow_each_page_permission(client, login):
    login("Sales")
    erp = _entries(client.get(reverse("erp_core:home")), "erp")
    assert "sales:order-list" in erp
    assert "production:order-list" not in erp  # sales staff do not see production orders

    login("Finance")
    response = client.get(reverse("erp_core:home"))
    finance = _entries(response, "finance")
    assert {"billing:invoice-list", "billing:payment-list", "ledger:entry-list"} <= set(finance)
    assert 'class="dropdown-header"' in response.text


def test_every_menu_entry_opens_for_the_admin(client, login):
    login("Admin")
    home = client.get(reverse("erp_core:home"))
    for module in home.context["nav_modules"]:
        for entry in module.entries:
            assert client.get(reverse(entry.url_name)).status_code == 200, entry.url_name


def test_user_without_role_is_told_so(client, login):
    login()
    response = client.get(reverse("erp_core:home"))
    assert _modules(response) == []
    assert 'data-testid="no-module"' in response.text


def test_base_layout_serves_assets_locally_with_htmx_csrf(client, login):
    login("Sales")
    text = client.get(reverse("erp_core:home")).text
    assert '<html lang="en">' in text
    assert "/static/vendor/bootstrap/bootstrap.min.css" in text
    assert "/static/vendor/bootstrap/bootstrap.bundle.min.js" in text
    assert "/static/django_htmx/htmx-2.min.js" in text
    assert 'hx-headers=\'{"X-CSRFToken": "' in text
    assert "//cdn" not in text and "https://" not in text


# --- partner list -------------------------------------------------------------------------


def test_partner_list_searches_by_code_name_or_tax_id(client, login):
    login("Sales")
    PartnerFactory(code="C-ACME", name="Acme Machinery")
    PartnerFactory(code="S-STEEL", name="Baosteel Trading", tax_id="91310000MA1K999999")

    response = client.get(reverse("erp_core:partner-list"), {"q": "acme"})
    assert response.status_code == 200
    assert [p.code for p in response.context["page_obj"]] == ["C-ACME"]
    assert "Baosteel" not in response.text

    by_tax_id = client.get(reverse("erp_core:partner-list"), {"q": "999999"})
    assert [p.code for p in by_tax_id.context["page_obj"]] == ["S-STEEL"]


def test_partner_list_paginates_with_a_bounded_number_of_queries(
    client, login, django_assert_max_num_queries
):
    login("Sales")
    PartnerFactory.create_batch(30)
    # session, user, 2 x permissions, count, page: none per row
    with django_assert_max_num_queries(6):
        response = client.get(reverse("erp_core:partner-list"))
    assert response.status_code == 200
    assert len(response.context["page_obj"]) == 25
    second = client.get(reverse("erp_core:partner-list"), {"page": 2})
    assert len(second.context["page_obj"]) == 5


def test_partner_list_htmx_request_gets_only_the_table(client, login):
    login("Sales")
    PartnerFactory(code="C-ACME")
    response = client.get(reverse("erp_core:partner-list"), {"q": "ACME"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "C-ACME" in response.text
    assert "<html" not in response.text
    assert "HX-Request" in response["Vary"]


def test_partner_list_needs_the_view_permission(client, login):
    login("Shop floor")
    assert client.get(reverse("erp_core:partner-list")).status_code == 403


def test_partner_list_needs_the_erp_module(client, login):
    # Viewing partners (as the API does) does not open the ERP's screens without the module.
    user = login()
    user.user_permissions.add(Permission.objects.get(codename="view_partner"))
    assert client.get(reverse("erp_core:partner-list")).status_code == 403


# --- partner detail, create, edit ---------------------------------------------------------


def test_partner_detail_shows_who_changed_what(client, login):
    user = login("Sales")
    partner = PartnerFactory(code="C-ACME", name="Acme")
    client.post(
        reverse("erp_core:partner-edit", args=[partner.pk]),
        {"code": "C-ACME", "name": "Acme Machinery", "kind": "both", "tax_id": partner.tax_id},
    )

    response = client.get(reverse("erp_core:partner-detail", args=[partner.pk]))
    assert response.status_code == 200
    latest = response.context["history"][0]
    assert latest.user == user
    assert latest.history_type == "~"
    changed = {change.field: (change.old, change.new) for change in latest.changes}
    assert changed["name"] == ("Acme", "Acme Machinery")
    assert changed["kind"] == ("Customer", "Customer and supplier")
    assert response.context["history"][-1].history_type == "+"
    assert "Acme Machinery" in response.text
    assert user.username in response.text


def test_partner_detail_reads_its_history_in_one_query(
    client, login, django_assert_max_num_queries
):
    login("Sales")
    partner = PartnerFactory(name="Acme")
    for n in range(12):
        services.partner_update(partner=partner, name=f"Acme {n}")
    with django_assert_max_num_queries(6):
        response = client.get(reverse("erp_core:partner-detail", args=[partner.pk]))
    assert len(response.context["history"]) == 13


def test_partner_detail_of_unknown_partner_is_404(client, login):
    login("Sales")
    assert client.get(reverse("erp_core:partner-detail", args=[999])).status_code == 404


def test_partner_create_saves_through_the_service_and_records_the_user(client, login):
    user = login("Sales")
    response = client.post(
        reverse("erp_core:partner-create"),
        {
            "code": " C-NEW ",
            "name": "New Customer Ltd",
            "kind": "customer",
            "tax_id": "91310000MA1K000123",
            "email": "buyer@new.cn",
            "is_active": "on",
        },
    )
    partner = Partner.objects.get(code="C-NEW")
    assert response.status_code == 302
    assert response["Location"] == reverse("erp_core:partner-detail", args=[partner.pk])
    assert partner.history.get().history_user == user

    followed = client.get(response["Location"])
    assert "was created" in followed.text


def test_partner_create_with_a_bad_tax_id_shows_the_error_and_writes_nothing(client, login):
    login("Sales")
    response = client.post(
        reverse("erp_core:partner-create"),
        {"code": "C-BAD", "name": "Bad Tax Id", "kind": "customer", "tax_id": "12345"},
    )
    assert response.status_code == 200
    assert "tax_id" in response.context["form"].errors
    assert "18 digits or capital letters" in response.text
    assert "is-invalid" in response.text
    assert not Partner.objects.exists()


def test_partner_create_duplicate_code_is_refused(client, login):
    login("Sales")
    PartnerFactory(code="C-DUP")
    response = client.post(
        reverse("erp_core:partner-create"),
        {"code": "C-DUP", "name": "Again", "kind": "customer"},
    )
    assert response.status_code == 200
    assert "code" in response.context["form"].errors
    assert Partner.objects.count() == 1


def test_service_validation_errors_are_shown_on_the_form(client, login, monkeypatch):
    # A rule only the service knows (here: simulated) still reaches the form, not a 500.
    def refuse(**kwargs):
        raise ValidationError({"name": "Refused by the service."})

    monkeypatch.setattr(services, "partner_create", refuse)
    login("Sales")
    response = client.post(
        reverse("erp_core:partner-create"), {"code": "C-X", "name": "X", "kind": "customer"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["name"] == ["Refused by the service."]
    assert not Partner.objects.exists()


def test_partner_create_needs_the_add_permission(client, login):
    login("Finance")
    assert client.get(reverse("erp_core:partner-create")).status_code == 403
    response = client.post(
        reverse("erp_core:partner-create"), {"code": "C-X", "name": "X", "kind": "customer"}
    )
    assert response.status_code == 403
    assert not Partner.objects.exists()


def test_partner_edit_changes_only_what_changed(client, login):
    login("Finance")
    partner = PartnerFactory(code="C-ACME", name="Acme")
    url = reverse("erp_core:partner-edit", args=[partner.pk])
    form = client.get(url)
    assert form.status_code == 200
    assert 'value="Acme"' in form.text
    data = {
        "code": partner.code,
        "name": partner.name,
        "kind": partner.kind,
        "tax_id": partner.tax_id,
        "email": partner.email,
        "phone": partner.phone,
        "is_active": "on",
    }

    unchanged = client.post(url, data, follow=True)
    assert "Nothing was changed." in unchanged.text
    assert partner.history.count() == 1

    response = client.post(url, {**data, "phone": "+86 10 1234 5678"})
    assert response.status_code == 302
    partner.refresh_from_db()
    assert partner.phone == "+86 10 1234 5678"
    latest = partner.history.first()
    changed = {change.field for change in latest.diff_against(latest.prev_record).changes}
    assert "phone" in changed
    assert not changed & {"code", "name", "kind", "tax_id", "email", "is_active"}


def test_partner_edit_with_a_bad_tax_id_keeps_the_partner_unchanged(client, login):
    login("Sales")
    partner = PartnerFactory(code="C-ACME", name="Acme")
    response = client.post(
        reverse("erp_core:partner-edit", args=[partner.pk]),
        {"code": "C-ACME", "name": "Renamed", "kind": "customer", "tax_id": "not-a-tax-id"},
    )
    assert response.status_code == 200
    assert "tax_id" in response.context["form"].errors
    assert response.context["partner"].name == "Acme"
    partner.refresh_from_db()
    assert partner.name == "Acme"
    assert partner.history.count() == 1


def test_partner_edit_needs_the_change_permission(client, login):
    login("Planner")
    partner = PartnerFactory()
    assert client.get(reverse("erp_core:partner-edit", args=[partner.pk])).status_code == 403


@pytest.mark.parametrize(
    ("path", "target"),
    [
        ("/sales/", "sales:order-list"),
        ("/purchasing/", "purchasing:order-list"),
        ("/production/", "production:order-list"),
        ("/billing/", "billing:invoice-list"),
        ("/finance/", "ledger:entry-list"),
    ],
)
def test_each_area_root_opens_its_main_list(client, login, path, target):
    login("Admin")
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == reverse(target)
