"""Thin Celery tasks of the bus: fetch, call a service."""

import uuid

from celery import shared_task

from integration.services import event_deliver, outbox_sweep


@shared_task(name="integration.tasks.deliver_event", acks_late=True, reject_on_worker_lost=True)
def deliver_event(event_id: str) -> None:
    """Deliver one event to its receivers (acked only once done, so a killed worker's is redone)."""
    event_deliver(event_id=uuid.UUID(event_id))


@shared_task(name="integration.tasks.sweep_outbox")
def sweep_outbox() -> int:
    """Periodic (Celery beat): re-send undelivered events and due retries."""
    return outbox_sweep()
