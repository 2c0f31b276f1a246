"""htmx helpers shared by the staff pages of every module."""

from django.http import HttpRequest


def wants_partial(request: HttpRequest) -> bool:
    """True when htmx asks for a fragment, not when it restores a page from its history.

    A history restore (after the cache missed) needs the full page, as a normal visit would.
    """
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request
