"""Read a model's django-simple-history records as rows of "who changed what, when".

Generic over any model with ``HistoricalRecords``: the detail pages of every module use it.
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

HISTORY_TYPE_LABELS = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}


@dataclass(frozen=True)
class FieldChange:
    """One field of one historical record: its label and its value before and after."""

    field: str
    label: str
    old: Any
    new: Any


@dataclass(frozen=True)
class HistoryRow:
    """One historical record: when, by whom, what kind of change and which fields changed."""

    date: datetime
    user: Any
    history_type: str
    type_label: str
    reason: str
    changes: list[FieldChange] = field(default_factory=list)


def _display(model: type[models.Model], name: str, value: Any) -> Any:
    """A field's value as people read it: the label of a choice, else the value itself."""
    model_field = model._meta.get_field(name)
    if model_field.choices:
        return dict(model_field.flatchoices).get(value, value)
    return value


def _label(model: type[models.Model], name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)


def history_rows(instance: models.Model, *, limit: int = 50) -> list[HistoryRow]:
    """The newest ``limit`` changes of ``instance``, each diffed against the record before it;
    a change of nothing but bookkeeping fields (timestamps, the revision counter) is left out.

    One query: the records (with their users) are read once and diffed pairwise in memory,
    rather than through ``prev_record``, which would cost a query per row.
    """
    model = type(instance)
    records = list(
        instance.history.select_related("history_user").order_by("-history_date", "-history_id")[
            : limit + 1
        ]
    )
    excluded = {"updated_at", "created_at", "revision"}
    rows = []
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous)
            changes = [
                FieldChange(
                    field=change.field,
                    label=_label(model, change.field),
                    old=_display(model, change.field, change.old),
                    new=_display(model, change.field, change.new),
                )
                for change in delta.changes
                if change.field not in excluded
            ]
            if not changes and not record.history_change_reason:
                continue  # a save that changed nothing a person reads (a counter, a timestamp)
        rows.append(
            HistoryRow(
                date=record.history_date,
                user=record.history_user,
                history_type=record.history_type,
                type_label=str(HISTORY_TYPE_LABELS.get(record.history_type, record.history_type)),
                reason=record.history_change_reason or "",
                changes=changes,
            )
        )
    return rows
