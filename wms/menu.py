"""WMS's card on the menu and home page (registered by its app; no screens or counts yet)."""

from django.utils.translation import gettext_lazy as _

from erp_core.registry import Module

MODULE = Module(
    "wms", _("WMS"), "wms.access_wms", _("Bins, lots, receipts, picking and shipping."), order=40
)
ENTRIES: tuple = ()
WORK: tuple = ()
