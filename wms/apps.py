"""App configuration for WMS."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WMSConfig(AppConfig):
    """Warehouse management: receivers connect to the bus in ready(), where WMS also registers
    its roles' permissions, its menu card, its demo step, its reconcile check and itself as the
    stock operator of the warehouses it runs, all gone when it is switched off."""

    name = "wms"
    verbose_name = _("Warehouse management")

    def ready(self) -> None:
        from erp_core import registry
        from wms import (
            handlers,  # noqa: F401 - connects the receivers
            menu,
            roles,
        )
        from wms.demo import wms_step
        from wms.reconcile import WMS_CHECKS
        from wms.selectors import warehouse_operator

        registry.register_roles(roles.ROLE_PERMISSIONS)
        registry.register_module(menu.MODULE)
        registry.register_menu("wms", menu.ENTRIES, order=10)
        registry.register_worklist(menu.WORK, order=10)
        registry.register_demo_step("wms", wms_step, after=["stock", "purchasing", "sales"])
        registry.register_reconcile_check(*WMS_CHECKS)
        # WMS receives and ships for the warehouses it runs; the ERP's own steps give way.
        registry.register_stock_operator(warehouse_operator)
