"""Activities (calls, meetings, visits, tasks, notes) and after-sales service tickets."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from crm.choices import ActivityKind


class Activity(models.Model):
    """Something done or to do with a customer, owned by one person and maybe due at a time.

    Tasks the system makes (a dunning follow-up, a slipped promised date) keep their meaning as
    ``reason`` + ``reason_args`` and are worded in the reader's language when shown.
    """

    Kind = ActivityKind

    class Reason(models.TextChoices):
        NONE = "", _("Entered by hand")
        DUNNING = "dunning", _("Dunning follow-up")
        PROMISE_DUE = "promise_due", _("Promise to pay due")
        PROMISE_SLIPPED = "promise_slipped", _("Promised date slipped")
        TICKET = "ticket", _("Service ticket")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind, default=Kind.TASK)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    reason = models.CharField(_("reason"), max_length=20, choices=Reason, default="", blank=True)
    reason_args = models.JSONField(_("reason details"), default=dict, blank=True)
    account = models.ForeignKey(
        "crm.Account",
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="activities",
    )
    opportunity = models.ForeignKey(
        "crm.Opportunity",
        verbose_name=_("opportunity"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="crm_activities",
    )
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    source_key = models.CharField(
        max_length=100,
        blank=True,
        editable=False,
        help_text=_("What made a generated task, so that it is made once."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["due_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["source_key"], condition=~Q(source_key=""), name="crm_activity_source_once"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["call", "meeting", "visit", "task", "note"]),
                name="crm_activity_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return str(self.title)

    @property
    def title(self) -> str:
        """The subject, or the generated task's meaning worded in the current language."""
        if self.subject:
            return self.subject
        args = self.reason_args or {}
        if self.reason == self.Reason.DUNNING:
            return _("Dunning stage %(stage)s: invoice %(invoice)s, %(amount)s overdue") % args
        if self.reason == self.Reason.PROMISE_DUE:
            return _("Promise to pay %(amount)s due on %(date)s: check the payment") % args
        if self.reason == self.Reason.PROMISE_SLIPPED:
            return _("Sales order %(order)s will be late: now promised for %(date)s") % args
        if self.reason == self.Reason.TICKET:
            return _("Service ticket %(ticket)s") % args
        return str(self.get_kind_display())

    @property
    def is_overdue(self) -> bool:
        """Not done and past its due time."""
        return self.done_at is None and self.due_at is not None and self.due_at < timezone.now()


class Ticket(models.Model):
    """An after-sales service case: the customer, the order and lot or serial concerned, a
    priority that sets the SLA due time, and how it was resolved."""

    NUMBER_PREFIX = "TK"

    class Priority(models.TextChoices):
        LOW = "low", _("Low")
        NORMAL = "normal", _("Normal")
        HIGH = "high", _("High")
        URGENT = "urgent", _("Urgent")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        RESOLVED = "resolved", _("Resolved")
        CLOSED = "closed", _("Closed")

    number = models.CharField(_("number"), max_length=32, unique=True)
    account = models.ForeignKey(
        "crm.Account", verbose_name=_("customer"), on_delete=models.PROTECT, related_name="tickets"
    )
    sales_order = models.ForeignKey(
        "sales.SalesOrder",
        verbose_name=_("sales order"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    item = models.ForeignKey(
        "erp_core.Item",
        verbose_name=_("item"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    lot_or_serial = models.CharField(_("lot or serial"), max_length=64, blank=True)
    subject = models.CharField(_("subject"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    priority = models.CharField(
        _("priority"), max_length=8, choices=Priority, default=Priority.NORMAL
    )
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.OPEN)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="crm_tickets",
    )
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    sla_due_at = models.DateTimeField(_("SLA due"))
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("service ticket")
        verbose_name_plural = _("service tickets")
        ordering = ["sla_due_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(sla_due_at__gte=models.F("opened_at")), name="crm_ticket_sla_after_open"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["resolved", "closed"]) | ~Q(resolution=""),
                name="crm_ticket_resolved_has_resolution",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.subject}"

    @property
    def is_overdue(self) -> bool:
        """Still open past its SLA due time."""
        open_states = (self.Status.OPEN, self.Status.IN_PROGRESS)
        return self.status in open_states and self.sla_due_at < timezone.now()
