"""Re-send undelivered events and due retries: once, or in a loop for the embedded default."""

import time

from django.core.management.base import BaseCommand

from integration.services import outbox_sweep


class Command(BaseCommand):
    """``manage.py bus_sweep [--loop SECONDS]``: what Celery beat does in production."""

    help = "Re-send events committed but never delivered, and retries that are due."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--loop",
            type=float,
            default=0,
            metavar="SECONDS",
            help="Sweep again every SECONDS until interrupted (0: sweep once).",
        )

    def handle(self, *args, loop: float, **options) -> None:
        while True:
            sent = outbox_sweep()
            if sent or not loop:
                self.stdout.write(f"Re-sent {sent} event(s).")
            if not loop:
                return
            time.sleep(loop)
