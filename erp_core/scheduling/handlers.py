"""Receivers of the shop floor's topics for the schedule."""

from django.utils.dateparse import parse_datetime

from erp_core.scheduling import services
from integration import topics
from integration.models import Event
from integration.receivers import on


@on(topics.machine_state_changed, name="erp_core.scheduling.machine_state_changed")
def machine_state_changed(event: Event) -> None:
    """``mes.machine_state_changed``: learn the machine; replan when it went down or came back."""
    payload = event.payload
    services.schedule_machine_state_changed(
        machine_id=payload["machine_id"],
        work_center_id=payload["work_center_id"],
        state=payload["state"],
        changed_at=parse_datetime(payload["changed_at"]),
    )
