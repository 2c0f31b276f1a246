"""The module permission of CRM."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ModuleAccess(models.Model):  # noqa: DJ008 - never shown, holds a permission
    """Holds the module-level permission that opens CRM's screens and API; it has no table."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [("access_crm", _("Can use the CRM module"))]
