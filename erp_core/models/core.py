"""Users, partners, module access and idempotency records."""

import re
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.models import AbstractUser
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


class User(AbstractUser):
    """A person who signs in: staff (by role groups) or a partner's user bound to one partner.

    A partner user sees, through the API, only the documents of its partner.
    """

    partner = models.ForeignKey(
        Partner,
        verbose_name=_("partner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        help_text=_("Set for a customer's or supplier's user: it sees only that partner's data."),
    )

    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def is_partner_user(self) -> bool:
        """True for a customer's or supplier's user."""
        return self.partner_id is not None

    def clean(self) -> None:
        super().clean()
        if self.partner_id is not None and self.is_staff:
            raise ValidationError(
                {"partner": _("A partner's user cannot be staff: clear 'staff status' first.")}
            )


class ModuleAccess(models.Model):  # noqa: DJ008 - never shown, holds a permission
    """Holds the module-level permission that opens the ERP's screens and API; it has no table."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [
            ("access_erp", _("Can use the ERP module")),
            ("access_finance", _("Can use finance screens")),
            ("access_integration", _("Can see the event log and replay deliveries")),
        ]


# How long an Idempotency-Key is remembered.
IDEMPOTENCY_TTL = timedelta(hours=24)


class IdempotencyRecord(models.Model):
    """The stored answer to a create request sent with an ``Idempotency-Key`` header.

    Written in the create's transaction, so a retried request (a lost response, a double click)
    gets the first answer instead of a second document. Keys are per user and kept 24 hours.
    """

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    key = models.CharField(_("key"), max_length=255)
    endpoint = models.CharField(_("endpoint"), max_length=300, help_text=_("Method and path."))
    request_hash = models.CharField(_("request hash"), max_length=64)
    response_status = models.PositiveSmallIntegerField(
        _("response status"), null=True, blank=True, help_text=_("Empty while in flight.")
    )
    response_body = models.JSONField(_("response body"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("idempotency record")
        verbose_name_plural = _("idempotency records")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_user_key_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.endpoint} {self.key}"
