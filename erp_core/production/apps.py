"""App configuration: production orders."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProductionConfig(AppConfig):
    """Production orders: BOM and routing snapshot, WIP and cost roll-up."""

    name = "erp_core.production"
    label = "production"
    verbose_name = _("Production orders")
