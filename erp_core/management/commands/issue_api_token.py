"""``manage.py issue_api_token <username> [--days N]``: print a new API token, once."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from erp_core.models import User
from erp_core.tokens import api_token_issue


class Command(BaseCommand):
    """Issue an API token for a user and print it; it cannot be shown again."""

    help = "Issue an API token for a user (a partner's user or an integration) and print it once."

    def add_arguments(self, parser: CommandParser) -> None:
        """Username, and an optional lifetime in days (default: REST_KNOX TOKEN_TTL)."""
        parser.add_argument("username")
        parser.add_argument(
            "--days", type=int, default=None, help="Lifetime in days (default: TOKEN_TTL)."
        )

    def handle(self, *args, username: str, days: int | None, **options) -> None:
        """Issue the token; the plain token goes to stdout alone so scripts can capture it."""
        try:
            user = User.objects.get(username=username)
        except User.DoesNotExist as exc:
            raise CommandError(f"No user named {username!r}.") from exc
        try:
            instance, token = api_token_issue(user=user, days=days, actor=None)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        expiry = instance.expiry.isoformat() if instance.expiry else "never"
        self.stderr.write(f"Token for {username}, expires {expiry}. It is shown only once:")
        self.stdout.write(token)
