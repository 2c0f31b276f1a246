"""Check the invariants of the books and report every breach; exit non-zero on any."""

from django.core.management.base import BaseCommand, CommandError

from erp_core.ledger.reconcile import CHECKS, run_checks


class Command(BaseCommand):
    """``manage.py reconcile``: every check of ``erp_core.ledger.reconcile.CHECKS``."""

    help = "Check that the books balance and posted entries are intact; exit 1 on any breach."

    def handle(self, *args, **options) -> None:
        breaches = run_checks()
        for breach in breaches:
            self.stdout.write(str(breach))
        if breaches:
            raise CommandError(f"{len(breaches)} breach(es) found by {len(CHECKS)} check(s).")
        self.stdout.write(self.style.SUCCESS(f"All {len(CHECKS)} checks passed."))
