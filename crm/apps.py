"""App configuration for CRM."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CRMConfig(AppConfig):
    """Customer relationships; its receivers are imported in ready() so that they connect to the bus."""

    name = "crm"
    verbose_name = _("Customer relationships")

    def ready(self) -> None:
        from crm import handlers  # noqa: F401
