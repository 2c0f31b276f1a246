"""Load the demo data (idempotent)."""

from django.core.management.base import BaseCommand

from erp_core.demo import DEMO_PARTNER_USERS, DEMO_PASSWORD, DEMO_USERS, demo_load


class Command(BaseCommand):
    """``manage.py load_demo``: master data, books, stock and a user per role, each once."""

    help = "Load the demo data; running it again changes nothing."

    def handle(self, *args, **options) -> None:
        created = demo_load()
        summary = ", ".join(f"{count} {name}" for name, count in created.items() if count)
        self.stdout.write(f"Demo data created: {summary or 'nothing new'}.")
        users = ", ".join(username for username, _ in (*DEMO_USERS, *DEMO_PARTNER_USERS))
        self.stdout.write(f"Demo users {users} sign in with password {DEMO_PASSWORD!r}.")
