"""The schedule's entry in the ERP card and its counts on the home page (registered by its app)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from erp_core.registry import Entry, WorkItem
from erp_core.scheduling.models import PromiseSlip, ScheduledOperation

ORDER = 35

ENTRIES = (
    Entry(
        pgettext_lazy("scheduling", "Production schedule"),
        "scheduling:schedule",
        "scheduling.view_schedule",
        _("Production"),
    ),
    Entry(
        pgettext_lazy("scheduling", "Shifts and holidays"),
        "scheduling:calendar",
        "scheduling.view_workcentershift",
        _("Production"),
    ),
)

WORK = (
    WorkItem(
        "erp",
        "scheduling.view_schedule",
        pgettext_lazy("scheduling", "Late scheduled operations"),
        lambda: ScheduledOperation.objects.filter(schedule__is_current=True, is_late=True),
        "scheduling:schedule",
        {},
    ),
    WorkItem(
        "erp",
        "scheduling.view_schedule",
        pgettext_lazy("scheduling", "Promised dates that slipped"),
        lambda: PromiseSlip.objects.filter(schedule__is_current=True),
        "scheduling:schedule",
        {},
    ),
)
