"""The ledger resources under /api/v1/erp/: shared resource checks plus actions and refusals."""

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.db.models import Q

from common.testing import (
    APIResourceTests,
    DocumentFlowTests,
    PartnerFactory,
    UserFactory,
    api_client,
    assert_error_body,
    date_window_edge,
    partner_user,
    staff_user,
)
from erp_core.ledger import selectors, services
from erp_core.ledger.models import Account, FiscalPeriod, Journal, JournalEntry, JournalLine
from erp_core.ledger.tests.helpers import TODAY, account, draft, ledger_user, posted
from erp_core.testing.books import seed_books

BASE = "/api/v1/erp/"


@pytest.fixture(autouse=True)
def _fresh_throttle_cache():
    """Throttling counts requests in the cache: each test starts from zero."""
    cache.clear()
    yield
    cache.clear()


def _entry_payload(**overrides) -> dict:
    payload = {
        "journal": Journal.objects.get(code="GEN").pk,
        "date": TODAY.isoformat(),
        "memo": "capital",
        "lines": [
            {"account": account("1002").pk, "debit": "100.00"},
            {"account": account("4001").pk, "credit": "100.00"},
        ],
    }
    payload.update(overrides)
    return payload


class LedgerResource(APIResourceTests):
    """Finance staff with the ledger permissions may; sales (no finance access) may not."""

    @pytest.fixture(autouse=True)
    def _books(self, db) -> None:
        seed_books()

    def allowed_user(self):
        return ledger_user()

    def wrong_role_user(self):
        return staff_user("Sales")

    def partner_user_for(self, obj):
        return None


class TestAccountAPI(LedgerResource):
    list_url = f"{BASE}accounts/"
    model = Account
    max_queries = 10
    _n = 0

    def make_object(self, partner=None) -> Account:
        TestAccountAPI._n += 1
        return services.account_create(
            code=f"6402{TestAccountAPI._n % 100:02d}", name_zh="费用", name_en="Expense"
        )

    def valid_create_payload(self) -> dict:
        return {"code": "640299", "name_zh": "材料销售成本", "name_en": "Materials sold"}

    def invalid_create_payload(self) -> dict:
        return {"code": "66A", "name_zh": "", "type": "nonsense"}


class TestJournalAPI(LedgerResource):
    list_url = f"{BASE}journals/"
    model = Journal
    max_queries = 10
    creates = False
    _n = 0

    def make_object(self, partner=None) -> Journal:
        TestJournalAPI._n += 1
        return services.journal_create(code=f"J{TestJournalAPI._n}", name="Journal")


class TestJournalEntryAPI(DocumentFlowTests, LedgerResource):
    """Entries through the shared checks and the document flow: no revision, posted (not
    approved), never unposted or voided — a draft is deleted, a posted entry reversed."""

    list_url = f"{BASE}journal-entries/"
    model = JournalEntry
    max_queries = 12
    approve_verb = "post"
    approved_status = "posted"
    unapprove_verb = None
    void_verb = None
    has_revision = False
    refusal_code = "entry_posted"
    limit_checks = (("date", date_window_edge(outside=False), date_window_edge(outside=True)),)

    def make_object(self, partner=None) -> JournalEntry:
        return posted()

    def make_draft(self) -> JournalEntry:
        return draft()

    def valid_create_payload(self) -> dict:
        return _entry_payload()

    def invalid_create_payload(self) -> dict:
        return _entry_payload(
            lines=[
                {"account": account("1002").pk, "debit": "100.00"},
                {"account": account("4001").pk, "credit": "99.00"},
            ]
        )


class TestFiscalPeriodAPI(LedgerResource):
    list_url = f"{BASE}fiscal-periods/"
    model = FiscalPeriod
    max_queries = 10
    creates = False
    list_rows = 24
    _year = 3000

    def make_object(self, partner=None) -> FiscalPeriod:
        TestFiscalPeriodAPI._year += 1
        return services.fiscal_year_create(year=TestFiscalPeriodAPI._year).periods.first()


# --- entries: create, post, reverse --------------------------------------------------------


