"""The sales pipeline: configurable stages and the opportunities that move through them."""

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common.limits import AMOUNT_MAX, PERCENT_LIMITS

MONEY: dict[str, Any] = {"max_digits": 18, "decimal_places": 2}
PERCENT: dict[str, Any] = {"max_digits": 5, "decimal_places": 2}
AMOUNT_BOUNDS = [MinValueValidator(Decimal("0")), MaxValueValidator(AMOUNT_MAX)]


class Stage(models.Model):
    """A column of the pipeline; ``position`` orders them, ``probability`` is the default
    chance of a deal that enters it; a won or lost stage closes the deal."""

    class Outcome(models.TextChoices):
        OPEN = "open", _("Open")
        WON = "won", _("Won")
        LOST = "lost", _("Lost")

    name = models.CharField(_("name"), max_length=60)
    position = models.PositiveSmallIntegerField(_("position"), unique=True)
    probability = models.DecimalField(
        _("probability %"), **PERCENT, default=Decimal("0"), validators=PERCENT_LIMITS
    )
    outcome = models.CharField(_("outcome"), max_length=8, choices=Outcome, default=Outcome.OPEN)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("pipeline stage")
        verbose_name_plural = _("pipeline stages")
        ordering = ["position"]
        constraints = [
            models.CheckConstraint(
                condition=Q(probability__gte=0) & Q(probability__lte=100),
                name="crm_stage_probability_range",
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=["open", "won", "lost"]), name="crm_stage_outcome_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Opportunity(models.Model):
    """A deal with an account: its amount, its chance, when it should close and who owns it."""

    account = models.ForeignKey(
        "crm.Account",
        verbose_name=_("account"),
        on_delete=models.PROTECT,
        related_name="opportunities",
    )
    name = models.CharField(_("name"), max_length=200)
    stage = models.ForeignKey(
        Stage, verbose_name=_("stage"), on_delete=models.PROTECT, related_name="opportunities"
    )
    amount = models.DecimalField(
        _("amount"), **MONEY, default=Decimal("0"), validators=AMOUNT_BOUNDS
    )
    probability = models.DecimalField(
        _("probability %"), **PERCENT, default=Decimal("0"), validators=PERCENT_LIMITS
    )
    expected_close = models.DateField(_("expected close"), null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="crm_opportunities",
    )
    lead = models.ForeignKey(
        "crm.Lead",
        verbose_name=_("lead"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="opportunities",
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("opportunity")
        verbose_name_plural = _("opportunities")
        ordering = ["expected_close", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="crm_opportunity_amount_pos"),
            models.CheckConstraint(
                condition=Q(probability__gte=0) & Q(probability__lte=100),
                name="crm_opportunity_probability_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def weighted_amount(self) -> Decimal:
        """Amount × probability, to the cent."""
        return (self.amount * self.probability / Decimal(100)).quantize(Decimal("0.01"))
