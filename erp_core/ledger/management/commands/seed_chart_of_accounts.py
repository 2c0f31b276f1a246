"""Seed the chart of accounts, the journals and the default posting rules (idempotent)."""

from django.core.management.base import BaseCommand

from erp_core.ledger.services import chart_of_accounts_seed, journals_seed, posting_rules_seed


class Command(BaseCommand):
    """``manage.py seed_chart_of_accounts``: the 企业会计准则 accounts, journals and rules."""

    help = "Add the missing standard accounts, journals and posting rules; existing ones stay."

    def handle(self, *args, **options) -> None:
        accounts = chart_of_accounts_seed()
        journals = journals_seed()
        rules = posting_rules_seed()
        self.stdout.write(
            f"Chart of accounts: {accounts} account(s), {journals} journal(s), "
            f"{rules} posting rule(s) added."
        )
