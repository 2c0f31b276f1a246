"""Planning's demo step: a forecast of FG-GEARBOX for next month and a regenerative MRP run, so
the planner's dashboard opens on a plan."""

from datetime import timedelta
from decimal import Decimal

from erp_core.demo import demo_context
from erp_core.planning.models import Forecast, MrpRun
from erp_core.planning.services import forecast_create, mrp_run_execute, mrp_run_start


def planning_step() -> dict[str, int]:
    """A forecast of 20 FG-GEARBOX over the four weeks from next week, then an MRP run."""
    context = demo_context()
    gearbox = context.items.get("FG-GEARBOX")
    if gearbox is None or MrpRun.objects.exists():
        return {"forecasts": 0, "MRP runs": 0}
    start = context.today + timedelta(days=7)
    created = 0
    if not Forecast.objects.filter(item=gearbox, period_start=start).exists():
        forecast_create(
            item=gearbox, period_start=start, period_end=start + timedelta(days=27),
            quantity=Decimal(20), memo="demo",
        )  # fmt: skip
        created = 1
    # Run in this transaction (no task): the demo loads in one go and the plan is there at once.
    run = mrp_run_start(actor=context.users.get("planner"))
    mrp_run_execute(run=run)
    return {"forecasts": created, "MRP runs": 1}
