"""Create the first administrator once and print its credentials (the README's run command)."""

import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    """``manage.py ensure_admin [--username admin]``: idempotent; the password is kept in var/."""

    help = "Create a superuser with a generated password (once) and print its credentials."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--username", default="admin")

    @transaction.atomic
    def handle(self, *args, username: str, **options) -> None:
        password_file = Path(settings.VAR_DIR) / f"{username}-password.txt"
        user_model = get_user_model()
        user = user_model.objects.filter(username=username).first()
        if user is None:
            password = secrets.token_urlsafe(12)
            user = user_model.objects.create_superuser(username=username, password=password)
            admin_group = Group.objects.filter(name="Admin").first()
            if admin_group:
                user.groups.add(admin_group)
            password_file.parent.mkdir(parents=True, exist_ok=True)
            password_file.write_text(password + "\n", encoding="utf-8")
            password_file.chmod(0o600)
        elif password_file.exists():
            password = password_file.read_text(encoding="utf-8").strip()
        else:
            password = "(unchanged: set it with `manage.py changepassword admin`)"
        self.stdout.write(
            self.style.SUCCESS(f"Administrator: user {username!r}, password {password!r}")
        )
