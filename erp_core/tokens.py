"""API tokens for partners and integrations: issued by admins, stored hashed, revoked by deletion.

Tokens are django-rest-knox tokens: only a digest is kept, the plain token is shown once when it
is issued. Staff use sessions; there is deliberately no API endpoint that hands out tokens.
"""

import logging
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from knox.models import AuthToken
from knox.settings import knox_settings

from erp_core.models import User

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
