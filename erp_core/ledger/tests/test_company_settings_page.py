"""The company settings page: finance reads and changes the date window, the output tolerance
and the VAT fields; a bad value is refused on the page with nothing saved."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.urls import reverse

from common.testing import staff_user
from erp_core.ledger import selectors
from erp_core.ledger.services import COMPANY_FIELDS

pytestmark = pytest.mark.django_db
URL = "/finance/company/"


def _form(**changes) -> dict:
    company = selectors.company_settings()
    data = {name: getattr(company, name) for name in COMPANY_FIELDS}
    data.update(changes)
    if not data["invoice_on_shipment"]:
        del data["invoice_on_shipment"]  # an unticked box is not posted
    return {name: str(value) for name, value in data.items()}


def test_finance_changes_the_window_and_the_tolerance(client):
    client.force_login(staff_user("Finance"))
    assert reverse("ledger:company-settings") == URL
    page = client.get(URL)
    assert page.status_code == 200
    assert b'name="document_date_window_days"' in page.content
    response = client.post(
        URL, _form(document_date_window_days="90", production_output_tolerance_percent="12.5")
    )
    assert response.status_code == 302, response.content[:1000]
    company = selectors.company_settings()
    assert company.document_date_window_days == 90
    assert company.production_output_tolerance_percent == Decimal("12.5")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("document_date_window_days", "0"),
        ("document_date_window_days", "3661"),
        ("production_output_tolerance_percent", "1000.01"),
        ("production_output_tolerance_percent", "-1"),
        ("tax_id", "short"),
    ],
)
def test_a_bad_value_is_refused_on_the_page_and_nothing_is_saved(client, field, value):
    client.force_login(staff_user("Finance"))
    before = selectors.company_settings()
    response = client.post(URL, _form(**{field: value, "name": "Renamed"}))
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    after = selectors.company_settings()
    assert (after.name, getattr(after, field)) == (before.name, getattr(before, field))


def test_the_page_is_chinese_for_a_chinese_reader(client):
    client.force_login(staff_user("Finance"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    page = client.get(URL)
    text = page.content.decode()
    assert "公司设置" in text
    assert "单据日期" in text


def test_a_reader_without_the_change_permission_sees_but_cannot_save(client):
    user = staff_user("Finance")
    user.user_permissions.remove(Permission.objects.get(codename="change_companysettings"))
    user.groups.first().permissions.remove(
        Permission.objects.get(codename="change_companysettings")
    )
    client.force_login(user)
    assert client.get(URL).status_code == 200
    response = client.post(URL, _form(document_date_window_days="90"))
    assert response.status_code == 403
    assert selectors.company_settings().document_date_window_days != 90


def test_other_roles_are_refused(client):
    client.force_login(staff_user("Sales"))
    assert client.get(URL).status_code == 403
