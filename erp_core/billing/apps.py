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
        """Register the billing checks with ``manage.py reconcile``; connect the receivers."""
        from erp_core.billing import handlers  # noqa: F401 - connects the receivers
        from erp_core.billing.reconcile import BILLING_CHECKS
        from erp_core.ledger.reconcile import CHECKS

        CHECKS.extend(check for check in BILLING_CHECKS if check not in CHECKS)
