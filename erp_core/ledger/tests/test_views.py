"""The finance pages: entries (list, detail, create, post, reverse), chart, periods, reports."""

from io import BytesIO

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from common.testing import staff_user
from erp_core.ledger import selectors, services
from erp_core.ledger.models import Account, JournalEntry
from erp_core.ledger.tests.helpers import TODAY, account, draft, ledger_user, posted

pytestmark = pytest.mark.django_db

PAGES = [
    ("ledger:entry-list", []),
    ("ledger:entry-create", []),
    ("ledger:account-tree", []),
    ("ledger:period-list", []),
    ("ledger:trial-balance", []),
    ("ledger:general-ledger", []),
    ("ledger:reconcile", []),
]


@pytest.fixture
def finance(client, books):
    user = ledger_user()
    client.force_login(user)
    return user


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_pages_render_for_finance(client, finance, name, args):
    posted()
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200, name


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_pages_refuse_other_roles(client, books, name, args):
    client.force_login(staff_user("Sales"))
    assert client.get(reverse(name, args=args)).status_code == 403


def test_anonymous_is_sent_to_login(client):
    url = reverse("ledger:entry-list")
    response = client.get(url)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def _form_data(**lines) -> dict:
    data = {
        "journal": selectors.journal_get(code="GEN").pk,
        "date": TODAY.isoformat(),
        "memo": "from the page",
        "lines-TOTAL_FORMS": "4",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "2",
        "lines-MAX_NUM_FORMS": "200",
    }
    data.update(lines)
    return data


def test_create_draft_from_the_form_then_post_and_reverse(client, finance):
    data = _form_data(
        **{
            "lines-0-account": account("1002").pk,
            "lines-0-debit": "250.00",
            "lines-1-account": account("4001").pk,
            "lines-1-credit": "250.00",
        }
    )
    response = client.post(reverse("ledger:entry-create"), data)
    assert response.status_code == 302, response.content[:2000]
    entry = JournalEntry.objects.get()
    assert entry.status == "draft" and entry.memo == "from the page"
    detail = client.get(reverse("ledger:entry-detail", args=[entry.pk]))
    assert 'data-testid="post-entry"' in detail.text
    client.post(reverse("ledger:entry-post", args=[entry.pk]))
    entry.refresh_from_db()
    assert entry.number == "GEN-2026-000001"
    response = client.post(
        reverse("ledger:entry-reverse", args=[entry.pk]), {"date": TODAY.isoformat()}
    )
    reversal = JournalEntry.objects.get(reversal_of=entry)
    assert response["Location"] == reverse("ledger:entry-detail", args=[reversal.pk])


def test_an_unbalanced_form_shows_the_error_and_writes_nothing(client, finance):
    data = _form_data(
        **{
            "lines-0-account": account("1002").pk,
            "lines-0-debit": "250.00",
            "lines-1-account": account("4001").pk,
            "lines-1-credit": "200.00",
        }
    )
    response = client.post(reverse("ledger:entry-create"), data)
    assert response.status_code == 200
    assert "differ" in response.text
    assert not JournalEntry.objects.exists()


def test_posting_a_refused_entry_shows_a_message(client, finance):
    entry = draft()
    services.fiscal_period_close(period=entry.period, actor=None)
    response = client.post(reverse("ledger:entry-post", args=[entry.pk]), follow=True)
    assert "closed" in response.text
    assert JournalEntry.objects.get(pk=entry.pk).status == "draft"


def test_post_needs_post_method(client, finance):
    entry = draft()
    assert client.get(reverse("ledger:entry-post", args=[entry.pk])).status_code == 405


def test_trial_balance_page_and_excel_download(client, finance):
    posted()
    march = selectors.period_for_date(date=TODAY)
    params = {"period_from": march.pk, "period_to": march.pk}
    page = client.get(reverse("ledger:trial-balance"), params)
    assert page.status_code == 200 and 'data-testid="export-xlsx"' in page.text
    assert page.context["report"].is_balanced
    export = client.get(reverse("ledger:trial-balance-export"), params)
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(export.content)).active
    assert sheet.max_row >= 5


def test_general_ledger_page(client, finance):
    posted()
    response = client.get(
        reverse("ledger:general-ledger"),
        {"account": account("1002").pk, "date_from": "2026-01-01", "date_to": "2026-12-31"},
    )
    assert response.status_code == 200
    assert response.context["report"].closing == 100


def test_period_close_and_reopen_buttons(client, finance):
    period = selectors.period_for_date(date=TODAY)
    client.post(reverse("ledger:period-close", args=[period.pk]))
    period.refresh_from_db()
    assert period.status == "closed"
    client.post(reverse("ledger:period-reopen", args=[period.pk]))
    period.refresh_from_db()
    assert period.status == "open"


def test_reconcile_page_shows_no_breach_on_healthy_books(client, finance):
    posted()
    response = client.get(reverse("ledger:reconcile"))
    assert 'data-testid="no-breach"' in response.text


def test_chart_of_accounts_page_lists_the_tree(client, finance):
    response = client.get(reverse("ledger:account-tree"))
    assert "22210101" in response.text and "Exchange and rounding differences" in response.text


def test_account_names_are_shown_in_the_readers_language_only(client, finance):
    english = client.get(reverse("ledger:account-tree"), HTTP_ACCEPT_LANGUAGE="en")
    assert "Exchange and rounding differences" in english.text
    assert "汇兑及尾差" not in english.text and "应收账款" not in english.text

    chinese = client.get(reverse("ledger:account-tree"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "汇兑及尾差" in chinese.text
    assert "Exchange and rounding differences" not in chinese.text
    assert "Accounts receivable" not in chinese.text


def test_an_account_names_itself_in_the_readers_language():
    account = Account(code="1122", name_zh="应收账款", name_en="Accounts receivable")
    with translation.override("en"):
        assert str(account) == "1122 Accounts receivable"
    with translation.override("zh-hans"):
        assert str(account) == "1122 应收账款"
    with translation.override("en"):
        assert Account(code="9999", name_zh="只有中文", name_en="").name == "只有中文"


ADMIN_MODELS = [
    "companysettings",
    "fiscalyear",
    "fiscalperiod",
    "account",
    "postingrule",
    "journal",
    "journalsequence",
    "journalentry",
]


@pytest.mark.parametrize("model", ADMIN_MODELS)
def test_admin_pages_render(client, books, admin_user, model):
    posted()
    client.force_login(admin_user)
    assert client.get(reverse(f"admin:ledger_{model}_changelist")).status_code == 200
    first = apps.get_model("ledger", model).objects.first()
    if first is not None:
        assert (
            client.get(reverse(f"admin:ledger_{model}_change", args=[first.pk])).status_code == 200
        )


def test_admin_post_and_reverse_actions_go_through_the_services(client, books, admin_user):
    entry = draft()
    client.force_login(admin_user)
    url = reverse("admin:ledger_journalentry_changelist")
    client.post(url, {"action": "post_entries", "_selected_action": [entry.pk]})
    entry.refresh_from_db()
    assert entry.number == "GEN-2026-000001"
    client.post(url, {"action": "reverse_entries", "_selected_action": [entry.pk]})
    assert JournalEntry.objects.filter(reversal_of=entry, status="posted").exists()


def test_admin_adds_a_fiscal_year_with_its_periods(client, books, admin_user):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:ledger_fiscalyear_add"),
        {"year": 2030, "periods-TOTAL_FORMS": "0", "periods-INITIAL_FORMS": "0"},
    )
    assert response.status_code == 302, response.content[:3000]
    assert selectors.fiscal_period_list(year=2030).count() == 12
