"""What the document pages of every app share: reading a step's form, telling a refusal."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest


def error_text(exc: Exception) -> str:
    """A service's refusal (a validation error or a conflict) as one line for a message."""
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc)


def posted_revision(request: HttpRequest) -> int | None:
    """The revision a step's form was shown at (``revision``), so that a step taken on a page
    gone stale is refused; None when the form sent none."""
    value = request.POST.get("revision", "")
    return int(value) if value.isdigit() else None
