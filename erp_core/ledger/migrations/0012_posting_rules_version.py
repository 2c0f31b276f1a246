"""The posting rules' version: a token that triggers change with every write to the posting
rules, the accounts or the item categories, so a process may keep the rules it read across
transactions for as long as the token stays the same (see ``PostingRulesVersion``).

The triggers write inside the writing transaction, whatever wrote: a service, the admin, a bulk
update, another process. PostgreSQL fires once per statement (TRUNCATE included); SQLite once
per row. A later migration that rebuilds one of these tables on SQLite (most column changes do)
must make the triggers again, as 0007 and 0011 do for the immutability triggers:
``test_posting_rules_cache`` fails when they are missing.
"""

import secrets

from django.db import migrations, models

TABLES = ("ledger_postingrule", "ledger_account", "erp_core_itemcategory")
VERSION = "ledger_postingrulesversion"

POSTGRES_FORWARD = [
    f"""
    CREATE OR REPLACE FUNCTION ledger_posting_rules_changed() RETURNS trigger AS $$
    BEGIN
        INSERT INTO {VERSION} (id, token) VALUES (1, (random() * 4e18)::bigint)
        ON CONFLICT (id) DO UPDATE SET token = EXCLUDED.token;
        RETURN NULL;
    END;
    $$ LANGUAGE plpgsql;
    """,
    *(
        f"""
        CREATE TRIGGER {table}_rules_version
        AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
        FOR EACH STATEMENT EXECUTE FUNCTION ledger_posting_rules_changed();
        """
        for table in TABLES
    ),
]
POSTGRES_BACKWARD = [
    *(f"DROP TRIGGER IF EXISTS {table}_rules_version ON {table};" for table in TABLES),
    "DROP FUNCTION IF EXISTS ledger_posting_rules_changed();",
]

SQLITE_FORWARD = [
    f"""
    CREATE TRIGGER {table}_rules_version_{operation.lower()}
    AFTER {operation} ON {table}
    BEGIN INSERT OR REPLACE INTO {VERSION} (id, token) VALUES (1, random()); END;
    """
    for table in TABLES
    for operation in ("INSERT", "UPDATE", "DELETE")
]
SQLITE_BACKWARD = [
    f"DROP TRIGGER IF EXISTS {table}_rules_version_{operation.lower()};"
    for table in TABLES
    for operation in ("INSERT", "UPDATE", "DELETE")
]

SQL = {
    "postgresql": (POSTGRES_FORWARD, POSTGRES_BACKWARD),
    "sqlite": (SQLITE_FORWARD, SQLITE_BACKWARD),
}


def _run(schema_editor, *, forward: bool) -> None:
    """Run this database's statements; another backend gets no triggers and so no row: its
    rules are then kept per transaction only."""
    statements = SQL.get(schema_editor.connection.vendor)
    if statements is None:
        return
    for statement in statements[0 if forward else 1]:
        schema_editor.execute(statement)


def create_triggers(apps, schema_editor) -> None:
    _run(schema_editor, forward=True)
    if schema_editor.connection.vendor in SQL:
        apps.get_model("ledger", "PostingRulesVersion").objects.using(
            schema_editor.connection.alias
        ).update_or_create(pk=1, defaults={"token": secrets.randbits(62)})


def drop_triggers(apps, schema_editor) -> None:
    _run(schema_editor, forward=False)


class Migration(migrations.Migration):
    dependencies = [
        ("erp_core", "0009_item_lot_sizing"),
        ("ledger", "0011_red_letter_lines"),
    ]

    operations = [
        migrations.CreateModel(
            name="PostingRulesVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("token", models.BigIntegerField(default=0)),
            ],
            options={
                "verbose_name": "posting rules version",
                "verbose_name_plural": "posting rules versions",
            },
        ),
        migrations.RunPython(create_triggers, drop_triggers, elidable=False),
    ]
