"""Machine data: the events devices post, and the downtime derived from them.

Events are kept as posted (idempotent on the device's own event id) and placed by their
timestamp. What is derived from them — a counter event's good and scrap since the previous
reading, and the downtime records — is re-derived from the point a late event lands, so the
order in which events arrive never changes the result.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mes.choices import DowntimeReason, MachineEventKind
from mes.models.machines import Machine, MachineDevice

#: The highest raw counter a device may report (a 40-bit counter and then some).
COUNTER_MAX = 10**12


class MachineEvent(models.Model):
    """One event a device posted: a state change, a counter reading or an alarm.

    ``good`` and ``scrap`` of a counter event are the device's raw counters; ``good_delta`` and
    ``scrap_delta`` are what was made since the previous reading (by timestamp), a reading lower
    than the previous one meaning the counter was reset and counts from zero.
    """

    Kind = MachineEventKind

    device = models.ForeignKey(
        MachineDevice, verbose_name=_("device"), on_delete=models.PROTECT, related_name="events"
    )
    machine = models.ForeignKey(
        Machine, verbose_name=_("machine"), on_delete=models.PROTECT, related_name="events"
    )
    event_id = models.CharField(_("device's event id"), max_length=64)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind)
    occurred_at = models.DateTimeField(_("occurred at"))
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)
    state = models.CharField(
        _("state"), max_length=16, choices=Machine.State, blank=True, default=""
    )
    reason = models.CharField(
        _("reason"), max_length=24, choices=DowntimeReason, blank=True, default=""
    )
    item = models.ForeignKey(
        "erp_core.Item",
        verbose_name=_("item"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    good = models.PositiveBigIntegerField(_("good counter"), null=True, blank=True)
    scrap = models.PositiveBigIntegerField(_("scrap counter"), null=True, blank=True)
    good_delta = models.PositiveBigIntegerField(_("good since previous"), default=0)
    scrap_delta = models.PositiveBigIntegerField(_("scrap since previous"), default=0)
    alarm_code = models.CharField(_("alarm code"), max_length=32, blank=True, default="")
    alarm_text = models.CharField(_("alarm text"), max_length=200, blank=True, default="")

    class Meta:
        verbose_name = _("machine event")
        verbose_name_plural = _("machine events")
        ordering = ["machine", "occurred_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["device", "event_id"], name="mes_event_device_id"),
            models.CheckConstraint(
                condition=Q(kind__in=["state", "counter", "alarm"]), name="mes_event_kind_valid"
            ),
            models.CheckConstraint(
                condition=~Q(kind="state") | ~Q(state=""), name="mes_event_state_given"
            ),
            models.CheckConstraint(
                condition=~Q(kind="counter") | (Q(good__isnull=False) & Q(scrap__isnull=False)),
                name="mes_event_counters_given",
            ),
            models.CheckConstraint(
                condition=Q(good__lte=COUNTER_MAX) & Q(scrap__lte=COUNTER_MAX)
                | Q(good__isnull=True)
                | Q(scrap__isnull=True),
                name="mes_event_counter_range",
            ),
        ]
        indexes = [
            models.Index(fields=["machine", "kind", "occurred_at"], name="mes_event_timeline"),
        ]

    def __str__(self) -> str:
        return f"{self.device_id}:{self.event_id}"


class Downtime(models.Model):
    """A period a machine was not running (down, in maintenance or idle), derived from its
    state changes; its reason comes from the device and may be corrected by the shop floor."""

    machine = models.ForeignKey(
        Machine, verbose_name=_("machine"), on_delete=models.PROTECT, related_name="downtimes"
    )
    start_event = models.OneToOneField(
        MachineEvent,
        verbose_name=_("start event"),
        on_delete=models.CASCADE,
        related_name="downtime",
    )
    state = models.CharField(_("state"), max_length=16, choices=Machine.State)
    started_at = models.DateTimeField(_("started at"))
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    reason = models.CharField(
        _("reason"), max_length=24, choices=DowntimeReason, blank=True, default=""
    )
    reason_corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reason corrected by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reason_corrected_at = models.DateTimeField(_("reason corrected at"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True, default="")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("downtime")
        verbose_name_plural = _("downtimes")
        ordering = ["-started_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
                name="mes_downtime_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(state__in=["idle", "down", "maintenance"]),
                name="mes_downtime_state_not_running",
            ),
        ]
        indexes = [models.Index(fields=["machine", "started_at"], name="mes_downtime_machine")]

    def __str__(self) -> str:
        return f"{self.machine_id} {self.started_at:%Y-%m-%d %H:%M}"
