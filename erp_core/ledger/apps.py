"""App configuration for the ERP ledgers."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    """The general ledger: registers its roles' permissions, its section of the finance card, its
    demo step and its checks (invariants 3 and 5) with ``manage.py reconcile``."""

    name = "erp_core.ledger"
    label = "ledger"
    verbose_name = _("Ledgers")

    def ready(self) -> None:
        from erp_core import registry
        from erp_core.ledger import menu, roles
        from erp_core.ledger.closing import check_profit_and_loss_closed
        from erp_core.ledger.demo import ledger_step
        from erp_core.ledger.reconcile import LEDGER_CHECKS

        registry.register_roles(roles.ROLE_PERMISSIONS)
        registry.register_menu("finance", menu.ENTRIES, order=menu.ORDER)
        registry.register_demo_step("ledger", ledger_step, after=["masterdata"])
        registry.register_reconcile_check(*LEDGER_CHECKS)
        registry.register_reconcile_check(check_profit_and_loss_closed)
