"""App configuration: the finite-capacity schedule and capable-to-promise."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchedulingConfig(AppConfig):
    """Schedules the operations of firm and released production orders on the work centers'
    machines, reschedules when a machine goes down, and promises dates for new order lines."""

    name = "erp_core.scheduling"
    label = "scheduling"
    verbose_name = _("Scheduling")
