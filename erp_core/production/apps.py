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
        from erp_core.ledger.closing import register_month_end_step
        from erp_core.production import (
            handlers,  # noqa: F401 - connects the receivers
            menu,
            roles,
        )
        from erp_core.production.demo import production_step
        from erp_core.production.reconcile import PRODUCTION_CHECKS
        from erp_core.production.services.closing import (
            production_late_costs_settle,
            production_overhead_clear,
        )

        registry.register_roles(roles.ROLE_PERMISSIONS)
        registry.register_menu("erp", menu.ENTRIES, order=menu.ORDER)
        registry.register_worklist(menu.WORK, order=menu.ORDER)
        # The frames consume the steel purchasing received: its cost is in their cost.
        registry.register_demo_step("production", production_step, after=["purchasing"])
        registry.register_reconcile_check(*PRODUCTION_CHECKS)
        # Month-end close: late costs of closed orders first, then overhead (its allocation
        # to orders is part of what later closes of those orders see).
        register_month_end_step(
            "production_late_costs", _("Late costs of closed production orders"),
            production_late_costs_settle, order=20,
        )  # fmt: skip
        register_month_end_step(
            "production_overhead", _("Manufacturing overhead cleared (5101)"),
            production_overhead_clear, order=30,
        )  # fmt: skip
