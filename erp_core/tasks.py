"""Thin Celery tasks of the ERP core: fetch, call a service."""

from celery import shared_task

from erp_core.services import idempotency_records_purge


@shared_task(name="erp_core.tasks.purge_idempotency_records")
def purge_idempotency_records() -> int:
    """Periodic (Celery beat): forget Idempotency-Key records older than their 24 h lifetime."""
    return idempotency_records_purge()
