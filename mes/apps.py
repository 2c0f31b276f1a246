"""App configuration for MES."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MESConfig(AppConfig):
    """Manufacturing execution: receivers connect to the bus in ready()."""

    name = "mes"
    verbose_name = _("Manufacturing execution")

    def ready(self) -> None:
        from mes import handlers  # noqa: F401
