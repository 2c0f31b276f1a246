"""Reads of the ERP core, used by views, the API and services alike."""

from django.db.models import Q, QuerySet

from erp_core.models import Partner


def partner_list(*, user=None, search: str = "") -> QuerySet[Partner]:
    """Partners visible to the user (a partner's user sees only its own), optionally searched."""
    qs = Partner.objects.all().order_by("code")
    if user is not None and getattr(user, "partner_id", None):
        qs = qs.filter(pk=user.partner_id)
    if search:
        qs = qs.filter(
            Q(code__icontains=search) | Q(name__icontains=search) | Q(tax_id__icontains=search)
        )
    return qs
