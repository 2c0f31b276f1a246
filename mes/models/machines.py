"""Machines: the shop floor's equipment, each belonging to an ERP work center.

The ERP plans on work centers (master data); MES knows which machines a work center has, what
state each is in and since when, how fast each makes an item (the ideal cycle time), and which
devices (PLCs, gateways) may report for it.
"""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

#: An ideal cycle time: from a thousandth of a second to a day per unit.
CYCLE_MIN = Decimal("0.001")
CYCLE_MAX = Decimal("86400")
CYCLE_LIMITS = [MinValueValidator(CYCLE_MIN), MaxValueValidator(CYCLE_MAX)]


class Machine(models.Model):
    """A machine of a work center, with the state the shop floor or its device last reported."""

    class State(models.TextChoices):
        RUNNING = "running", _("Running")
        IDLE = "idle", _("Idle")
        DOWN = "down", _("Down")
        MAINTENANCE = "maintenance", _("Maintenance")

    work_center = models.ForeignKey(
        "erp_core.WorkCenter",
        verbose_name=_("work center"),
        on_delete=models.PROTECT,
        related_name="mes_machines",
    )
    code = models.CharField(_("code"), max_length=16)
    name = models.CharField(_("name"), max_length=100)
    state = models.CharField(_("state"), max_length=16, choices=State, default=State.IDLE)
    state_since = models.DateTimeField(_("state since"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    ideal_cycle_seconds = models.DecimalField(
        _("ideal cycle time (seconds)"),
        max_digits=12,
        decimal_places=3,
        null=True,
        blank=True,
        validators=CYCLE_LIMITS,
        help_text=_("Seconds per unit when the item made has no cycle time of its own."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("machine")
        verbose_name_plural = _("machines")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["code"], name="mes_machine_code_unique"),
            models.CheckConstraint(
                condition=Q(state__in=["running", "idle", "down", "maintenance"]),
                name="mes_machine_state_valid",
            ),
            models.CheckConstraint(
                condition=Q(ideal_cycle_seconds__isnull=True)
                | Q(ideal_cycle_seconds__gte=CYCLE_MIN, ideal_cycle_seconds__lte=CYCLE_MAX),
                name="mes_machine_cycle_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class MachineCycleTime(models.Model):
    """The seconds a machine ideally needs for one unit of an item (performance's yardstick)."""

    machine = models.ForeignKey(
        Machine, verbose_name=_("machine"), on_delete=models.CASCADE, related_name="cycle_times"
    )
    item = models.ForeignKey(
        "erp_core.Item", verbose_name=_("item"), on_delete=models.PROTECT, related_name="+"
    )
    seconds_per_unit = models.DecimalField(
        _("seconds per unit"), max_digits=12, decimal_places=3, validators=CYCLE_LIMITS
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ideal cycle time")
        verbose_name_plural = _("ideal cycle times")
        ordering = ["machine", "item"]
        constraints = [
            models.UniqueConstraint(fields=["machine", "item"], name="mes_cycle_machine_item"),
            models.CheckConstraint(
                condition=Q(seconds_per_unit__gte=CYCLE_MIN, seconds_per_unit__lte=CYCLE_MAX),
                name="mes_cycle_seconds_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.machine_id}/{self.item_id}: {self.seconds_per_unit} s"


class MachineDevice(models.Model):
    """A PLC, gateway or edge device that posts machine data: its own credential, not a user's.

    Only a digest of its token is kept (the token is shown once when issued); ``token_key`` is
    the token's first characters, to find the row without comparing every digest. A device
    posts only for its ``machines``; a revoked device is refused.
    """

    name = models.CharField(_("name"), max_length=100)
    token_key = models.CharField(_("token key"), max_length=16, editable=False)
    token_digest = models.CharField(_("token digest"), max_length=64, editable=False)
    machines = models.ManyToManyField(
        Machine, verbose_name=_("machines"), related_name="devices", blank=True
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_seen_at = models.DateTimeField(_("last seen at"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["last_seen_at"])

    class Meta:
        verbose_name = _("machine device")
        verbose_name_plural = _("machine devices")
        ordering = ["name"]
        permissions = [("issue_machinedevice", _("Can issue and revoke device tokens"))]
        constraints = [
            models.UniqueConstraint(fields=["token_key"], name="mes_device_token_key_unique"),
            models.UniqueConstraint(fields=["name"], name="mes_device_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name
