"""MES's card on the menu and home page (registered by its app; no screens or counts yet)."""

from django.utils.translation import gettext_lazy as _

from erp_core.registry import Module

MODULE = Module(
    "mes", _("MES"), "mes.access_mes", _("Machines, work orders and shop-floor reports."), order=30
)
ENTRIES: tuple = ()
WORK: tuple = ()
