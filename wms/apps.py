"""App configuration for WMS."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WMSConfig(AppConfig):
    """Warehouse management: receivers connect to the bus in ready()."""

    name = "wms"
    verbose_name = _("Warehouse management")

    def ready(self) -> None:
        from wms import handlers  # noqa: F401
