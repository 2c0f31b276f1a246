"""App configuration for the ERP ledgers."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    """The general ledger and the stock ledger."""

    name = "erp_core.ledger"
    label = "ledger"
    verbose_name = _("Ledgers")
