"""Load the demo data (idempotent)."""

from django.core.management.base import BaseCommand

from erp_core.demo import DEMO_PASSWORD, DEMO_USERS, demo_load


class Command(BaseCommand):
    """``manage.py load_demo``: partners and a user per role, each created once."""

    help = "Load the demo data; running it again changes nothing."

    def handle(self, *args, **options) -> None:
        created = demo_load()
        self.stdout.write(
            f"Demo data: {created['partners']} partner(s), {created['users']} user(s) created."
        )
        users = ", ".join(username for username, _ in DEMO_USERS)
        self.stdout.write(
            f"Demo users {users} and customer-c001 sign in with password {DEMO_PASSWORD!r}."
        )
