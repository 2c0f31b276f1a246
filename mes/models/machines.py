"""Machines: the shop floor's equipment, each belonging to an ERP work center.

The ERP plans on work centers (master data); MES knows which machines a work center has, what
state each is in and since when.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


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
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
