"""App configuration for WMS."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WMSConfig(AppConfig):
    """Warehouse management; its receivers are imported in ready() so that they connect to the bus."""

    name = "wms"
    verbose_name = _("Warehouse management")

    def ready(self) -> None:
        from wms import handlers  # noqa: F401
