"""Device credentials: issued and revoked by admins, separate from users.

A device's token is ``mdv_<key>.<secret>``; only its SHA-256 digest is stored, and the plain
token is returned once, when it is issued. The key finds the row; the digest is compared in
constant time.
"""

import hashlib
import hmac
import logging
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mes.models import Machine, MachineDevice

TOKEN_PREFIX = "mdv_"
KEY_LENGTH = 12

logger = logging.getLogger(__name__)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token() -> tuple[str, str]:
    key = secrets.token_hex(KEY_LENGTH // 2)
    return key, f"{TOKEN_PREFIX}{key}.{secrets.token_urlsafe(32)}"


@transaction.atomic
def device_issue(*, name: str, machines: list[Machine]) -> tuple[MachineDevice, str]:
    """A new device allowed to post for ``machines``; returns it and its plain token (shown
    once, never stored)."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the device a name.")})
    if MachineDevice.objects.filter(name=name).exists():
        raise ValidationError({"name": _("A device with this name exists already.")})
    key, token = _new_token()
    device = MachineDevice.objects.create(name=name, token_key=key, token_digest=_digest(token))
    device.machines.set(machines)
    logger.info("Machine device %s issued a token", name)
    return device, token


@transaction.atomic
def device_token_reissue(*, device: MachineDevice) -> str:
    """A new token for ``device`` (the old one stops working); returns the plain token."""
    key, token = _new_token()
    MachineDevice.objects.filter(pk=device.pk).update(
        token_key=key, token_digest=_digest(token), is_active=True, revoked_at=None
    )
    device.refresh_from_db()
    logger.info("Machine device %s re-issued a token", device.name)
    return token


@transaction.atomic
def device_revoke(*, device: MachineDevice) -> MachineDevice:
    """Revoke ``device``: its requests are refused (401) from now on; its events stay."""
    device.is_active = False
    device.revoked_at = timezone.now()
    device.save(update_fields=["is_active", "revoked_at"])
    logger.info("Machine device %s revoked", device.name)
    return device


def device_authenticate(token: str) -> MachineDevice | None:
    """The active device holding ``token``, or None."""
    if not token.startswith(TOKEN_PREFIX) or "." not in token:
        return None
    key = token[len(TOKEN_PREFIX) :].split(".", 1)[0]
    device = MachineDevice.objects.filter(token_key=key, is_active=True).first()
    if device is None or not hmac.compare_digest(device.token_digest, _digest(token)):
        return None
    return device
