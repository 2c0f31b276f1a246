"""App configuration: material requirements planning and available-to-promise."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    """MRP: what to make and buy, and when; what can be promised from stock and planned supply.

    The planning core is plain Python over dataclasses (no ORM inside); its services load the
    input and save the output in bulk. Its receivers re-plan after sales orders change; it
    registers its roles' permissions, menu section, home-page counts and demo step in ready().
    """

    name = "erp_core.planning"
    label = "planning"
    verbose_name = _("Planning")

    def ready(self) -> None:
        from erp_core import registry
        from erp_core.planning import (
            handlers,  # noqa: F401 - connects the receivers
            menu,
            roles,
        )
        from erp_core.planning.demo import planning_step

        registry.register_roles(roles.ROLE_PERMISSIONS)
        registry.register_menu("erp", menu.ENTRIES, order=menu.ORDER)
        registry.register_worklist(menu.WORK, order=menu.ORDER)
        # The plan reads the demo's sales, purchase and production orders.
        registry.register_demo_step("planning", planning_step, after=["sales", "production"])
