"""Quotes: priced offers of ERP items to an account, with a promised date per line; an accepted
quote becomes the ERP's sales order (``crm.quote_accepted``)."""

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from erp_core.documents.models import AmountLine

MONEY: dict[str, Any] = {"max_digits": 18, "decimal_places": 2}


class Quote(models.Model):
    """An offer to an account (报价单): drafted, approved when a discount passes the threshold,
    accepted once — acceptance asks the ERP for the sales order — or rejected, or expired."""

    NUMBER_PREFIX = "QT"

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        AWAITING_APPROVAL = "awaiting_approval", _("Awaiting discount approval")
        APPROVED = "approved", _("Approved")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    class Language(models.TextChoices):
        CHINESE = "zh-hans", _("Chinese")
        ENGLISH = "en", _("English")

    number = models.CharField(_("number"), max_length=32, unique=True)
    account = models.ForeignKey(
        "crm.Account", verbose_name=_("account"), on_delete=models.PROTECT, related_name="quotes"
    )
    opportunity = models.ForeignKey(
        "crm.Opportunity",
        verbose_name=_("opportunity"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="quotes",
    )
    contact = models.ForeignKey(
        "crm.Contact",
        verbose_name=_("contact"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="quotes",
    )
    price_list = models.ForeignKey(
        "sales.PriceList",
        verbose_name=_("price list"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.DRAFT)
    date = models.DateField(_("date"))
    valid_until = models.DateField(_("valid until"))
    requested_date = models.DateField(_("requested delivery date"), null=True, blank=True)
    language = models.CharField(
        _("print language"), max_length=8, choices=Language, default=Language.CHINESE
    )
    notes = models.TextField(_("notes"), blank=True)
    net_amount = models.DecimalField(_("amount"), **MONEY, default=Decimal("0"))
    tax_amount = models.DecimalField(_("VAT"), **MONEY, default=Decimal("0"))
    gross_amount = models.DecimalField(_("amount incl. VAT"), **MONEY, default=Decimal("0"))
    max_discount_percent = models.DecimalField(
        _("largest discount %"), max_digits=7, decimal_places=4, default=Decimal("0")
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="crm_quotes",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("discount approved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")
        ordering = ["-date", "-pk"]
        permissions = [("approve_quote", _("Can approve quote discounts above the threshold"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("date")), name="crm_quote_valid_after_date"
            ),
            models.CheckConstraint(
                condition=~Q(status="accepted") | Q(accepted_at__isnull=False),
                name="crm_quote_accepted_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class QuoteLine(AmountLine):
    """An offered item: quantity, price from the price list, discount, VAT, and the date the
    ERP can promise it (stock, else capacity, else lead time)."""

    quote = models.ForeignKey(
        Quote, verbose_name=_("quote"), on_delete=models.CASCADE, related_name="lines"
    )
    promised_date = models.DateField(_("promised date"), null=True, blank=True)
    promise_basis = models.CharField(_("promised from"), max_length=20, blank=True)

    class Meta(AmountLine.Meta):
        verbose_name = _("quote line")
        verbose_name_plural = _("quote lines")
        constraints = [
            models.UniqueConstraint(fields=["quote", "line_no"], name="crm_quoteline_unique"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="crm_quoteline_qty_pos"),
        ]
