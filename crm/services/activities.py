"""Activities and after-sales tickets: entered, done, resolved; tasks the system makes for an
account's owner (each made once, by its ``source_key``)."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.errors import Conflict
from crm.models import Account, Activity, Ticket
from crm.services.common import cleaned, number_for, refuse_unknown, saved, temporary_number

ACTIVITY_FIELDS = ("kind", "subject", "account", "opportunity", "owner", "due_at", "notes")
TICKET_FIELDS = (
    "account",
    "sales_order",
    "item",
    "lot_or_serial",
    "subject",
    "description",
    "priority",
    "owner",
)
#: Hours from opening to the SLA due time, per priority (setting ``CRM_TICKET_SLA_HOURS``).
SLA_HOURS = {"urgent": 4, "high": 24, "normal": 72, "low": 168}


@transaction.atomic
def activity_create(**fields) -> Activity:
    """Log a call, meeting, visit or note, or plan a task, owned by someone."""
    refuse_unknown(fields, ACTIVITY_FIELDS)
    activity = Activity(**{name: cleaned(value) for name, value in fields.items()})
    if not activity.subject:
        raise ValidationError({"subject": _("Say what the activity is about.")})
    if activity.opportunity is not None and activity.account_id is None:
        activity.account_id = activity.opportunity.account_id
    if activity.kind == Activity.Kind.NOTE and activity.done_at is None:
        activity.done_at = timezone.now()
    return saved(activity)


@transaction.atomic
def activity_update(*, activity: Activity, **fields) -> Activity:
    """Change an activity."""
    refuse_unknown(fields, ACTIVITY_FIELDS)
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    for name, value in fields.items():
        setattr(activity, name, cleaned(value))
    return saved(activity)


@transaction.atomic
def activity_complete(*, activity: Activity) -> Activity:
    """Mark an activity done (once)."""
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if activity.done_at is not None:
        raise Conflict(_("This activity is done already."), code="already_done")
    activity.done_at = timezone.now()
    activity.save(update_fields=["done_at"])
    return activity


def follow_up_task(
    *,
    account: Account | None,
    reason: str,
    args: dict,
    source_key: str,
    due_at: dt.datetime | None = None,
) -> Activity | None:
    """A task for the account's owner, made once per ``source_key`` (a redelivered event or a
    second run makes nothing more); its wording is the reason's, in the reader's language."""
    if Activity.objects.filter(source_key=source_key).exists():
        return None
    try:
        with transaction.atomic():
            return Activity.objects.create(
                kind=Activity.Kind.TASK,
                reason=reason,
                reason_args=args,
                account=account,
                owner=account.owner if account is not None else None,
                due_at=due_at or timezone.now(),
                source_key=source_key[:100],
            )
    except IntegrityError:
        return None  # made by a concurrent run


def sla_due(priority: str, opened_at: dt.datetime) -> dt.datetime:
    """When a ticket of ``priority`` opened at ``opened_at`` must be resolved."""
    hours = {**SLA_HOURS, **getattr(settings, "CRM_TICKET_SLA_HOURS", {})}
    return opened_at + dt.timedelta(hours=hours.get(priority, SLA_HOURS["normal"]))


@transaction.atomic
def ticket_create(**fields) -> Ticket:
    """Open a service ticket; its SLA due time follows from its priority."""
    refuse_unknown(fields, TICKET_FIELDS)
    ticket = Ticket(number=temporary_number(), **{k: cleaned(v) for k, v in fields.items()})
    ticket.opened_at = timezone.now()
    ticket.sla_due_at = sla_due(ticket.priority, ticket.opened_at)
    if ticket.owner_id is None and ticket.account_id:
        ticket.owner_id = ticket.account.owner_id
    ticket.full_clean()
    order = ticket.sales_order
    if order is not None and ticket.account.partner_id != order.customer_id:
        raise ValidationError({"sales_order": _("The order is another customer's.")})
    ticket.save()
    ticket.number = number_for(Ticket.NUMBER_PREFIX, year=ticket.opened_at.year, pk=ticket.pk)
    ticket.save(update_fields=["number"])
    return ticket


@transaction.atomic
def ticket_update(*, ticket: Ticket, **fields) -> Ticket:
    """Change an open ticket; a new priority moves its SLA due time."""
    refuse_unknown(fields, TICKET_FIELDS)
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if ticket.status in (Ticket.Status.RESOLVED, Ticket.Status.CLOSED):
        raise Conflict(_("A resolved ticket is no longer changed."), code="ticket_closed")
    for name, value in fields.items():
        setattr(ticket, name, cleaned(value))
    if "priority" in fields:
        ticket.sla_due_at = sla_due(ticket.priority, ticket.opened_at)
    if ticket.status == Ticket.Status.OPEN:
        ticket.status = Ticket.Status.IN_PROGRESS
    return saved(ticket)


@transaction.atomic
def ticket_resolve(*, ticket: Ticket, resolution: str) -> Ticket:
    """Resolve an open ticket, saying how."""
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if ticket.status in (Ticket.Status.RESOLVED, Ticket.Status.CLOSED):
        raise Conflict(_("This ticket is resolved already."), code="ticket_closed")
    if not (resolution or "").strip():
        raise ValidationError({"resolution": _("Say how the ticket was resolved.")})
    ticket.status = Ticket.Status.RESOLVED
    ticket.resolution = resolution.strip()
    ticket.resolved_at = timezone.now()
    ticket.save(update_fields=["status", "resolution", "resolved_at"])
    return ticket


@transaction.atomic
def ticket_close(*, ticket: Ticket) -> Ticket:
    """Close a resolved ticket (the customer confirmed)."""
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if ticket.status != Ticket.Status.RESOLVED:
        raise Conflict(_("Only a resolved ticket is closed."), code="invalid_status")
    ticket.status = Ticket.Status.CLOSED
    ticket.save(update_fields=["status"])
    return ticket
