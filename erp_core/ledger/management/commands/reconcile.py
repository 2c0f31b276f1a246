"""Check the invariants of the books and report every breach; exit non-zero on any."""

from django.core.management.base import BaseCommand, CommandError

from erp_core.ledger.reconcile import run_checks
from erp_core.registry import reconcile_checks


class Command(BaseCommand):
    """``manage.py reconcile``: every check the installed apps registered."""

    help = "Check that the books balance and posted entries are intact; exit 1 on any breach."

    def handle(self, *args, **options) -> None:
        checks = reconcile_checks()
        breaches = run_checks(checks)
        for breach in breaches:
            self.stdout.write(str(breach))
        if breaches:
            raise CommandError(f"{len(breaches)} breach(es) found by {len(checks)} check(s).")
        self.stdout.write(self.style.SUCCESS(f"All {len(checks)} checks passed."))
