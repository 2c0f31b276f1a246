"""Gapless numbering per journal and fiscal year, also under concurrent posting (PostgreSQL)."""

import threading
from datetime import date

import pytest
from django.db import connections, transaction

from erp_core.ledger import services
from erp_core.ledger.models import JournalEntry, JournalSequence
from erp_core.ledger.reconcile import LEDGER_CHECKS, run_checks
from erp_core.ledger.reports import trial_balance
from erp_core.ledger.tests.helpers import draft, posted
from erp_core.testing.books import seed_books


@pytest.mark.django_db
def test_a_rolled_back_post_gives_its_number_back(books):
    entry = draft()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.journal_entry_post(entry=entry, actor=None)
        raise RuntimeError("the caller's transaction fails after the post")
    assert JournalEntry.objects.get(pk=entry.pk).number is None
    assert services.journal_entry_post(entry=entry, actor=None).number == "GEN-2026-000001"
    assert posted().number == "GEN-2026-000002"


@pytest.mark.django_db
def test_a_missing_sequence_row_is_created_on_first_post(books):
    JournalSequence.objects.all().delete()
    assert posted().number == "GEN-2026-000001"
    assert posted().number == "GEN-2026-000002"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_posts_get_numbers_one_to_twenty():
    """20 threads, each on its own connection, post 20 drafts at the same moment."""
    seed_books()
    drafts = [draft(day=date(2026, 3, 1 + n % 28)) for n in range(20)]
    barrier = threading.Barrier(len(drafts))
    errors: list[BaseException] = []

    def post(entry: JournalEntry) -> None:
        try:
            barrier.wait(timeout=30)
            services.journal_entry_post(entry=entry, actor=None)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post, args=(entry,)) for entry in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = sorted(JournalEntry.objects.values_list("number", flat=True))
    assert numbers == [f"GEN-2026-{n:06d}" for n in range(1, 21)]
    report = trial_balance(date_from=date(2026, 1, 1), date_to=date(2026, 12, 31))
    assert report.closing_sum == 0 and report.is_balanced
    assert run_checks(LEDGER_CHECKS) == []
