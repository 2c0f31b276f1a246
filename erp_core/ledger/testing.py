"""Test helpers of the ledgers for every module's tests.

A ``transaction=True`` test that posts entries cannot be flushed on SQLite: Django flushes
with ``DELETE FROM``, which the immutability triggers refuse (PostgreSQL flushes with
``TRUNCATE``, which row triggers do not see). Such tests use the ``books_flushable`` fixture
pattern: ``purge_books()`` after the test drops the triggers, empties the ledger tables and
puts the triggers back.
"""

import importlib

from django.db import connection, transaction

from erp_core.ledger.models import JournalEntry, JournalLine, JournalSequence

_TRIGGERS = importlib.import_module("erp_core.ledger.migrations.0002_immutable_posted_entries")


class _Executor:
    """What the trigger migration needs of a schema editor: ``connection`` and ``execute``."""

    def __init__(self, cursor) -> None:
        self.connection = connection
        self._cursor = cursor

    def execute(self, sql: str) -> None:
        self._cursor.execute(sql)


def purge_books() -> None:
    """Delete every journal entry and line (posted ones too) and reset the sequences.

    For test teardown only: it lifts the immutability triggers for the length of one
    transaction.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        editor = _Executor(cursor)
        _TRIGGERS.drop_triggers(None, editor)
        JournalLine.objects.all().delete()
        JournalEntry.objects.filter(reversal_of__isnull=False).delete()
        JournalEntry.objects.all().delete()
        JournalSequence.objects.update(next_number=1)
        _TRIGGERS.create_triggers(None, editor)
