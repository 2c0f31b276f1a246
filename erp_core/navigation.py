"""Which modules a user may open, and their entry points: one table for the menu and home page.

The table is what the installed apps registered (``erp_core.registry``): a module switched off
registers nothing, so it is simply absent.
"""

from dataclasses import replace

from erp_core.registry import Entry, Module, menu

__all__ = ["Entry", "Module", "modules_for"]


def modules_for(user) -> list[Module]:
    """The registered modules whose permission the user holds, in menu order, each with the
    entries the user may open."""
    perms = user.get_all_permissions() if user.is_active else set()
    allowed = user.is_superuser or None

    def may(permission: str) -> bool:
        return not permission or bool(allowed) or permission in perms

    return [
        replace(m, entries=tuple(e for e in m.entries if may(e.permission)))
        for m in menu()
        if may(m.permission)
    ]
