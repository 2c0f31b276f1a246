"""The shared steps of every document's workflow: numbering, locking and the status flow.

A document's own service (``sales_order_approve``…) locks the document with ``document_lock``,
checks what it may do with ``require_status`` and ``require_revision``, does its own work and
records the step with ``mark_approved``/``mark_unapproved``/``mark_voided`` — all in the
caller's transaction.
"""

import datetime as dt
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.errors import Conflict
from erp_core.documents.models import APPROVED, DRAFT, VOIDED, Document, DocumentSequence

D = TypeVar("D", bound=Document)


def days_after(day: dt.date, days: int, *, field: str) -> dt.date:
    """``day`` plus ``days`` (a lead time, payment terms); a date past the calendar's end is a
    400 on ``field``, not an overflow."""
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        raise ValidationError({field: _("The date is out of range.")}) from None


def document_number_next(*, kind: str, date: dt.date) -> str:
    """Take the next number of ``kind`` in the year of ``date``, e.g. ``SO-2026-000042``.

    Call it inside the transaction that saves the document: the sequence row stays locked until
    that transaction ends, so two saves never share a number and a rollback leaves no gap.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Take a document number inside the saving transaction.")
    year = date.year
    sequence = DocumentSequence.objects.select_for_update().filter(kind=kind, year=year).first()
    if sequence is None:
        try:
            with transaction.atomic():
                DocumentSequence.objects.create(kind=kind, year=year)
        except IntegrityError:
            pass  # another transaction created it first; wait for its lock
        sequence = DocumentSequence.objects.select_for_update().get(kind=kind, year=year)
    number = sequence.next_number
    DocumentSequence.objects.filter(pk=sequence.pk).update(next_number=number + 1)
    return f"{kind}-{year}-{number:06d}"


def document_lock(document: D) -> D:
    """The document re-read under a row lock, so that the checks that follow stay true."""
    return type(document)._default_manager.select_for_update().get(pk=document.pk)


def _label(document: Document) -> str:
    return f"{document._meta.verbose_name} {document.number}".strip()


def require_status(document: Document, *allowed: str, action: str) -> None:
    """Refuse ``action`` with a Conflict (409) unless the document is in one of ``allowed``."""
    if document.status in allowed:
        return
    raise Conflict(
        _("%(document)s is %(status)s: it cannot be %(action)s.")
        % {
            "document": _label(document),
            "status": document.get_status_display().lower(),
            "action": action,
        },
        code="invalid_status",
    )


def require_revision(document: Document, expected: int | None) -> None:
    """Refuse a change based on an older read of the document (a stale update) with a 409."""
    if expected is not None and expected != document.revision:
        raise Conflict(
            _(
                "%(document)s was changed by someone else (revision %(current)s, yours "
                "%(expected)s): reload it and try again."
            )
            % {"document": _label(document), "current": document.revision, "expected": expected},
            code="stale_update",
        )


def _bump(document: Document, fields: list[str]) -> None:
    document.revision += 1
    document.save(update_fields=[*fields, "revision", "updated_at"])


def mark_changed(document: Document, fields: list[str]) -> None:
    """Save an edit of ``fields`` and count a new revision."""
    _bump(document, list(fields))


def mark_approved(document: Document, *, actor, status: str = APPROVED) -> None:
    """Record the approval (审核): who and when; the document is no longer editable."""
    document.status = status
    document.approved_by = actor
    document.approved_at = timezone.now()
    _bump(document, ["status", "approved_by", "approved_at"])


def mark_unapproved(document: Document) -> None:
    """Take the approval back (反审核): the document is saved and editable again."""
    document.status = DRAFT
    document.approved_by = None
    document.approved_at = None
    _bump(document, ["status", "approved_by", "approved_at"])


def mark_voided(document: Document, *, actor, reason: str) -> None:
    """Record the void (作废) with its reason; the document keeps its number for the record."""
    document.status = VOIDED
    document.voided_by = actor
    document.voided_at = timezone.now()
    document.void_reason = (reason or "").strip()[:255]
    _bump(document, ["status", "voided_by", "voided_at", "void_reason"])


def refuse_if_downstream(document: Document, downstream: models.QuerySet, *, action: str) -> None:
    """Refuse ``action`` (409) while documents made from this one exist (and are not voided)."""
    first = downstream.first()
    if first is not None:
        raise Conflict(
            _("%(document)s cannot be %(action)s: %(downstream)s was made from it.")
            % {"document": _label(document), "action": action, "downstream": _label(first)},
            code="has_downstream",
        )
