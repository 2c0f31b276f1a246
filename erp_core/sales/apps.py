"""App configuration: sales."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SalesConfig(AppConfig):
    """Price lists, sales orders and deliveries; its receivers connect in ready(), where it
    registers its roles' permissions, menu section, home-page counts and demo step."""

    name = "erp_core.sales"
    label = "sales"
    verbose_name = _("Sales")

    def ready(self) -> None:
        from erp_core import registry
        from erp_core.sales import (
            handlers,  # noqa: F401 - connects the receivers
            menu,
            roles,
        )
        from erp_core.sales.demo import sales_step

        registry.register_roles(roles.ROLE_PERMISSIONS)
        registry.register_menu("erp", menu.ENTRIES, order=menu.ORDER)
        registry.register_worklist(menu.WORK, order=menu.ORDER)
        # After production, as before the steps were split: the documents keep their order.
        registry.register_demo_step("sales", sales_step, after=["stock", "production"])
