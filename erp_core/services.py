"""Product-wide services: the role groups and the API's idempotency records."""

from datetime import timedelta

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from erp_core.models import IDEMPOTENCY_TTL, IdempotencyRecord
from erp_core.registry import role_permissions


@transaction.atomic
def roles_sync() -> dict[str, int]:
    """Create the role groups and set their permissions to exactly what the installed apps
    registered for them (``erp_core.registry``); returns the number of permissions per role.

    A permission that does not exist (yet) is skipped.
    """
    roles = role_permissions()
    wanted = {perm for perms in roles.values() for perm in perms}
    query = Q()
    for perm in wanted:
        app_label, codename = perm.split(".", 1)
        query |= Q(content_type__app_label=app_label, codename=codename)
    found = {
        f"{p.content_type.app_label}.{p.codename}": p
        for p in Permission.objects.filter(query).select_related("content_type")
    }
    result = {}
    for name, perms in roles.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set([found[p] for p in perms if p in found])
        result[name] = len([p for p in perms if p in found])
    return result


def idempotency_records_purge(*, older_than: timedelta = IDEMPOTENCY_TTL) -> int:
    """Forget Idempotency-Key records past their lifetime; returns how many went."""
    count, _deleted = IdempotencyRecord.objects.filter(
        created_at__lt=timezone.now() - older_than
    ).delete()
    return count