@pytest.mark.django_db
def test_create_draft_then_post_then_reverse(books):
    client = api_client(ledger_user())
    response = client.post(f"{BASE}journal-entries/", _entry_payload(), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "draft" and body["number"] is None and len(body["lines"]) == 2
    url = f"{BASE}journal-entries/{body['id']}/"
    response = client.post(f"{url}post/")
    assert response.status_code == 200, response.content
    assert response.json()["number"] == "GEN-2026-000001"
    response = client.post(f"{url}reverse/", {"date": "2026-04-01"}, format="json")
    assert response.status_code == 201, response.content
    reversal = response.json()
    assert reversal["reversal_of"] == body["id"] and reversal["status"] == "posted"
    assert client.get(url).json()["reversed_by"] == reversal["id"]
    assert_error_body(
        client.post(f"{url}reverse/", {"date": "2026-04-01"}, format="json"), 409, "entry_reversed"
    )


@pytest.mark.django_db
def test_create_honours_the_idempotency_key(books):
    client = api_client(ledger_user())
    headers = {"HTTP_IDEMPOTENCY_KEY": "entry-1"}
    first = client.post(f"{BASE}journal-entries/", _entry_payload(), format="json", **headers)
    again = client.post(f"{BASE}journal-entries/", _entry_payload(), format="json", **headers)
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert JournalEntry.objects.count() == 1


@pytest.mark.parametrize(
    "overrides",
    [
        {"date": "2031-01-01"},  # no period
        {"date": "not a date"},
        {"journal": 999999},
        {"lines": []},
        {"lines": [{"account": 1, "debit": "-1"}, {"account": 1, "credit": "-1"}]},
        {"lines": "nope"},
        {"memo": "x" * 300},
    ],
)
@pytest.mark.django_db
def test_bad_entries_are_400_and_write_nothing(books, overrides):
    client = api_client(ledger_user())
    response = client.post(f"{BASE}journal-entries/", _entry_payload(**overrides), format="json")
    assert_error_body(response, 400, "invalid")
    assert (JournalEntry.objects.count(), JournalLine.objects.count()) == (0, 0)


@pytest.mark.django_db
def test_lines_on_a_parent_account_are_400(books):
    payload = _entry_payload(
        lines=[
            {"account": account("2221").pk, "debit": "1"},
            {"account": account("1002").pk, "credit": "1"},
        ]
    )
    response = api_client(ledger_user()).post(f"{BASE}journal-entries/", payload, format="json")
    body = assert_error_body(response, 400, "invalid")
    assert "lines" in body["errors"]
    assert not JournalEntry.objects.exists()


@pytest.mark.django_db
def test_delete_drafts_but_not_posted_entries(books):
    client = api_client(ledger_user())
    entry = posted()
    url = f"{BASE}journal-entries/{entry.pk}/"
    assert_error_body(client.delete(url), 409, "entry_posted")
    other = draft()
    assert client.delete(f"{BASE}journal-entries/{other.pk}/").status_code == 204
    assert list(JournalEntry.objects.values_list("pk", flat=True)) == [entry.pk]


@pytest.mark.django_db
def test_reverse_needs_a_valid_date(books):
    entry = posted()
    client = api_client(ledger_user())
    url = f"{BASE}journal-entries/{entry.pk}/reverse/"
    assert_error_body(client.post(url, {}, format="json"), 400, "invalid")
    assert_error_body(client.post(url, {"date": "2031-01-01"}, format="json"), 400, "invalid")
    assert_error_body(client.post(url, {"date": "2026-01-01"}, format="json"), 400, "invalid")
    assert JournalEntry.objects.count() == 1


@pytest.mark.django_db
def test_posting_needs_the_post_permission(books):
    # A clerk who may enter drafts but not post them (the Finance role may post).
    user = UserFactory()
    user.user_permissions.add(
        *Permission.objects.filter(
            Q(
                content_type__app_label="ledger",
                codename__in=["view_journalentry", "add_journalentry"],
            )
            | Q(content_type__app_label="erp_core", codename="access_finance")
        )
    )
    entry = draft()
    client = api_client(user)
    assert client.get(f"{BASE}journal-entries/{entry.pk}/").status_code == 200
    assert_error_body(client.post(f"{BASE}journal-entries/{entry.pk}/post/"), 403)
    assert JournalEntry.objects.get(pk=entry.pk).status == "draft"


@pytest.mark.django_db
def test_partner_users_see_nothing(books):
    client = api_client(partner_user(PartnerFactory()))
    assert_error_body(client.get(f"{BASE}journal-entries/"), 403)
    assert_error_body(client.get(f"{BASE}reports/trial-balance/"), 403)


# --- periods -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_close_and_reopen_a_period(books):
    period = selectors.period_for_date(date=TODAY)
    client = api_client(ledger_user())
    url = f"{BASE}fiscal-periods/{period.pk}/"
    response = client.post(f"{url}close/")
    assert response.status_code == 200 and response.json()["status"] == "closed"
    assert_error_body(client.post(f"{url}close/"), 409, "period_closed")
    response = client.post(f"{BASE}journal-entries/", _entry_payload(), format="json")
    assert_error_body(response, 400, "invalid")
    response = client.post(f"{url}reopen/")
    assert response.status_code == 200 and response.json()["status"] == "open"
    assert_error_body(client.post(f"{url}reopen/"), 409, "period_open")


@pytest.mark.django_db
def test_periods_filter_by_year(books):
    client = api_client(ledger_user())
    body = client.get(f"{BASE}fiscal-periods/", {"year": 2027}).json()
    assert body["count"] == 12 and {row["year"] for row in body["results"]} == {2027}


# --- accounts ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_account_create_under_an_account_with_lines_is_409(books):
    posted()
    response = api_client(ledger_user()).post(
        f"{BASE}accounts/", {"code": "100201", "name_zh": "工行", "name_en": "ICBC"}, format="json"
    )
    assert_error_body(response, 409, "account_has_lines")


@pytest.mark.django_db
def test_account_patch_and_filters(books):
    client = api_client(ledger_user())
    pk = account("6711").pk
    response = client.patch(f"{BASE}accounts/{pk}/", {"is_active": False}, format="json")
    assert response.status_code == 200 and response.json()["is_active"] is False
    assert_error_body(
        client.patch(f"{BASE}accounts/{pk}/", {"is_active": "maybe"}, format="json"), 400
    )
    codes = [
        r["code"] for r in client.get(f"{BASE}accounts/", {"code_prefix": "2221"}).json()["results"]
    ]
    assert codes == ["2221", "222101", "22210101", "22210102", "22210103"]
    assert_error_body(client.get(f"{BASE}accounts/", {"type": "nonsense"}), 400, "invalid")


# --- trial balance -------------------------------------------------------------------------


@pytest.mark.django_db
def test_trial_balance_endpoint(books):
    posted()
    march = selectors.period_for_date(date=TODAY)
    client = api_client(ledger_user())
    response = client.get(
        f"{BASE}reports/trial-balance/", {"period_from": march.pk, "period_to": march.pk}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["is_balanced"] is True and body["debit"] == body["credit"] == "100.00"
    assert {row["code"] for row in body["rows"]} == {"1002", "4001"}
    response = client.get(
        f"{BASE}reports/trial-balance/", {"date_from": "2026-01-01", "date_to": "2026-12-31"}
    )
    assert response.json()["closing_debit"] == "100.00"


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"date_from": "2026-03-01"},
        {"date_from": "2026-04-01", "date_to": "2026-03-01"},
        {"period_from": 999999, "period_to": 999999},
        {"date_from": "x", "date_to": "y"},
    ],
)
@pytest.mark.django_db
def test_trial_balance_bad_range_is_400(books, params):
    response = api_client(ledger_user()).get(f"{BASE}reports/trial-balance/", params)
    assert_error_body(response, 400, "invalid")


@pytest.mark.django_db
def test_trial_balance_wrong_role_is_403(books):
    assert_error_body(
        api_client(staff_user("Sales")).get(
            f"{BASE}reports/trial-balance/", {"date_from": "2026-01-01", "date_to": "2026-01-31"}
        ),
        403,
    )


@pytest.mark.django_db
def test_journal_list_is_read_only(books):
    client = api_client(ledger_user())
    assert client.get(f"{BASE}journals/").json()["count"] == 6
    assert client.post(f"{BASE}journals/", {"code": "X"}, format="json").status_code == 405
