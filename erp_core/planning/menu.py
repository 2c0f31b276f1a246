"""Planning's section of the ERP card and its counts on the home page (registered by its app)."""

from django.utils.translation import gettext_lazy as _

from erp_core.planning.models import PlannedOrder, Shortage
from erp_core.registry import Entry, WorkItem

ORDER = 35

ENTRIES = (
    Entry(_("Planner dashboard"), "planning:dashboard", "planning.view_mrprun", _("Planning")),
    Entry(
        _("Planned orders"),
        "planning:planned-order-list",
        "planning.view_plannedorder",
        _("Planning"),
    ),
    Entry(
        _("Exception messages"),
        "planning:exception-list",
        "planning.view_exceptionmessage",
        _("Planning"),
    ),
    Entry(_("Shortages"), "planning:shortage-list", "planning.view_shortage", _("Planning")),
    Entry(_("Forecasts"), "planning:forecast-list", "planning.view_forecast", _("Planning")),
)

WORK = (
    WorkItem(
        "erp",
        "planning.firm_plannedorder",
        _("Planned orders to firm"),
        lambda: PlannedOrder.objects.filter(status=PlannedOrder.Status.PLANNED),
        "planning:planned-order-list",
        {"status": "planned"},
    ),
    WorkItem(
        "erp",
        "planning.view_shortage",
        _("Shortages"),
        lambda: Shortage.objects.all(),
        "planning:shortage-list",
    ),
)
