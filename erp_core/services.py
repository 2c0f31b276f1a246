"""Product-wide services: the role groups and the API's idempotency records."""

from datetime import timedelta

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from erp_core.models import IDEMPOTENCY_TTL, IdempotencyRecord
from erp_core.roles import ROLES


@transaction.atomic
def roles_sync() -> dict[str, int]:
    """Create the role groups and set their permissions to exactly what ROLES says.

    Permissions of modules switched off (not installed) are skipped; returns permissions per role.
    """
    wanted = {perm for perms in ROLES.values() for perm in perms}
    query = Q()
    for perm in wanted:
        app_label, codename = perm.split(".", 1)
        query |= Q(content_type__app_label=app_label, codename=codename)
    found = {
        f"{p.content_type.app_label}.{p.codename}": p
        for p in Permission.objects.filter(query).select_related("content_type")
    }
    result = {}
    for name, perms in ROLES.items():
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
