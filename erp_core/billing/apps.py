"""App configuration: invoices and payments."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    """Customer invoices, supplier bills, payments, receivables and payables; its checks
    (invariant 7) join ``manage.py reconcile``."""

    name = "erp_core.billing"
    label = "billing"
    verbose_name = _("Invoices and payments")

    def ready(self) -> None:
        """Connect the receivers; register the roles' permissions, the finance card's section,
        the home-page counts, the demo step, the checks and the sales order's billing panel."""
        from erp_core import registry
        from erp_core.billing import (
            handlers,  # noqa: F401 - connects the receivers
            menu,
            panels,
            roles,
        )
        from erp_core.billing.demo import billing_step
        from erp_core.billing.reconcile import BILLING_CHECKS
        from erp_core.billing.services.grir import grir_accrual_post
        from erp_core.ledger.closing import register_month_end_step

        registry.register_roles(roles.ROLE_PERMISSIONS)
        registry.register_menu("finance", menu.ENTRIES, order=menu.ORDER)
        registry.register_worklist(menu.WORK, order=menu.ORDER)
        # It bills the receipt of purchasing's step and invoices the delivery of sales' step.
        registry.register_demo_step("billing", billing_step, after=["purchasing", "sales"])
        registry.register_reconcile_check(*BILLING_CHECKS)
        # Month-end close: goods received not billed accrued first (reversed the next day).
        register_month_end_step(
            "grir_accrual", _("Goods received not billed accrued"), grir_accrual_post, order=10
        )
        for panel in panels.PANELS:
            registry.register_panel(panel)
