"""A journal line may carry a negative amount on one side: a red-letter line (红字) of a credit
note. The immutability triggers are dropped for this migration and made again at its end
(changing a constraint rebuilds the table on SQLite, which would lose them), as in 0007."""

from importlib import import_module

from django.db import migrations, models

memo_migration = import_module("erp_core.ledger.migrations.0007_memo_kind_and_values")


class Migration(migrations.Migration):

    dependencies = [
        ('erp_core', '0007_help_texts_in_one_language'),
        ('ledger', '0010_alter_historicalpostingrule_kind_and_more'),
    ]

    operations = [
        migrations.RunPython(
            memo_migration.drop_triggers, memo_migration.create_triggers, elidable=False
        ),
        migrations.RemoveConstraint(
            model_name='journalline',
            name='ledger_line_one_side_positive',
        ),
        migrations.AddConstraint(
            model_name='journalline',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('credit', 0), ('debit__gt', 0)), models.Q(('credit__gt', 0), ('debit', 0)), models.Q(('credit', 0), ('debit__lt', 0)), models.Q(('credit__lt', 0), ('debit', 0)), _connector='OR'), name='ledger_line_one_side'),
        ),
        migrations.RunPython(
            memo_migration.create_triggers, memo_migration.drop_triggers, elidable=False
        ),
    ]
