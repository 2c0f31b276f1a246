"""App configuration: purchasing."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PurchasingConfig(AppConfig):
    """Purchase requisitions, purchase orders and receipts; its receivers connect in ready(),
    where it registers its roles' permissions, menu section, home-page counts and demo step."""

    name = "erp_core.purchasing"
    label = "purchasing"
    verbose_name = _("Purchasing")

    def ready(self) -> None:
        from erp_core import registry
        from erp_core.purchasing import (
            handlers,  # noqa: F401 - connects the receivers
            menu,
            roles,
        )
        from erp_core.purchasing.demo import purchasing_step

        registry.register_roles(roles.ROLE_PERMISSIONS)
        registry.register_menu("erp", menu.ENTRIES, order=menu.ORDER)
        registry.register_worklist(menu.WORK, order=menu.ORDER)
        # The receipt is valued at the moving average, so it comes after the opening stock.
        registry.register_demo_step("purchasing", purchasing_step, after=["stock"])
