"""Bulk writing for a run's output: hundreds of thousands of rows in a few statements.

On PostgreSQL rows are streamed with ``COPY … FROM STDIN`` (one statement per table, no
per-row parameters) and the ids of rows that others point at are reserved from the table's
sequence in one query; elsewhere (SQLite) they go through ``bulk_create`` in the largest
batches the backend takes. Rows are plain tuples of column values in the order of ``fields``.
"""

from __future__ import annotations

import io
import time
from collections.abc import Iterable, Sequence
from typing import cast

from django.db import connection, models

CHUNK = 1 << 16  # characters per read of the COPY stream


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def _field(model: type[models.Model], name: str) -> models.Field:
    return cast(models.Field, model._meta.get_field(name))


_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
NULL = "\\N"


def _plain(value: object) -> str:
    """A number, date or boolean (``True`` is valid input for a PostgreSQL boolean)."""
    return NULL if value is None else str(value)


def _escaped(value: object) -> str:
    """Text, with COPY's special characters escaped."""
    return NULL if value is None else str(value).translate(_ESCAPES)


class _RowStream(io.TextIOBase):
    """A file-like reader over rows, rendered to COPY's text format a chunk at a time (so the
    whole table is never one string in memory)."""

    def __init__(self, rows: Iterable[Sequence[object]], converters: list) -> None:
        self._rows = iter(rows)
        self._converters = converters
        self._buffer = ""

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> str:
        want = CHUNK if size is None or size < 0 else size
        converters = self._converters
        parts = [self._buffer]
        length = len(self._buffer)
        for row in self._rows:
            line = "\t".join([f(v) for f, v in zip(converters, row, strict=True)]) + "\n"
            parts.append(line)
            length += len(line)
            if length >= want:
                break
        text = "".join(parts)
        self._buffer = text[want:]
        return text[:want]


def insert_rows(
    model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[object]]
) -> None:
    """Insert ``rows`` (tuples in the order of ``fields``, attribute names: ``item_id``) into
    ``model``'s table: ``COPY`` on PostgreSQL, ``bulk_create`` elsewhere. No signals, no
    ``save()``: the caller hands in values that are already valid."""
    if is_postgres():
        table = connection.ops.quote_name(model._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(str(_field(model, f).column)) for f in fields)
        converters = [
            _escaped if isinstance(field, models.CharField | models.TextField) else _plain
            for field in (_field(model, name) for name in fields)
        ]
        sql = f"COPY {table} ({columns}) FROM STDIN"
        started = time.monotonic()
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(sql, _RowStream(rows, converters), size=CHUNK)
        if connection.queries_logged:  # counted with the other queries (tests, debug)
            connection.queries_log.append({"sql": sql, "time": f"{time.monotonic() - started:.3f}"})
        return
    model._default_manager.bulk_create(
        (model(**dict(zip(fields, row, strict=True))) for row in rows), batch_size=None
    )


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """``count`` fresh primary keys of ``model``'s table, taken from its sequence in one query
    (PostgreSQL only: the rows are then copied in with these ids)."""
    if count == 0:
        return []
    table = model._meta.db_table
    column = model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, column, count],
        )
        return [row[0] for row in cursor.fetchall()]


def insert_returning_ids(
    model: type[models.Model], fields: Sequence[str], rows: Sequence[Sequence[object]]
) -> list[int]:
    """Insert ``rows`` like ``insert_rows`` and answer their primary keys, in order."""
    if is_postgres():
        ids = reserve_ids(model, len(rows))
        insert_rows(model, ("id", *fields), ((pk, *row) for pk, row in zip(ids, rows, strict=True)))
        return ids
    objs = [model(**dict(zip(fields, row, strict=True))) for row in rows]
    model._default_manager.bulk_create(objs, batch_size=None)
    return [obj.pk for obj in objs]


def delete_ids(model: type[models.Model], ids: Iterable[int]) -> int:
    """Delete ``model``'s rows with these primary keys, a statement per 10,000 at most (fewer
    on SQLite); no signals, no cascade: the caller removed what points at them."""
    ids = list(ids)
    step = min(10_000, (connection.features.max_query_params or 10_000) - 1)
    for start in range(0, len(ids), step):
        qs = model._default_manager.filter(pk__in=ids[start : start + step])
        qs._raw_delete(qs.db)
    return len(ids)
