"""Downtime corrections: the shop floor gives or corrects the reason a machine stopped.

The records themselves are derived from the machine data (``machine_events``); a corrected
reason is kept when later events re-derive the record.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from erp_core.models import User
from mes.models import Downtime, DowntimeReason

NOTE_MAX = 200


@transaction.atomic
def downtime_reason_correct(
    *, downtime: Downtime, reason: str, note: str = "", actor: User | None
) -> Downtime:
    """Set the reason of a stop (and a note), remembering who corrected it and when."""
    if reason not in DowntimeReason.values:
        raise ValidationError(
            {"reason": _("Choose one of the reasons: %(reasons)s.")
             % {"reasons": ", ".join(DowntimeReason.values)}}
        )  # fmt: skip
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ValidationError(
            {"note": _("Keep the note within %(max)s characters.") % {"max": NOTE_MAX}}
        )
    record = Downtime.objects.select_for_update().get(pk=downtime.pk)
    record.reason = reason
    record.note = note
    record.reason_corrected_by = actor
    record.reason_corrected_at = timezone.now()
    record.save(update_fields=["reason", "note", "reason_corrected_by", "reason_corrected_at"])
    return record
