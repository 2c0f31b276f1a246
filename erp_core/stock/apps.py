"""App configuration for the stock ledger."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StockConfig(AppConfig):
    """The stock ledger and its valuation; its checks join ``manage.py reconcile``."""

    name = "erp_core.stock"
    label = "stock"
    verbose_name = _("Stock ledger")

    def ready(self) -> None:
        from erp_core.ledger.reconcile import CHECKS
        from erp_core.stock.reconcile import STOCK_CHECKS

        CHECKS.extend(check for check in STOCK_CHECKS if check not in CHECKS)
