"""Thin Celery tasks of CRM: fetch, call a service."""

from celery import shared_task

from crm.services.collections import dunning_run


@shared_task(name="crm.tasks.run_dunning")
def run_dunning() -> int:
    """Periodic (Celery beat, daily): move overdue invoices to their dunning stage, with a
    follow-up task for each account owner, and break promises to pay gone past their date."""
    return dunning_run()
