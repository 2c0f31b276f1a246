"""Posted entries and their lines are immutable in the database itself (triggers)."""

from decimal import Decimal

import pytest
from django.db import DatabaseError, transaction

from erp_core.ledger import services
from erp_core.ledger.models import JournalEntry, JournalLine
from erp_core.ledger.tests.helpers import TODAY, account, draft, posted
from erp_core.testing.books import seed_books

pytestmark = pytest.mark.django_db


def _refused(operation) -> None:
    """The operation fails with a database error and changes nothing."""
    with pytest.raises(DatabaseError), transaction.atomic():
        operation()


def test_a_posted_entry_cannot_be_updated_or_deleted_even_raw(books):
    entry = posted()
    rows = JournalEntry.objects.filter(pk=entry.pk)
    _refused(lambda: rows.update(memo="tampered"))
    _refused(lambda: rows.update(status="draft", number=None, posted_at=None))
    _refused(lambda: rows.delete())
    entry.refresh_from_db()
    assert (entry.memo, entry.status) == ("", "posted")


def test_the_lines_of_a_posted_entry_cannot_be_changed_removed_or_added(books):
    entry = posted()
    lines = JournalLine.objects.filter(entry=entry)
    _refused(lambda: lines.update(debit=Decimal("1")))
    _refused(lambda: lines.filter(debit__gt=0).update(account=account("1001")))
    _refused(lambda: lines.delete())
    _refused(
        lambda: JournalLine.objects.create(entry=entry, account=account("1001"), debit=Decimal(1))
    )
    assert lines.count() == 2
    assert sum(line.debit for line in lines) == Decimal("100")


def test_a_draft_line_cannot_be_moved_into_a_posted_entry(books):
    entry = posted()
    other = draft()
    _refused(lambda: JournalLine.objects.filter(entry=other).update(entry=entry))


def test_drafts_stay_editable_and_deletable(books):
    entry = draft()
    JournalEntry.objects.filter(pk=entry.pk).update(memo="fine")
    JournalLine.objects.filter(entry=entry).update(memo="fine")
    assert JournalEntry.objects.get(pk=entry.pk).memo == "fine"
    JournalEntry.objects.filter(pk=entry.pk).delete()
    assert not JournalLine.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_that_posts_can_be_flushed(books_flushable):
    seed_books()
    entry = posted()
    services.journal_entry_reverse(entry=entry, date=TODAY, actor=None)
    rows = JournalEntry.objects.filter(pk=entry.pk)
    with pytest.raises(DatabaseError), transaction.atomic():
        rows.delete()
    assert JournalEntry.objects.count() == 2
