"""App configuration: the finite-capacity schedule and capable-to-promise."""

from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class SchedulingConfig(AppConfig):
    """Schedules the operations of firm and released production orders on the work centers'
    machines, reschedules when a machine goes down, and promises dates for new order lines.

    Its receiver of ``mes.machine_state_changed``, roles, menu, home-page counts and demo step
    are registered in ready().
    """

    name = "erp_core.scheduling"
    label = "scheduling"
    verbose_name = pgettext_lazy("scheduling", "Scheduling")

    def ready(self) -> None:
        from erp_core import registry
        from erp_core.scheduling import (
            handlers,  # noqa: F401 - connects the receivers
            menu,
            roles,
        )
        from erp_core.scheduling.demo import scheduling_step

        registry.register_roles(roles.ROLE_PERMISSIONS)
        registry.register_menu("erp", menu.ENTRIES, order=menu.ORDER)
        registry.register_worklist(menu.WORK, order=menu.ORDER)
        registry.register_demo_step("scheduling", scheduling_step, after=["production"])
