"""CRM's card on the menu and home page, its links and its waiting work (registered by its app)."""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crm.models import Activity, Lead, Quote, Receivable, Ticket
from erp_core.registry import Entry, Module, WorkItem

MODULE = Module(
    "crm", _("CRM"), "crm.access_crm", _("Accounts, leads, quotes and service."), order=50
)

_SALES = _("Sales")
_SERVICE = _("Service and collections")

ENTRIES: tuple = (
    Entry(_("Sales dashboard"), "crm:dashboard", "crm.access_crm", _SALES),
    Entry(_("My day"), "crm:my-day", "crm.access_crm", _SALES),
    Entry(_("Leads"), "crm:lead-list", "crm.view_lead", _SALES),
    Entry(_("Accounts"), "crm:account-list", "crm.view_account", _SALES),
    Entry(_("Pipeline"), "crm:pipeline", "crm.view_opportunity", _SALES),
    Entry(_("Quotes"), "crm:quote-list", "crm.view_quote", _SALES),
    Entry(_("Service tickets"), "crm:ticket-list", "crm.view_ticket", _SERVICE),
    Entry(_("Collections"), "crm:collections", "crm.view_receivable", _SERVICE),
    Entry(_("Import from Excel"), "crm:import", "crm.add_lead", _SALES),
)


def _overdue_activities():
    return Activity.objects.filter(done_at__isnull=True, due_at__lt=timezone.now())


def _overdue_tickets():
    return Ticket.objects.filter(
        Q(status=Ticket.Status.OPEN) | Q(status=Ticket.Status.IN_PROGRESS),
        sla_due_at__lt=timezone.now(),
    )


WORK: tuple = (
    WorkItem(
        "crm",
        "crm.view_lead",
        _("New leads to qualify"),
        lambda: Lead.objects.filter(status=Lead.Status.NEW),
        "crm:lead-list",
        {"status": "new"},
    ),
    WorkItem(
        "crm",
        "crm.approve_quote",
        _("Quote discounts to approve"),
        lambda: Quote.objects.filter(status=Quote.Status.AWAITING_APPROVAL),
        "crm:quote-list",
    ),
    WorkItem(
        "crm", "crm.view_activity", _("Overdue activities"), _overdue_activities, "crm:my-day"
    ),
    WorkItem(
        "crm",
        "crm.view_ticket",
        _("Service tickets past their SLA"),
        _overdue_tickets,
        "crm:ticket-list",
        {"overdue": "1"},
    ),
    WorkItem(
        "crm",
        "crm.view_receivable",
        _("Overdue invoices to follow up"),
        lambda: Receivable.objects.filter(open_amount__gt=0, due_date__lt=timezone.localdate()),
        "crm:collections",
    ),
)
