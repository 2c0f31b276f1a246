"""App configuration: sales."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SalesConfig(AppConfig):
    """Price lists, sales orders and deliveries; its receivers connect in ready()."""

    name = "erp_core.sales"
    label = "sales"
    verbose_name = _("Sales")

    def ready(self) -> None:
        from erp_core.sales import handlers  # noqa: F401
