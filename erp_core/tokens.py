"""API tokens for partners and integrations: stored hashed, revoked by deletion.

Tokens are django-rest-knox tokens: only a digest is kept, the plain token is shown once when it
is issued. Admins issue them (``manage.py issue_api_token``); a partner's own user makes, lists
and revokes its own on the partner portal, each with a name and an expiry date. Staff use
sessions; there is deliberately no API endpoint that hands out tokens.
"""

import datetime as dt
import logging
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from knox.models import AuthToken
from knox.settings import knox_settings

from common.errors import NotFound
from erp_core.models import ApiTokenName, User

#: The longest a token a partner makes itself may live.
PARTNER_TOKEN_MAX_DAYS = 366

logger = logging.getLogger(__name__)


@transaction.atomic
def api_token_issue(*, user: User, days: int | None, actor: User | None) -> tuple[AuthToken, str]:
    """Issue a token for ``user``; returns the stored token and the plain token (shown once).

    ``days`` sets the lifetime; ``None`` uses REST_KNOX's TOKEN_TTL. ``actor`` is who asked, for
    the log (``None`` when a management command issued it).
    """
    if days is not None and days < 1:
        raise ValidationError({"days": _("A token lives at least one day.")})
    if not user.is_active:
        raise ValidationError({"user": _("An inactive user cannot be given a token.")})
    expiry = timedelta(days=days) if days is not None else knox_settings.TOKEN_TTL
    instance, token = AuthToken.objects.create(user=user, expiry=expiry)
    logger.info(
        "API token %s issued for %s by %s, expires %s",
        instance.token_key,
        user.get_username(),
        actor.get_username() if actor is not None else "a command",
        instance.expiry,
    )
    return instance, token


@transaction.atomic
def api_token_revoke_all(*, user: User) -> int:
    """Delete every token of ``user``: requests with them answer 401 from now on.

    Returns how many tokens were revoked.
    """
    count, _deleted = AuthToken.objects.filter(user=user).delete()
    logger.info("%d API token(s) of %s revoked", count, user.get_username())
    return count


@transaction.atomic
def api_token_create(
    *, user: User, name: str, expires_on: dt.date, actor: User
) -> tuple[AuthToken, str]:
    """A named token for ``user`` that stops working at the end of ``expires_on``; returns the
    stored token and the plain token (shown once).

    A partner makes its own on the portal: the date is tomorrow at the earliest and at most
    ``PARTNER_TOKEN_MAX_DAYS`` ahead, so that no token lives forever.
    """
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name.")})
    today = timezone.localdate()
    if expires_on <= today:
        raise ValidationError({"expires_on": _("A token expires after today.")})
    if expires_on > today + timedelta(days=PARTNER_TOKEN_MAX_DAYS):
        longest = _("A token lives at most %(days)d days.") % {"days": PARTNER_TOKEN_MAX_DAYS}
        raise ValidationError({"expires_on": longest})
    if not user.is_active:
        raise ValidationError({"user": _("An inactive user cannot be given a token.")})
    end = timezone.make_aware(dt.datetime.combine(expires_on + timedelta(days=1), dt.time.min))
    instance, token = AuthToken.objects.create(user=user, expiry=end - timezone.now())
    ApiTokenName.objects.create(token=instance, name=name[:64])
    logger.info(
        "API token %s (%s) made for %s by %s, expires %s",
        instance.token_key,
        name,
        user.get_username(),
        actor.get_username(),
        instance.expiry,
    )
    return instance, token


def api_token_list(*, user: User) -> QuerySet[AuthToken]:
    """The tokens of ``user`` still valid, newest first, with their names."""
    return (
        AuthToken.objects.filter(user=user, expiry__gt=timezone.now())
        .select_related("name")
        .order_by("-created")
    )


@transaction.atomic
def api_token_revoke(*, user: User, token_key: str, actor: User) -> None:
    """Delete the token of ``user`` whose key (the first characters, shown in its list) is
    ``token_key``: requests with it answer 401 from now on. Another user's token is not found."""
    count, _deleted = AuthToken.objects.filter(user=user, token_key=token_key).delete()
    if not count:
        raise NotFound(_("No such token."))
    logger.info(
        "API token %s of %s revoked by %s", token_key, user.get_username(), actor.get_username()
    )
