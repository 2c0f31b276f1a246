"""Thin Celery tasks of planning: fetch, call a service."""

from celery import shared_task

from erp_core.planning.models import MrpRun
from erp_core.planning.services import mrp_run_execute


@shared_task(name="erp_core.planning.tasks.mrp_run")
def mrp_run(run_id: int) -> str:
    """Execute the queued MRP run ``run_id``; answer its final status."""
    run = MrpRun.objects.filter(pk=run_id).first()
    if run is None:
        return "missing"
    return mrp_run_execute(run=run).status


def enqueue_mrp_run(run_id: int) -> None:
    """Send the run's task (called on commit by ``mrp_run_start``)."""
    mrp_run.delay(run_id)
