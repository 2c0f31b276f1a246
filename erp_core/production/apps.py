"""App configuration: production orders."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProductionConfig(AppConfig):
    """Production orders: BOM and routing snapshot, WIP and cost roll-up.

    Its receivers of the shop floor's topics are imported in ready() so that they connect; it
    registers its roles' permissions, menu section, home-page counts and demo step there too.
    """

    name = "erp_core.production"
    label = "production"
    verbose_name = _("Production orders")

    def ready(self) -> None:
        from erp_core import registry
        from erp_core.production import (
            handlers,  # noqa: F401 - connects the receivers
            menu,
            roles,
        )
        from erp_core.production.demo import production_step

        registry.register_roles(roles.ROLE_PERMISSIONS)
        registry.register_menu("erp", menu.ENTRIES, order=menu.ORDER)
        registry.register_worklist(menu.WORK, order=menu.ORDER)
        # The frames consume the steel purchasing received: its cost is in their cost.
        registry.register_demo_step("production", production_step, after=["purchasing"])
