"""Accounts (customers as sales sees them, each bound to one ERP customer partner), their
contacts, and leads before they become customers."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

TAX_ID_RE = re.compile(r"[0-9A-Z]{18}")
_COMPANY_SUFFIXES = (
    "有限责任公司",
    "股份有限公司",
    "有限公司",
    "集团",
    "公司",
    "co ltd",
    "company limited",
    "limited",
    "ltd",
    "inc",
    "gmbh",
    "corp",
    "corporation",
    "llc",
)


def company_key(name: str) -> str:
    """The comparable form of a company name: lower case, no punctuation, spaces or legal form,
    so that "Acme Co., Ltd." and "ACME co ltd" are found to be one company."""
    text = re.sub(r"[\s\.,\-_()（）&'\"·]+", " ", (name or "").lower()).strip()
    changed = True
    while changed:
        changed = False
        for suffix in _COMPANY_SUFFIXES:
            if text.endswith(suffix) and len(text) > len(suffix):
                text = text[: -len(suffix)].strip()
                changed = True
    return text.replace(" ", "")


def phone_key(phone: str) -> str:
    """The digits of a phone number without a leading China country code (+86)."""
    digits = re.sub(r"\D", "", phone or "")
    if digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) > 11:
        digits = digits[2:]
    return digits


def validate_tax_id(value: str) -> None:
    """A unified social credit code has 18 digits or capital letters (as the ERP's partners)."""
    if value and not TAX_ID_RE.fullmatch(value):
        raise ValidationError(
            _("A unified social credit code has 18 digits or capital letters."), code="tax_id"
        )


class Account(models.Model):
    """A customer company as sales follows it; ``partner`` is its ERP customer, whose orders,
    invoices and payments the ERP owns (bound once the ERP has registered it)."""

    name = models.CharField(_("name"), max_length=200)
    name_key = models.CharField(_("comparable name"), max_length=200, db_index=True, editable=False)
    partner = models.OneToOneField(
        "erp_core.Partner",
        verbose_name=_("ERP customer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="crm_account",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="crm_accounts",
    )
    tax_id = models.CharField(
        _("tax id"), max_length=18, blank=True, db_index=True, validators=[validate_tax_id]
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    phone_key = models.CharField(max_length=40, blank=True, db_index=True, editable=False)
    email = models.EmailField(_("e-mail"), blank=True, db_index=True)
    industry = models.CharField(_("industry"), max_length=100, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        ordering = ["name", "pk"]
        permissions = [("view_all_accounts", _("Can see every salesperson's accounts"))]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.name_key = company_key(self.name)
        self.phone_key = phone_key(self.phone)
        self.email = (self.email or "").strip().lower()
        super().save(*args, **kwargs)


class Contact(models.Model):
    """A person at an account."""

    account = models.ForeignKey(
        Account, verbose_name=_("account"), on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("name"), max_length=100)
    title = models.CharField(_("job title"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    is_primary = models.BooleanField(_("primary contact"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["account", "-is_primary", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["account"], condition=Q(is_primary=True), name="crm_contact_one_primary"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Lead(models.Model):
    """A company that may buy: scored, owned, qualified, then converted to an account with a
    contact and an opportunity — or lost. Comparable keys find duplicates on entry and import."""

    class Source(models.TextChoices):
        WEB = "web", _("Website")
        REFERRAL = "referral", _("Referral")
        TRADE_SHOW = "trade_show", _("Trade show")
        COLD_CALL = "cold_call", _("Cold call")
        IMPORT = "import", _("Import")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        NEW = "new", _("New")
        CONTACTED = "contacted", _("Contacted")
        QUALIFIED = "qualified", _("Qualified")
        CONVERTED = "converted", _("Converted")
        LOST = "lost", _("Lost")

    company = models.CharField(_("company"), max_length=200)
    company_key = models.CharField(max_length=200, db_index=True, editable=False)
    contact_name = models.CharField(_("contact name"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    phone_key = models.CharField(max_length=40, blank=True, db_index=True, editable=False)
    email = models.EmailField(_("e-mail"), blank=True, db_index=True)
    tax_id = models.CharField(
        _("tax id"), max_length=18, blank=True, db_index=True, validators=[validate_tax_id]
    )
    source = models.CharField(_("source"), max_length=16, choices=Source, default=Source.OTHER)
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.NEW)
    score = models.PositiveSmallIntegerField(
        _("score"), default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="crm_leads",
    )
    notes = models.TextField(_("notes"), blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("duplicate of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="duplicates",
    )
    account = models.ForeignKey(
        Account,
        verbose_name=_("account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="leads",
        help_text=_("The account the lead was converted to."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    converted_at = models.DateTimeField(_("converted at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("lead")
        verbose_name_plural = _("leads")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(score__lte=100), name="crm_lead_score_max_100"),
            models.CheckConstraint(
                condition=Q(status__in=["new", "contacted", "qualified", "converted", "lost"]),
                name="crm_lead_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="converted") | Q(account__isnull=False),
                name="crm_lead_converted_has_account",
            ),
        ]

    def __str__(self) -> str:
        return self.company

    def save(self, *args, **kwargs) -> None:
        self.company_key = company_key(self.company)
        self.phone_key = phone_key(self.phone)
        self.email = (self.email or "").strip().lower()
        super().save(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        """Not converted and not lost."""
        return self.status not in (self.Status.CONVERTED, self.Status.LOST)
