"""App configuration for MES."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MESConfig(AppConfig):
    """Manufacturing execution: receivers connect to the bus in ready(), where MES also registers
    its roles' permissions, its menu card and its demo step, all gone when it is switched off."""

    name = "mes"
    verbose_name = _("Manufacturing execution")

    def ready(self) -> None:
        from erp_core import registry
        from mes import (
            admin_work,  # noqa: F401 - registers the work orders' admin pages
            handlers,  # noqa: F401 - connects the receivers
            menu,
            roles,
        )
        from mes.demo import mes_step
        from mes.selectors_work import production_order_operator

        registry.register_roles(roles.ROLE_PERMISSIONS)
        registry.register_module(menu.MODULE)
        registry.register_menu("mes", menu.ENTRIES, order=10)
        registry.register_worklist(menu.WORK, order=10)
        registry.register_demo_step("mes", mes_step, after=["production"])
        # With MES on, the shop-floor reports of the orders it runs come from its terminal and
        # the ERP's own steps give way.
        registry.register_production_operator(production_order_operator)
