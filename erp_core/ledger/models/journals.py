"""Journals, their gapless number sequences, and journal entries with their lines.

Posted entries and their lines are immutable: database triggers (migration 0002) refuse any
UPDATE or DELETE of them; corrections are reversals.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from erp_core.ledger.memos import memo_text
from erp_core.ledger.models.accounts import Account, name_in_language
from erp_core.ledger.models.periods import FiscalPeriod, FiscalYear

MONEY = {"max_digits": 18, "decimal_places": 2}
ZERO = Decimal("0.00")


class Journal(models.Model):
    """A book of entries with its own numbering: GEN (记) for general entries, STK for stock…"""

    code = models.CharField(_("code"), max_length=8, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_zh = models.CharField(_("Chinese name"), max_length=100, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("journal")
        verbose_name_plural = _("journals")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {name_in_language(self.name_zh, self.name)}"


class JournalSequence(models.Model):
    """The next entry number of a journal in a fiscal year; locked while an entry is posted.

    Taking the number under ``select_for_update()`` in the posting transaction makes the
    numbering gapless: a rolled-back post gives its number back.
    """

    journal = models.ForeignKey(
        Journal, verbose_name=_("journal"), on_delete=models.CASCADE, related_name="sequences"
    )
    fiscal_year = models.ForeignKey(
        FiscalYear, verbose_name=_("fiscal year"), on_delete=models.CASCADE, related_name="+"
    )
    next_number = models.PositiveIntegerField(_("next number"), default=1)

    class Meta:
        verbose_name = _("journal sequence")
        verbose_name_plural = _("journal sequences")
        constraints = [
            models.UniqueConstraint(
                fields=["journal", "fiscal_year"], name="ledger_sequence_unique"
            ),
            models.CheckConstraint(condition=Q(next_number__gte=1), name="ledger_sequence_gte1"),
        ]

    def __str__(self) -> str:
        return f"{self.journal_id}/{self.fiscal_year_id}: {self.next_number}"


class JournalEntry(models.Model):
    """A journal entry (凭证): balanced lines on one date, a draft until posted, then immutable.

    Entries posted by other services carry their source (document type, id and the event id,
    which is unique so that an event posts once). A correction is a reversal: a mirrored entry
    pointing at the original through ``reversal_of``; an entry is reversed at most once.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        POSTED = "posted", _("Posted")

    journal = models.ForeignKey(
        Journal, verbose_name=_("journal"), on_delete=models.PROTECT, related_name="entries"
    )
    number = models.CharField(
        _("number"), max_length=32, null=True, blank=True, help_text=_("Given when posted.")
    )
    fiscal_year = models.ForeignKey(
        FiscalYear, verbose_name=_("fiscal year"), on_delete=models.PROTECT, related_name="+"
    )
    period = models.ForeignKey(
        FiscalPeriod, verbose_name=_("period"), on_delete=models.PROTECT, related_name="entries"
    )
    date = models.DateField(_("date"))
    memo = models.CharField(_("memo"), max_length=255, blank=True)
    memo_kind = models.CharField(
        _("memo kind"),
        max_length=40,
        blank=True,
        help_text=_("Set when the system wrote the memo: shown from its values in every language."),
    )
    memo_args = models.JSONField(_("memo values"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.DRAFT
    )
    source_type = models.CharField(_("source type"), max_length=50, blank=True)
    source_id = models.PositiveBigIntegerField(_("source id"), null=True, blank=True)
    source_event_id = models.CharField(_("source event id"), max_length=100, null=True, blank=True)
    reversal_of = models.OneToOneField(
        "self",
        verbose_name=_("reversal of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversal",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    posted_at = models.DateTimeField(_("posted at"), null=True, blank=True)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("posted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("journal entry")
        verbose_name_plural = _("journal entries")
        ordering = ["-date", "-id"]
        permissions = [
            ("post_journalentry", _("Can post journal entries")),
            ("reverse_journalentry", _("Can reverse journal entries")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "posted"]), name="ledger_entry_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status="draft", number__isnull=True, posted_at__isnull=True)
                | Q(status="posted", number__isnull=False, posted_at__isnull=False),
                name="ledger_entry_posted_has_number",
            ),
            models.UniqueConstraint(
                fields=["journal", "number"], name="ledger_entry_number_unique"
            ),
            models.UniqueConstraint(
                fields=["source_type", "source_event_id"],
                condition=Q(source_event_id__isnull=False),
                name="ledger_entry_source_event_unique",
            ),
            models.CheckConstraint(
                condition=~Q(reversal_of=F("id")), name="ledger_entry_not_own_reversal"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "date"], name="ledger_entry_status_date_idx"),
            models.Index(fields=["source_type", "source_id"], name="ledger_entry_source_idx"),
        ]

    def __str__(self) -> str:
        return self.number or f"#{self.pk} ({self.get_status_display()})"

    @property
    def memo_display(self) -> str:
        """The memo in the reader's language: a generated one rendered, a typed one as typed."""
        return memo_text(self.memo_kind, self.memo_args, self.memo)

    @property
    def is_posted(self) -> bool:
        """True once posted: the entry can no longer change."""
        return self.status == self.Status.POSTED

    @property
    def is_draft(self) -> bool:
        """True while the entry may still be edited or deleted."""
        return self.status == self.Status.DRAFT


class JournalLine(models.Model):
    """One line of an entry: an amount on the debit or the credit side of an account."""

    entry = models.ForeignKey(
        JournalEntry, verbose_name=_("entry"), on_delete=models.CASCADE, related_name="lines"
    )
    account = models.ForeignKey(
        Account, verbose_name=_("account"), on_delete=models.PROTECT, related_name="lines"
    )
    debit = models.DecimalField(_("debit"), default=ZERO, **MONEY)
    credit = models.DecimalField(_("credit"), default=ZERO, **MONEY)
    partner = models.ForeignKey(
        "erp_core.Partner",
        verbose_name=_("partner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    memo = models.CharField(_("memo"), max_length=255, blank=True)
    memo_kind = models.CharField(_("memo kind"), max_length=40, blank=True)
    memo_args = models.JSONField(_("memo values"), default=dict, blank=True)

    class Meta:
        verbose_name = _("journal line")
        verbose_name_plural = _("journal lines")
        ordering = ["entry", "id"]
        constraints = [
            # One side only; a negative amount is a red-letter line (红字), written by the
            # services for a credit note (``LineInput.red``), never typed.
            models.CheckConstraint(
                condition=Q(debit__gt=0, credit=0)
                | Q(debit=0, credit__gt=0)
                | Q(debit__lt=0, credit=0)
                | Q(debit=0, credit__lt=0),
                name="ledger_line_one_side",
            ),
        ]

    def __str__(self) -> str:
        side = f"Dr {self.debit}" if self.debit else f"Cr {self.credit}"
        return f"{self.account_id} {side}"

    @property
    def memo_display(self) -> str:
        """The memo in the reader's language: a generated one rendered, a typed one as typed."""
        return memo_text(self.memo_kind, self.memo_args, self.memo)

    @property
    def amount(self) -> Decimal:
        """The debit-positive amount of the line."""
        return self.debit - self.credit
