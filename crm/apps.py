"""App configuration for CRM."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CRMConfig(AppConfig):
    """Customer relationships: receivers connect to the bus in ready()."""

    name = "crm"
    verbose_name = _("Customer relationships")

    def ready(self) -> None:
        from crm import handlers  # noqa: F401
