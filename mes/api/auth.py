"""Authentication of machine devices, for the machine data API only.

A device sends ``Authorization: Device <token>``; its token is not a user's, and opens nothing
but ``POST /api/v1/mes/machine-events/``.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import BasePermission
from rest_framework.throttling import SimpleRateThrottle

from mes.models import MachineDevice
from mes.services.devices import device_authenticate

KEYWORD = "Device"


class DeviceIdentity:
    """The authenticated caller of the machine data API: a device, not a user."""

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = False
    partner_id = None

    def __init__(self, device: MachineDevice) -> None:
        self.device = device
        self.pk = f"device-{device.pk}"

    def has_perm(self, perm: str, obj=None) -> bool:
        """A device holds no user permission."""
        return False

    def __str__(self) -> str:
        return f"device {self.device.name}"


class DeviceTokenAuthentication(BaseAuthentication):
    """``Authorization: Device <token>`` → the active device holding the token, else 401."""

    def authenticate(self, request):
        """The device of the request's token; None without a Device header."""
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != KEYWORD.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Give the device token after 'Device'."))
        try:
            token = header[1].decode()
        except UnicodeError as exc:
            raise exceptions.AuthenticationFailed(_("The device token is not valid.")) from exc
        device = device_authenticate(token)
        if device is None:
            raise exceptions.AuthenticationFailed(_("The device token is not valid or is revoked."))
        return DeviceIdentity(device), device

    def authenticate_header(self, request) -> str:
        """So that a missing token answers 401, not 403."""
        return KEYWORD


class IsDevice(BasePermission):
    """The caller is an authenticated device."""

    def has_permission(self, request, view) -> bool:
        """True for a device's request."""
        return isinstance(request.user, DeviceIdentity)


class DeviceRateThrottle(SimpleRateThrottle):
    """Batches per device and minute (a gateway for many machines posts often)."""

    scope = "mes_device"
    rate = "3000/minute"

    def get_rate(self) -> str:
        """The class's rate: a device's limit is not a setting of the user API."""
        return self.rate

    def get_cache_key(self, request, view) -> str | None:
        """One bucket per device."""
        if not isinstance(request.user, DeviceIdentity):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.device.pk}


class DeviceTokenScheme(OpenApiAuthenticationExtension):
    """The device token in the OpenAPI schema."""

    target_class = "mes.api.auth.DeviceTokenAuthentication"
    name = "DeviceToken"

    def get_security_definition(self, auto_schema) -> dict:
        """``Authorization: Device <token>``."""
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "A machine device's token: `Device mdv_…` (issued in the admin).",
        }
