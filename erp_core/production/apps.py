"""App configuration: production orders."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProductionConfig(AppConfig):
    """Production orders: BOM and routing snapshot, WIP and cost roll-up.

    Its receivers of the shop floor's topics are imported in ready() so that they connect.
    """

    name = "erp_core.production"
    label = "production"
    verbose_name = _("Production orders")

    def ready(self) -> None:
        from erp_core.production import handlers  # noqa: F401
