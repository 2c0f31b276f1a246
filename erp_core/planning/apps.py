"""App configuration: material requirements planning and available-to-promise."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    """MRP: what to make and buy, and when; what can be promised from stock and planned supply.

    The planning core is plain Python over dataclasses (no ORM inside); its services load the
    input and save the output in bulk.
    """

    name = "erp_core.planning"
    label = "planning"
    verbose_name = _("Planning")

    def ready(self) -> None:
        from erp_core.planning import handlers  # noqa: F401 - connects the receivers
