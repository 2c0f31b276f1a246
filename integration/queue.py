"""Handing events to Celery. A broker that is down is logged, never raised: the sweep re-sends."""

import logging
import uuid

from config.celery import app as celery_app

logger = logging.getLogger(__name__)

DELIVER_TASK = "integration.tasks.deliver_event"

# Publishing after commit must not hang a request when the broker is down.
PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}


def enqueue_delivery(event_id: uuid.UUID) -> bool:
    """Ask a worker to deliver the event; return False (and log) when the broker is unreachable."""
    try:
        celery_app.signature(DELIVER_TASK, args=[str(event_id)]).apply_async(
            retry=True, retry_policy=PUBLISH_RETRY_POLICY
        )
    except Exception:  # the broker's client raises many kinds; all mean "not sent now"
        logger.warning(
            "Could not enqueue event %s; the outbox sweep will re-send it.", event_id, exc_info=True
        )
        return False
    return True
