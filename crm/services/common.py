"""Helpers the CRM services share: full validation before a write, visibility, numbering."""

import uuid
from typing import Any, TypeVar, cast

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from erp_core.models import User

VIEW_ALL = "crm.view_all_accounts"


def sees_all(user: User | None) -> bool:
    """Whether ``user`` sees every salesperson's accounts (else only those they own)."""
    return user is None or user.has_perm(VIEW_ALL)


def signed_in_user(request: Any) -> User:
    """The user of a request that passed CRM's sign-in and module checks (a page's decorator,
    the API's permission classes), typed as such."""
    return cast(User, request.user)


def refuse_unknown(fields: dict, allowed: tuple[str, ...]) -> None:
    """Refuse fields the entity does not have (or that a caller may not set)."""
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValidationError({name: _("Unknown field.") for name in sorted(unknown)})


def cleaned(value):
    """Strings are kept without surrounding blanks."""
    return value.strip() if isinstance(value, str) else value


M = TypeVar("M", bound=models.Model)


def saved(instance: M, *, exclude: list[str] | None = None) -> M:
    """Validate the whole row (fields, bounds, constraints), then save it."""
    instance.full_clean(exclude=exclude)
    instance.save()
    return instance


def temporary_number() -> str:
    """A unique placeholder until the row has its pk (numbers are ``<prefix>-<year>-<pk>``)."""
    return f"new-{uuid.uuid4().hex[:24]}"


def number_for(prefix: str, *, year: int, pk: int) -> str:
    """``QT-2026-000042``: the prefix, the year and the row's id."""
    return f"{prefix}-{year}-{pk:06d}"
