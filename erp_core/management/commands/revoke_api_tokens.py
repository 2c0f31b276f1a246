"""``manage.py revoke_api_tokens <username>``: delete every API token of a user."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from erp_core.models import User
from erp_core.tokens import api_token_revoke_all


class Command(BaseCommand):
    """Revoke all API tokens of a user: their requests answer 401 from now on."""

    help = "Revoke (delete) every API token of a user."

    def add_arguments(self, parser: CommandParser) -> None:
        """The username whose tokens go."""
        parser.add_argument("username")

    def handle(self, *args, username: str, **options) -> None:
        """Delete the tokens and say how many there were."""
        try:
            user = User.objects.get(username=username)
        except User.DoesNotExist as exc:
            raise CommandError(f"No user named {username!r}.") from exc
        count = api_token_revoke_all(user=user)
        self.stdout.write(f"Revoked {count} token(s) of {username}.")
