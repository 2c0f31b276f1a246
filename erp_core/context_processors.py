"""Template context shared by every staff page: the modules the user may open."""

from django.http import HttpRequest

from erp_core.navigation import modules_for


def navigation(request: HttpRequest) -> dict:
    """The navigation entries for the signed-in user (empty for anonymous visitors)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_modules": []}
    return {"nav_modules": modules_for(user)}
