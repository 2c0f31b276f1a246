"""The schedule's demo step: a plan of the demo's released production orders."""

from decimal import Decimal

from erp_core.demo import demo_context
from erp_core.scheduling.models import Schedule
from erp_core.scheduling.services import schedule_run


def scheduling_step() -> dict[str, int]:
    """Schedule the released orders once (a two-second search), unless a plan exists."""
    if Schedule.objects.exists():
        return {"schedules": 0}
    context = demo_context()
    schedule_run(actor=context.users.get("planner"), seconds=Decimal(2))
    return {"schedules": 1}
