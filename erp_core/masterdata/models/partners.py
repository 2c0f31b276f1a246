"""Partners: the one record of each customer and supplier."""

import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# 统一社会信用代码: 18 characters, digits and capital letters without I, O, S, V, Z.
_TAX_ID_RE = re.compile(r"[0-9A-HJ-NPQRTUWXY]{18}")


class Partner(models.Model):
    """A company we sell to, buy from, or both: the one record of a customer or supplier."""

    class Kind(models.TextChoices):
        CUSTOMER = "customer", _("Customer")
        SUPPLIER = "supplier", _("Supplier")
        BOTH = "both", _("Customer and supplier")

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    tax_id = models.CharField(
        _("tax id"), max_length=18, blank=True, help_text=_("Unified social credit code")
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    payment_terms_days = models.PositiveIntegerField(_("payment terms (days)"), default=30)
    credit_limit = models.DecimalField(
        _("credit limit"), max_digits=18, decimal_places=2, default=Decimal(0)
    )
    currency = models.ForeignKey(
        "erp_core.Currency",
        verbose_name=_("currency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="partners",
        help_text=_("Empty means the base currency, CNY."),
    )
    bank_name = models.CharField(_("bank name"), max_length=100, blank=True)
    bank_account = models.CharField(_("bank account"), max_length=64, blank=True)
    invoice_title = models.CharField(
        _("invoice title"), max_length=200, blank=True, help_text=_("Name on VAT invoices.")
    )
    invoice_address_phone = models.CharField(
        _("invoice address and phone"), max_length=300, blank=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["customer", "supplier", "both"]),
                name="partner_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(credit_limit__gte=0), name="partner_credit_limit_non_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        super().clean()
        if self.credit_limit is not None and self.credit_limit < 0:
            raise ValidationError({"credit_limit": _("Must not be negative.")})
        if self.tax_id and not _TAX_ID_RE.fullmatch(self.tax_id):
            raise ValidationError(
                {"tax_id": _("A unified social credit code has 18 digits or capital letters.")}
            )

    @property
    def is_customer(self) -> bool:
        """True when we sell to this partner."""
        return self.kind in (self.Kind.CUSTOMER, self.Kind.BOTH)

    @property
    def is_supplier(self) -> bool:
        """True when we buy from this partner."""
        return self.kind in (self.Kind.SUPPLIER, self.Kind.BOTH)
