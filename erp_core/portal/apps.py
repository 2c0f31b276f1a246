"""App configuration for the partner portal."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The pages a customer's or supplier's own user signs in to: its orders, deliveries,
    receipts, invoices, statement and API tokens. It holds no tables and registers nothing:
    partner users hold no role, so the staff menu never shows it."""

    name = "erp_core.portal"
    label = "portal"
    verbose_name = _("Partner portal")
