"""Checks and helpers shared by the WMS services: quantities, numbering, scans."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from common.errors import Conflict
from common.limits import QUANTITY_MAX
from common.numbers import parse_decimal
from erp_core.documents.models import Document, DocumentSequence
from erp_core.masterdata.quantities import unit_decimals_check
from erp_core.models import Item
from wms.models import Quant

ZERO = Decimal("0")
_QUANTITY_FIELD = Quant._meta.get_field("on_hand")


def positive_quantity(value, *, field: str = "quantity", item: Item | None = None) -> Decimal:
    """A quantity above zero within the quants' digits and a document line's bound, and to
    the precision of ``item``'s unit when it is entered for an item (a scan, a move)."""
    number = parse_decimal(value, field=field, bounds=_QUANTITY_FIELD, max_value=QUANTITY_MAX)
    if number <= 0:
        raise ValidationError({field: _("The quantity must be greater than zero.")})
    if item is not None:
        unit_decimals_check(item, number, field=field)
    return number


def not_negative_quantity(value, *, field: str = "quantity", item: Item | None = None) -> Decimal:
    """A quantity of zero or more (a count may find nothing), within a line's bound, and to
    the precision of ``item``'s unit when given."""
    number = parse_decimal(value, field=field, bounds=_QUANTITY_FIELD, max_value=QUANTITY_MAX)
    if number < 0:
        raise ValidationError({field: _("The quantity must not be negative.")})
    if item is not None:
        unit_decimals_check(item, number, field=field)
    return number


def number_next(*, kind: str, date: dt.date) -> str:
    """The next number of a WMS document kind in the year of ``date`` (``WR-2026-000001``).

    The sequence row stays locked until the saving transaction ends: no two documents share a
    number and a rolled-back save leaves no gap.
    """
    year = date.year
    sequence = DocumentSequence.objects.select_for_update().filter(kind=kind, year=year).first()
    if sequence is None:
        try:
            with transaction.atomic():
                DocumentSequence.objects.create(kind=kind, year=year)
        except IntegrityError:
            pass
        sequence = DocumentSequence.objects.select_for_update().get(kind=kind, year=year)
    number = sequence.next_number
    DocumentSequence.objects.filter(pk=sequence.pk).update(next_number=number + 1)
    return f"{kind}-{year}-{number:06d}"


def lock(document):
    """The document (or row) re-read under a row lock."""
    return type(document)._default_manager.select_for_update().get(pk=document.pk)


def require_status(document: Document, *allowed: str, action: str) -> None:
    """Refuse ``action`` with a 409 unless the document is in one of ``allowed``."""
    if document.status in allowed:
        return
    raise Conflict(
        _("%(document)s %(number)s is %(status)s: it cannot be %(action)s.")
        % {
            "document": document._meta.verbose_name,
            "number": document.number,
            "status": document.get_status_display().lower(),
            "action": action,
        },
        code="invalid_status",
    )


def bump(document: Document, fields: list[str]) -> None:
    """Save ``fields`` of a document and count a new revision."""
    document.revision += 1
    document.save(update_fields=[*fields, "revision", "updated_at"])


def figure(value) -> str:
    """A quantity as people write it: no trailing zeros, never an exponent (10, not 1E+1)."""
    number = Decimal(value).normalize()
    return f"{number:f}"
