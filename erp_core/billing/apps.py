"""App configuration: invoices and payments."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    """Customer invoices, supplier bills, payments, receivables and payables."""

    name = "erp_core.billing"
    label = "billing"
    verbose_name = _("Invoices and payments")
