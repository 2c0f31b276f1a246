"""The company's accounting settings and its fiscal calendar (years of twelve monthly periods)."""

import zoneinfo
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from common.limits import TOLERANCE_LIMITS

SINGLETON_PK = 1


class CompanySettings(models.Model):
    """The one row of the company's settings: name, base currency, fiscal calendar, and the
    fields its VAT invoices print as seller (销售方) or buyer (购买方).

    Read it through ``selectors.company_settings()``, which creates the default row on first use.
    """

    name = models.CharField(_("company name"), max_length=200, default="Zhongtai")
    base_currency = models.CharField(
        _("base currency"),
        max_length=3,
        default="CNY",
        validators=[RegexValidator(r"^[A-Z]{3}$", _("An ISO 4217 code, e.g. CNY."))],
    )
    time_zone = models.CharField(_("time zone"), max_length=64, default="Asia/Shanghai")
    fiscal_year_start_month = models.PositiveSmallIntegerField(
        _("fiscal year start month"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text=_("1 for a fiscal year that is the calendar year (the rule in China)."),
    )
    tax_id = models.CharField(
        _("tax id"),
        max_length=18,
        blank=True,
        validators=[
            RegexValidator(
                r"^[0-9A-HJ-NPQRTUWXY]{18}$",
                _("A unified social credit code has 18 digits or capital letters."),
            )
        ],
        help_text=_("Unified social credit code, printed on VAT invoices."),
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    bank_name = models.CharField(_("bank"), max_length=100, blank=True)
    bank_account = models.CharField(_("bank account"), max_length=40, blank=True)
    invoice_on_shipment = models.BooleanField(
        _("invoice on shipment"),
        default=True,
        help_text=_(
            "Issue and post the customer invoice of a shipment as soon as the warehouse "
            "dispatches it; off, Finance invoices deliveries by hand."
        ),
    )
    document_date_window_days = models.PositiveIntegerField(
        _("document date window (days)"),
        default=365,
        validators=[MinValueValidator(1), MaxValueValidator(3660)],
        help_text=_(
            "Documents (orders, deliveries, receipts, invoices, payments, journal entries, "
            "production) may be dated at most this many days before or after today."
        ),
    )
    production_output_tolerance_percent = models.DecimalField(
        _("production output tolerance %"),
        max_digits=7,
        decimal_places=2,
        default=Decimal("10"),
        validators=TOLERANCE_LIMITS,
        help_text=_(
            "How far past a production order's quantity output may be reported, for items "
            "without their own tolerance; beyond it only a supervisor's override is taken."
        ),
    )

    class OverheadAllocation(models.TextChoices):
        COST_OF_SALES = "cost_of_sales", _("To cost of sales (6401)")
        ORDERS = "orders", _("To the period's production orders, by machine time absorbed")

    overhead_allocation = models.CharField(
        _("overhead difference goes"),
        max_length=16,
        choices=OverheadAllocation.choices,
        default=OverheadAllocation.COST_OF_SALES,
        help_text=_(
            "At month end, where the difference between manufacturing overhead incurred and "
            "absorbed by machine time (the balance of 5101) goes."
        ),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("company settings")
        verbose_name_plural = _("company settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(id=SINGLETON_PK), name="ledger_company_settings_singleton"
            ),
            models.CheckConstraint(
                condition=Q(fiscal_year_start_month__gte=1, fiscal_year_start_month__lte=12),
                name="ledger_company_settings_start_month_valid",
            ),
            models.CheckConstraint(
                condition=Q(overhead_allocation__in=["cost_of_sales", "orders"]),
                name="ledger_company_settings_overhead_allocation_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        try:
            zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
            raise ValidationError({"time_zone": _("Unknown time zone.")}) from exc


class FiscalYear(models.Model):
    """A fiscal year: twelve monthly periods from ``start`` to ``end``; ``year`` is its label."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))

    class Meta:
        verbose_name = _("fiscal year")
        verbose_name_plural = _("fiscal years")
        ordering = ["year"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="ledger_fy_end_after"),
        ]

    def __str__(self) -> str:
        return str(self.year)


class FiscalPeriod(models.Model):
    """A month of a fiscal year; entries post only into an open period."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("fiscal period", "Open")
        CLOSED = "closed", pgettext_lazy("fiscal period", "Closed")

    fiscal_year = models.ForeignKey(
        FiscalYear, verbose_name=_("fiscal year"), on_delete=models.CASCADE, related_name="periods"
    )
    number = models.PositiveSmallIntegerField(
        _("number"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.OPEN
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("fiscal period")
        verbose_name_plural = _("fiscal periods")
        ordering = ["start"]
        permissions = [("close_fiscalperiod", _("Can close and reopen fiscal periods"))]
        constraints = [
            models.UniqueConstraint(
                fields=["fiscal_year", "number"], name="ledger_period_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1, number__lte=12), name="ledger_period_number_valid"
            ),
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="ledger_period_dates"),
            models.CheckConstraint(
                condition=Q(status__in=["open", "closed"]), name="ledger_period_status_valid"
            ),
        ]
        indexes = [models.Index(fields=["start", "end"], name="ledger_period_dates_idx")]

    def __str__(self) -> str:
        return f"{self.fiscal_year.year}-{self.number:02d}"

    @property
    def is_open(self) -> bool:
        """True while entries may be posted into the period."""
        return self.status == self.Status.OPEN
