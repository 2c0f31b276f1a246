"""The outbox (one row per published event) and the delivery book-keeping around it."""

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Event(models.Model):
    """A fact one module announced, written in the transaction that made it true (the outbox).

    After commit a Celery task delivers it to the topic's receivers; the sweep re-sends rows that
    were committed but never delivered, and retries those whose receivers failed.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        RETRYING = "retrying", _("Retrying")
        DELIVERED = "delivered", pgettext_lazy("event delivery", "Delivered")
        DEAD = "dead", _("Dead")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    topic = models.CharField(_("topic"), max_length=100, db_index=True)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    occurred_at = models.DateTimeField(_("occurred at"))
    payload = models.JSONField(_("payload"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveIntegerField(_("delivery rounds"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    enqueued_at = models.DateTimeField(_("last enqueued at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-occurred_at"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="event_status_due_idx"),
            models.Index(fields=["-occurred_at"], name="event_occurred_idx"),
        ]
        permissions = [("replay_event", _("Can replay dead deliveries"))]

    def __str__(self) -> str:
        return f"{self.topic} {self.id}"

    def envelope(self) -> dict:
        """The event as partners and logs see it: id, topic, version, occurred_at, payload."""
        return {
            "id": str(self.id),
            "topic": self.topic,
            "version": self.version,
            "occurred_at": self.occurred_at.isoformat(),
            "payload": self.payload,
        }


class Delivery(models.Model):
    """A receiver that failed on an event: its attempts, last error and whether it is dead.

    Receivers that succeed at the first try leave no row here; their EventReceipt is the record.
    """

    class Status(models.TextChoices):
        FAILING = "failing", _("Failing, will retry")
        DEAD = "dead", _("Dead")
        DONE = "done", _("Done")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="deliveries")
    receiver = models.CharField(_("receiver"), max_length=200)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "receiver"], name="delivery_event_receiver_uniq"
            ),
        ]
        indexes = [models.Index(fields=["status"], name="delivery_status_idx")]

    def __str__(self) -> str:
        return f"{self.receiver} ← {self.event_id} ({self.status})"


class EventReceipt(models.Model):
    """Proof that a receiver applied an event: written in the receiver's own transaction.

    Its unique key is what makes delivery at least once take effect exactly once.
    """

    event_id = models.UUIDField(_("event id"))
    receiver = models.CharField(_("receiver"), max_length=200)
    handled_at = models.DateTimeField(_("handled at"), auto_now_add=True)

    class Meta:
        verbose_name = _("event receipt")
        verbose_name_plural = _("event receipts")
        constraints = [
            models.UniqueConstraint(
                fields=["event_id", "receiver"], name="eventreceipt_event_receiver_uniq"
            ),
            models.CheckConstraint(condition=~Q(receiver=""), name="eventreceipt_receiver_set"),
        ]

    def __str__(self) -> str:
        return f"{self.receiver} ✓ {self.event_id}"
