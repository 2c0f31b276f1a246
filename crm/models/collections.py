"""Collections: the ERP's posted invoices and received payments as sales follows them up —
what is open and overdue per customer, the dunning stage, and promises to pay."""

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from common.limits import AMOUNT_LIMITS

MONEY: dict[str, Any] = {"max_digits": 18, "decimal_places": 2}


class Receivable(models.Model):
    """One posted customer invoice (from ``erp.invoice_posted``) and how much of it is still
    open after the payments received (``erp.payment_received``, applied oldest due first)."""

    class Dunning(models.IntegerChoices):
        NONE = 0, _("Not dunned")
        REMINDER = 1, _("Friendly reminder")
        SECOND = 2, _("Second notice")
        FINAL = 3, _("Final notice")

    invoice_id = models.PositiveBigIntegerField(_("ERP invoice"), unique=True)
    partner = models.ForeignKey(
        "erp_core.Partner", verbose_name=_("customer"), on_delete=models.PROTECT, related_name="+"
    )
    invoiced = models.DecimalField(
        _("invoiced"),
        **MONEY,
        default=Decimal("0"),
        help_text=_("The invoice's amount as last posted."),
    )
    is_posted = models.BooleanField(
        _("posted"), default=True, help_text=_("Off while the ERP has taken the posting back.")
    )
    amount = models.DecimalField(
        _("amount"), **MONEY, help_text=_("What is owed: invoiced less its posted credit notes.")
    )
    open_amount = models.DecimalField(_("open"), **MONEY)
    due_date = models.DateField(_("due date"))
    dunning_stage = models.PositiveSmallIntegerField(
        _("dunning stage"), choices=Dunning, default=Dunning.NONE
    )
    dunned_at = models.DateTimeField(_("last dunned"), null=True, blank=True)
    posted_at = models.DateTimeField(_("posted at"))

    class Meta:
        verbose_name = _("receivable")
        verbose_name_plural = _("receivables")
        ordering = ["due_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(open_amount__gte=0) & Q(open_amount__lte=F("amount")),
                name="crm_receivable_open_within_amount",
            ),
            models.CheckConstraint(
                condition=Q(dunning_stage__lte=3), name="crm_receivable_dunning_stage_range"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.invoice_id} {self.open_amount}"


class ReceivableCredit(models.Model):
    """A posted customer credit note (from ``erp.credit_note_posted``): it lowers what the
    invoice it credits is owed (one of no invoice pays open invoices like a payment); taken
    back (``erp.invoice_unposted``) it counts no more."""

    credit_note_id = models.PositiveBigIntegerField(_("ERP credit note"), unique=True)
    partner = models.ForeignKey(
        "erp_core.Partner", verbose_name=_("customer"), on_delete=models.PROTECT, related_name="+"
    )
    invoice_id = models.PositiveBigIntegerField(_("ERP invoice credited"), null=True, blank=True)
    receivable = models.ForeignKey(
        Receivable,
        verbose_name=_("invoice"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="credits",
        help_text=_("Empty for a credit of no invoice: it then pays open invoices as cash."),
    )
    amount = models.DecimalField(_("amount"), **MONEY)
    is_posted = models.BooleanField(_("posted"), default=True)
    posted_at = models.DateTimeField(_("posted at"))

    class Meta:
        verbose_name = _("credit note")
        verbose_name_plural = _("credit notes")
        ordering = ["posted_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="crm_credit_not_negative")
        ]

    def __str__(self) -> str:
        return f"#{self.credit_note_id} {self.amount}"


class PaymentReceipt(models.Model):
    """A customer payment the ERP received, kept so that it is applied once; ``unapplied`` is
    what no open invoice took (a prepayment)."""

    payment_id = models.PositiveBigIntegerField(_("ERP payment"), unique=True)
    partner = models.ForeignKey(
        "erp_core.Partner", verbose_name=_("customer"), on_delete=models.PROTECT, related_name="+"
    )
    amount = models.DecimalField(_("amount"), **MONEY)
    unapplied = models.DecimalField(_("unapplied"), **MONEY, default=Decimal("0"))
    received_at = models.DateTimeField(_("received at"))

    class Meta:
        verbose_name = _("payment received")
        verbose_name_plural = _("payments received")
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(unapplied__gte=0) & Q(unapplied__lte=F("amount")),
                name="crm_payment_unapplied_within_amount",
            )
        ]

    def __str__(self) -> str:
        return f"#{self.payment_id} {self.amount}"


class PromiseToPay(models.Model):
    """A customer's word to pay an amount by a date; kept when payments cover it by then."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        KEPT = "kept", _("Kept")
        BROKEN = "broken", _("Broken")

    account = models.ForeignKey(
        "crm.Account",
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="promises_to_pay",
    )
    receivable = models.ForeignKey(
        Receivable,
        verbose_name=_("invoice"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="promises",
    )
    amount = models.DecimalField(_("amount"), **MONEY, validators=AMOUNT_LIMITS)
    promised_date = models.DateField(_("promised date"))
    status = models.CharField(_("status"), max_length=8, choices=Status, default=Status.OPEN)
    notes = models.CharField(_("notes"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("promise to pay")
        verbose_name_plural = _("promises to pay")
        ordering = ["promised_date", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="crm_promise_amount_pos")
        ]

    def __str__(self) -> str:
        return f"{self.amount} @ {self.promised_date}"
