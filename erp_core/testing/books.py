"""The seeded books as every module's tests get them: the ``books`` fixture (and
``books_flushable`` for transactional tests), ``seed_books`` for tests that seed by hand, and
``assert_books_reconcile`` for tests that book and check.

Registered by the root ``conftest.py`` (``pytest_plugins``), so any test may ask for ``books``.
"""

import datetime as dt
from collections.abc import Iterator

import pytest
from django.apps import apps
from django.utils import timezone

from erp_core.ledger.models import JournalEntry
from erp_core.ledger.selectors import company_settings
from erp_core.ledger.services import ledger_seed
from erp_core.ledger.testing import purge_books

# The day the dated tests of the ledgers and billing are set on (entries, invoices, aging).
BOOKS_DAY = dt.date(2026, 3, 15)


def assert_books_reconcile() -> None:
    """The books agree with the stock ledger, to the cent: every posted entry balances, the
    trial balance is zero, each inventory account equals the stock it holds (invariant 2), and
    each stock balance equals the sum of its ledger rows.

    These are ``manage.py reconcile``'s own checks, which round every database sum to the cent
    (SQLite sums decimals in floating point: 0.239999999999997 is 0.24); the failure lists the
    breaches.
    """
    from erp_core.ledger.reconcile import check_posted_entries_balance, check_trial_balance_zero
    from erp_core.stock.reconcile import STOCK_CHECKS

    breaches = [
        breach
        for check in (check_posted_entries_balance, check_trial_balance_zero, *STOCK_CHECKS)
        for breach in check()
    ]
    assert not breaches, "\n".join(str(breach) for breach in breaches)


def seed_books() -> None:
    """Company settings, chart of accounts, journals, posting rules and the fiscal years of
    ``BOOKS_DAY`` and of today (each with the year after), so that tests dated on
    ``BOOKS_DAY`` and tests dated today both find open periods. Idempotent."""
    ledger_seed(today=BOOKS_DAY)
    ledger_seed()
    # Documents are dated within the company's window of today: keep BOOKS_DAY inside it
    # however long ago it falls, so that the dated tests do not expire with the calendar.
    settings = company_settings()
    wanted = abs((timezone.localdate() - BOOKS_DAY).days) + 31
    if settings.document_date_window_days < wanted:
        settings.document_date_window_days = wanted
        settings.save(update_fields=["document_date_window_days"])


@pytest.fixture
def books(db) -> None:
    """The seeded books (see ``seed_books``)."""
    seed_books()


def _release_journal_entries() -> None:
    """Documents keep their entries (PROTECT): let go of them so the entries can be purged."""
    for model in apps.get_models():
        if model._meta.app_label == "ledger":
            continue
        for field in model._meta.fields:
            if field.is_relation and field.related_model is JournalEntry:
                model._base_manager.update(**{field.name: None})


@pytest.fixture
def books_flushable(transactional_db) -> Iterator[None]:
    """The seeded books for a ``transaction=True`` test (a live server's, a concurrency test's).

    Posted entries are purged before Django's flush, which the immutability triggers would
    refuse on SQLite (see ``erp_core.ledger.testing``).
    """
    seed_books()
    yield
    _release_journal_entries()
    purge_books()
