"""App configuration: purchasing."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PurchasingConfig(AppConfig):
    """Purchase requisitions, purchase orders and receipts; receivers imported in ready()."""

    name = "erp_core.purchasing"
    label = "purchasing"
    verbose_name = _("Purchasing")

    def ready(self) -> None:
        from erp_core.purchasing import handlers  # noqa: F401
