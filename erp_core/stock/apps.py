"""App configuration for the stock ledger."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StockConfig(AppConfig):
    """The stock ledger and its valuation: registers its roles' permissions, its menu section,
    its demo step and its checks (invariant 2) with ``manage.py reconcile``."""

    name = "erp_core.stock"
    label = "stock"
    verbose_name = _("Stock ledger")

    def ready(self) -> None:
        from erp_core import registry
        from erp_core.ledger.closing import register_month_end_step
        from erp_core.masterdata.signals import item_standard_cost_changed
        from erp_core.stock import (
            handlers,  # noqa: F401 - connects the receivers of the warehouse's topics
            menu,
            roles,
        )
        from erp_core.stock.clearing import count_differences_clear
        from erp_core.stock.demo import stock_step
        from erp_core.stock.reconcile import COUNT_CHECKS, STOCK_CHECKS
        from erp_core.stock.services import revalue_on_standard_cost_change

        registry.register_roles(roles.ROLE_PERMISSIONS)
        registry.register_menu("erp", menu.ENTRIES, order=menu.ORDER)
        # Each opening move posts a journal entry: the books must be there first.
        registry.register_demo_step("stock", stock_step, after=["masterdata", "ledger"])
        registry.register_reconcile_check(*STOCK_CHECKS, *COUNT_CHECKS)
        # Month-end close: count differences parked on 1901 cleared to 6602 / 6711.
        register_month_end_step(
            "count_differences",
            _("Count differences cleared (1901)"),
            count_differences_clear,
            order=40,
        )
        # A standard cost changed in master data revalues the stock on hand at once.
        item_standard_cost_changed.connect(
            revalue_on_standard_cost_change, dispatch_uid="stock_standard_cost_revalue"
        )
