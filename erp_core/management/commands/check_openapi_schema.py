"""Fail when docs/openapi.yaml differs from the generated schema (``--write`` updates it)."""

import difflib
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

SCHEMA_FILE = Path(settings.BASE_DIR) / "docs" / "openapi.yaml"


class Command(BaseCommand):
    """``manage.py check_openapi_schema [--write]``: the committed schema is part of the code."""

    help = "Compare docs/openapi.yaml with the generated OpenAPI schema."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--write", action="store_true", help="Rewrite docs/openapi.yaml.")

    def handle(self, *args, write: bool, **options) -> None:
        generated_file = Path(settings.VAR_DIR) / "openapi.generated.yaml"
        generated_file.parent.mkdir(parents=True, exist_ok=True)
        call_command("spectacular", "--file", str(generated_file), "--validate", "--fail-on-warn")
        generated = generated_file.read_text(encoding="utf-8")
        if write:
            SCHEMA_FILE.write_text(generated, encoding="utf-8")
            self.stdout.write(f"Wrote {SCHEMA_FILE}.")
            return
        committed = SCHEMA_FILE.read_text(encoding="utf-8") if SCHEMA_FILE.exists() else ""
        if committed != generated:
            diff = "".join(
                difflib.unified_diff(
                    committed.splitlines(keepends=True),
                    generated.splitlines(keepends=True),
                    "docs/openapi.yaml (committed)",
                    "generated",
                )
            )
            raise CommandError(
                f"docs/openapi.yaml is out of date; run `manage.py check_openapi_schema --write`."
                f"\n{diff[:20000]}"
            )
        self.stdout.write("docs/openapi.yaml matches the code.")
