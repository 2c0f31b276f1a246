"""Closing documents: a period's month-end close and a fiscal year's year-end close.

A closing is a posted document that owns the journal entries its steps posted (overhead
cleared, variances allocated, the P&L carried to 本年利润 and 利润分配). Reopening reverses
every one of them and marks the closing reversed; a closing is never edited or deleted.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from erp_core.ledger.models.journals import JournalEntry
from erp_core.ledger.models.periods import FiscalPeriod


class PeriodClosing(models.Model):
    """A month-end or year-end close of a period (a year-end close is on the year's last
    period), with the entries its steps posted; reversed by a reopen."""

    class Kind(models.TextChoices):
        MONTH_END = "month_end", _("Month-end close")
        YEAR_END = "year_end", _("Year-end close")

    class Status(models.TextChoices):
        POSTED = "posted", pgettext_lazy("closing", "Posted")
        REVERSED = "reversed", pgettext_lazy("closing", "Reversed")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    period = models.ForeignKey(
        FiscalPeriod, verbose_name=_("period"), on_delete=models.PROTECT, related_name="closings"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.POSTED
    )
    entries = models.ManyToManyField(
        JournalEntry, verbose_name=_("journal entries"), related_name="closings", blank=True
    )
    steps = models.JSONField(
        _("steps"),
        default=list,
        blank=True,
        help_text=_("The steps run, in order, each with the numbers of the entries it posted."),
    )
    closed_at = models.DateTimeField(_("closed at"), auto_now_add=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reversed_at = models.DateTimeField(_("reversed at"), null=True, blank=True)
    reversed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reversed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("period closing")
        verbose_name_plural = _("period closings")
        ordering = ["-closed_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["month_end", "year_end"]), name="ledger_closing_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["posted", "reversed"]),
                name="ledger_closing_status_valid",
            ),
            # At most one standing closing of each kind per period: a reopen reverses it first.
            models.UniqueConstraint(
                fields=["period", "kind"],
                condition=Q(status="posted"),
                name="ledger_closing_one_posted",
            ),
            models.CheckConstraint(
                condition=Q(status="posted") | Q(reversed_at__isnull=False),
                name="ledger_closing_reversed_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period}"
