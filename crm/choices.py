"""CRM's choices the API schema names, apart from its models so that the schema's enum names
can import them even when CRM is switched off."""

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["ActivityKind"]


class ActivityKind(models.TextChoices):
    """What was done or is to do with a customer."""

    CALL = "call", _("Call")
    MEETING = "meeting", _("Meeting")
    VISIT = "visit", _("Visit")
    TASK = "task", _("Task")
    NOTE = "note", _("Note")
