"""Editing and deleting a draft journal entry from its page; a posted entry stays as it is."""

import pytest
from django.urls import reverse

from common.testing import staff_user
from erp_core.ledger.models import JournalEntry
from erp_core.ledger.tests.helpers import TODAY, account, draft, ledger_user, line, posted

pytestmark = pytest.mark.django_db


@pytest.fixture
def finance(client, books):
    user = ledger_user()
    client.force_login(user)
    return user


def _edit_data(entry: JournalEntry, lines: list[tuple[str, str, str]], **head) -> dict:
    data = {
        "journal": entry.journal_id,
        "date": TODAY.isoformat(),
        "memo": entry.memo,
        "lines-TOTAL_FORMS": str(len(lines) + 2),
        "lines-INITIAL_FORMS": str(entry.lines.count()),
        "lines-MIN_NUM_FORMS": "2",
        "lines-MAX_NUM_FORMS": "200",
        **head,
    }
    for n, (code, debit, credit) in enumerate(lines):
        data[f"lines-{n}-account"] = account(code).pk
        data[f"lines-{n}-debit"] = debit
        data[f"lines-{n}-credit"] = credit
    return data


def _lines(entry: JournalEntry) -> list[tuple[str, int, int]]:
    return [
        (ln.account.code, ln.debit, ln.credit)
        for ln in entry.lines.select_related("account").order_by("id")
    ]


def test_edit_page_shows_the_draft_and_its_lines(client, finance):
    entry = draft(memo="rent")
    response = client.get(reverse("ledger:entry-edit", args=[entry.pk]))
    assert response.status_code == 200
    assert response.context["form"].initial["memo"] == "rent"
    initial = [form.initial for form in response.context["formset"].initial_forms]
    assert [(row["account"].code, row["debit"], row["credit"]) for row in initial] == [
        ("1002", 100, None),
        ("4001", None, 100),
    ]
    detail = client.get(reverse("ledger:entry-detail", args=[entry.pk]))
    assert 'data-testid="edit-entry"' in detail.text
    assert 'data-testid="delete-entry"' in detail.text


@pytest.mark.parametrize("role", ["Sales", "Planner"])
def test_edit_and_delete_are_refused_to_other_roles(client, books, role):
    entry = draft()
    client.force_login(staff_user(role))
    assert client.get(reverse("ledger:entry-edit", args=[entry.pk])).status_code == 403
    data = _edit_data(entry, [("1002", "5", ""), ("4001", "", "5")])
    assert client.post(reverse("ledger:entry-edit", args=[entry.pk]), data).status_code == 403
    assert client.post(reverse("ledger:entry-delete", args=[entry.pk])).status_code == 403
    assert _lines(JournalEntry.objects.get(pk=entry.pk)) == [("1002", 100, 0), ("4001", 0, 100)]


def test_edit_saves_the_head_and_replaces_the_lines(client, finance):
    entry = draft(memo="rent")
    response = client.post(
        reverse("ledger:entry-edit", args=[entry.pk]),
        _edit_data(
            entry,
            [("1002", "250.00", ""), ("4001", "", "200.00"), ("1001", "", "50.00")],
            memo="rent and deposit",
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("ledger:entry-detail", args=[entry.pk])
    entry.refresh_from_db()
    assert entry.memo == "rent and deposit" and entry.status == "draft"
    assert _lines(entry) == [("1002", 250, 0), ("4001", 0, 200), ("1001", 0, 50)]


def test_a_line_without_an_amount_is_dropped(client, finance):
    entry = draft(lines=[line("1002", debit="100"), line("4001", credit="60"),
                         line("1001", credit="40")])  # fmt: skip
    data = _edit_data(entry, [("1002", "100", ""), ("4001", "", "100"), ("1001", "", "")])
    response = client.post(reverse("ledger:entry-edit", args=[entry.pk]), data)
    assert response.status_code == 302
    assert _lines(entry) == [("1002", 100, 0), ("4001", 0, 100)]


def test_an_unbalanced_edit_shows_the_error_and_changes_nothing(client, finance):
    entry = draft(memo="rent")
    response = client.post(
        reverse("ledger:entry-edit", args=[entry.pk]),
        _edit_data(entry, [("1002", "250.00", ""), ("4001", "", "200.00")], memo="changed"),
    )
    assert response.status_code == 200
    assert "differ" in response.text
    entry.refresh_from_db()
    assert entry.memo == "rent"
    assert _lines(entry) == [("1002", 100, 0), ("4001", 0, 100)]


def test_a_posted_entry_cannot_be_edited(client, finance):
    entry = posted(memo="rent")
    url = reverse("ledger:entry-edit", args=[entry.pk])
    page = client.get(url, follow=True)
    assert page.redirect_chain[-1][0] == reverse("ledger:entry-detail", args=[entry.pk])
    assert "cannot change; reverse it instead" in page.text
    assert 'data-testid="edit-entry"' not in page.text
    response = client.post(
        url, _edit_data(entry, [("1002", "5", ""), ("4001", "", "5")], memo="x"), follow=True
    )
    assert "cannot change; reverse it instead" in response.text
    entry.refresh_from_db()
    assert entry.memo == "rent"
    assert _lines(entry) == [("1002", 100, 0), ("4001", 0, 100)]


def test_delete_removes_the_draft(client, finance):
    entry = draft()
    response = client.post(reverse("ledger:entry-delete", args=[entry.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("ledger:entry-list")
    assert "was deleted" in response.text
    assert not JournalEntry.objects.filter(pk=entry.pk).exists()


def test_delete_of_a_posted_entry_is_refused_with_a_message(client, finance):
    entry = posted()
    response = client.post(reverse("ledger:entry-delete", args=[entry.pk]), follow=True)
    assert "reverse it instead" in response.text
    assert JournalEntry.objects.get(pk=entry.pk).status == "posted"


def test_delete_needs_post(client, finance):
    entry = draft()
    assert client.get(reverse("ledger:entry-delete", args=[entry.pk])).status_code == 405
    assert JournalEntry.objects.filter(pk=entry.pk).exists()


def test_edit_of_an_unknown_entry_is_404(client, finance):
    assert client.get(reverse("ledger:entry-edit", args=[999])).status_code == 404
