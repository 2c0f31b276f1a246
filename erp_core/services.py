"""ERP core services: the only code that changes ERP state."""

from datetime import timedelta

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from common.errors import Conflict
from erp_core.models import IDEMPOTENCY_TTL, IdempotencyRecord, Partner
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


PARTNER_FIELDS = ("code", "name", "kind", "tax_id", "email", "phone", "is_active")


@transaction.atomic
def partner_create(*, code: str, name: str, kind: str, **fields) -> Partner:
    """Create a partner after full validation (unique code, known kind, tax id format)."""
    unknown = set(fields) - set(PARTNER_FIELDS)
    if unknown:
        raise ValidationError({field: _("Unknown field.") for field in sorted(unknown)})
    partner = Partner(code=code.strip(), name=name.strip(), kind=kind, **fields)
    partner.full_clean()
    partner.save()
    return partner


@transaction.atomic
def partner_update(*, partner: Partner, **fields) -> Partner:
    """Change a partner's fields; the history keeps who changed what."""
    unknown = set(fields) - set(PARTNER_FIELDS)
    if unknown:
        raise ValidationError({field: _("Unknown field.") for field in sorted(unknown)})
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    for field, value in fields.items():
        setattr(partner, field, value.strip() if isinstance(value, str) else value)
    partner.full_clean()
    partner.save()
    return partner


@transaction.atomic
def partner_delete(*, partner: Partner) -> None:
    """Delete a partner nobody signs in for; one with users is refused (Conflict)."""
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    if partner.users.exists():
        raise Conflict(
            _("This partner still has users: remove or reassign them first."),
            code="partner_has_users",
        )
    partner.delete()


def idempotency_records_purge(*, older_than: timedelta = IDEMPOTENCY_TTL) -> int:
    """Forget Idempotency-Key records past their lifetime; returns how many went."""
    count, _deleted = IdempotencyRecord.objects.filter(
        created_at__lt=timezone.now() - older_than
    ).delete()
    return count
