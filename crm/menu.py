"""CRM's card on the menu and home page (registered by its app; no screens or counts yet)."""

from django.utils.translation import gettext_lazy as _

from erp_core.registry import Module

MODULE = Module(
    "crm", _("CRM"), "crm.access_crm", _("Accounts, leads, quotes and service."), order=50
)
ENTRIES: tuple = ()
WORK: tuple = ()
