"""Posted journal entries and their lines are immutable: triggers refuse UPDATE and DELETE.

The one UPDATE allowed is the post itself (draft → posted: number, status, posted_at, posted_by),
because the triggers look at the row's status *before* the change. Lines cannot be added to,
changed in or removed from a posted entry. PostgreSQL and SQLite get their own SQL.
"""

from django.db import migrations

POSTED_ENTRY_MESSAGE = "ledger: a posted journal entry is immutable; reverse it instead"
POSTED_LINE_MESSAGE = "ledger: the lines of a posted journal entry are immutable"

POSTGRES_FORWARD = [
    f"""
    CREATE OR REPLACE FUNCTION ledger_refuse_posted_entry_change() RETURNS trigger AS $$
    BEGIN
        IF OLD.status = 'posted' THEN
            RAISE EXCEPTION '{POSTED_ENTRY_MESSAGE}' USING ERRCODE = 'restrict_violation';
        END IF;
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER ledger_journalentry_immutable
    BEFORE UPDATE OR DELETE ON ledger_journalentry
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_posted_entry_change();
    """,
    f"""
    CREATE OR REPLACE FUNCTION ledger_refuse_posted_line_change() RETURNS trigger AS $$
    BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') AND EXISTS (
            SELECT 1 FROM ledger_journalentry WHERE id = OLD.entry_id AND status = 'posted'
        ) THEN
            RAISE EXCEPTION '{POSTED_LINE_MESSAGE}' USING ERRCODE = 'restrict_violation';
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') AND EXISTS (
            SELECT 1 FROM ledger_journalentry WHERE id = NEW.entry_id AND status = 'posted'
        ) THEN
            RAISE EXCEPTION '{POSTED_LINE_MESSAGE}' USING ERRCODE = 'restrict_violation';
        END IF;
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER ledger_journalline_immutable
    BEFORE INSERT OR UPDATE OR DELETE ON ledger_journalline
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_posted_line_change();
    """,
]

POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS ledger_journalline_immutable ON ledger_journalline;",
    "DROP FUNCTION IF EXISTS ledger_refuse_posted_line_change();",
    "DROP TRIGGER IF EXISTS ledger_journalentry_immutable ON ledger_journalentry;",
    "DROP FUNCTION IF EXISTS ledger_refuse_posted_entry_change();",
]

SQLITE_FORWARD = [
    f"""
    CREATE TRIGGER ledger_journalentry_no_update
    BEFORE UPDATE ON ledger_journalentry
    WHEN OLD.status = 'posted'
    BEGIN SELECT RAISE(ABORT, '{POSTED_ENTRY_MESSAGE}'); END;
    """,
    f"""
    CREATE TRIGGER ledger_journalentry_no_delete
    BEFORE DELETE ON ledger_journalentry
    WHEN OLD.status = 'posted'
    BEGIN SELECT RAISE(ABORT, '{POSTED_ENTRY_MESSAGE}'); END;
    """,
    f"""
    CREATE TRIGGER ledger_journalline_no_insert
    BEFORE INSERT ON ledger_journalline
    WHEN (SELECT status FROM ledger_journalentry WHERE id = NEW.entry_id) = 'posted'
    BEGIN SELECT RAISE(ABORT, '{POSTED_LINE_MESSAGE}'); END;
    """,
    f"""
    CREATE TRIGGER ledger_journalline_no_update
    BEFORE UPDATE ON ledger_journalline
    WHEN (SELECT status FROM ledger_journalentry WHERE id = OLD.entry_id) = 'posted'
      OR (SELECT status FROM ledger_journalentry WHERE id = NEW.entry_id) = 'posted'
    BEGIN SELECT RAISE(ABORT, '{POSTED_LINE_MESSAGE}'); END;
    """,
    f"""
    CREATE TRIGGER ledger_journalline_no_delete
    BEFORE DELETE ON ledger_journalline
    WHEN (SELECT status FROM ledger_journalentry WHERE id = OLD.entry_id) = 'posted'
    BEGIN SELECT RAISE(ABORT, '{POSTED_LINE_MESSAGE}'); END;
    """,
]

SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS ledger_journalline_no_delete;",
    "DROP TRIGGER IF EXISTS ledger_journalline_no_update;",
    "DROP TRIGGER IF EXISTS ledger_journalline_no_insert;",
    "DROP TRIGGER IF EXISTS ledger_journalentry_no_delete;",
    "DROP TRIGGER IF EXISTS ledger_journalentry_no_update;",
]

SQL = {
    "postgresql": (POSTGRES_FORWARD, POSTGRES_BACKWARD),
    "sqlite": (SQLITE_FORWARD, SQLITE_BACKWARD),
}


def _run(schema_editor, *, forward: bool) -> None:
    """Run this database's statements; another backend is refused rather than left unguarded."""
    vendor = schema_editor.connection.vendor
    if vendor not in SQL:
        raise NotImplementedError(f"No immutability triggers for the {vendor!r} database.")
    for statement in SQL[vendor][0 if forward else 1]:
        schema_editor.execute(statement)


def create_triggers(apps, schema_editor) -> None:
    _run(schema_editor, forward=True)


def drop_triggers(apps, schema_editor) -> None:
    _run(schema_editor, forward=False)


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_triggers, drop_triggers, elidable=False),
    ]
