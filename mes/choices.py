"""MES's choices, apart from its models so that the API schema's enum names can import them
even when MES is switched off (a model module of an app not installed cannot be imported)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

__all__ = ["DowntimeReason", "MachineEventKind", "WorkOperationStatus", "WorkOrderStatus"]


class DowntimeReason(models.TextChoices):
    """Why a machine stopped."""

    BREAKDOWN = "breakdown", _("Breakdown")
    CHANGEOVER = "changeover", _("Changeover")
    MATERIAL_SHORTAGE = "material_shortage", _("Material shortage")
    NO_OPERATOR = "no_operator", _("No operator")
    PLANNED_MAINTENANCE = "planned_maintenance", _("Planned maintenance")


class MachineEventKind(models.TextChoices):
    """What a device's event says: a state change, a counter reading or an alarm."""

    STATE = "state", _("State change")
    COUNTER = "counter", _("Counter")
    ALARM = "alarm", _("Alarm")


class WorkOrderStatus(models.TextChoices):
    """Where a work order stands on the shop floor."""

    RELEASED = "released", _("Released")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class WorkOperationStatus(models.TextChoices):
    """Where an operation of a work order stands."""

    WAITING = "waiting", _("Waiting")
    RUNNING = "running", pgettext_lazy("operation status", "Running")
    PAUSED = "paused", _("Paused")
    DONE = "done", _("Done")
