"""Rows written and read with plain parametrised SQL, for the few statements of a hot path.

The ORM builds and compiles every statement again each time it runs — a few hundred
microseconds for an INSERT of one row, more for a query with a subquery — which was most of the
Python a one-move posting spent. These helpers send the same statements with SQL made once per
shape, and values prepared by the model's own fields (``pre_save`` and ``get_db_prep_save`` on
the way in, the backend's and the field's converters on the way out), so PostgreSQL and SQLite
store and read exactly what the ORM would.

On PostgreSQL two writes that need nothing from each other can share a round trip: the first
goes as a data-modifying ``WITH`` of the second (``along``). Elsewhere they are sent one after the
other. And each statement is prepared once per connection (``execute``): the server parses and
plans it once, then runs it by name. Only for code that knows its statements; everything else
uses the ORM.
"""

import hashlib
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.db import connections, router
from django.db.models import Field, Model

# The statements prepared on each PostgreSQL connection (the driver's), by name. Prepared
# statements belong to the session: they outlive a rolled-back transaction and end with the
# connection, which is when its entry goes.
_PREPARED: "weakref.WeakKeyDictionary[Any, set[str]]" = weakref.WeakKeyDictionary()


@cache
def _prepared_form(sql: str) -> tuple[str, str, int]:
    """A statement's name, its text with numbered parameters, and its number of parameters."""
    parts = sql.split("%s")
    numbered = "".join(
        part + (f"${n}" if n < len(parts) else "") for n, part in enumerate(parts, start=1)
    )
    name = "zt_" + hashlib.sha1(sql.encode(), usedforsecurity=False).hexdigest()[:20]
    return name, numbered, len(parts) - 1


# Past this many on one connection, further statements are not prepared (a statement of an
# unusual shape, say a batch of many rows, stays unprepared anyway).
PREPARED_PER_CONNECTION = 100
# A statement of at most this many rows is prepared (a posting's entry lines, its moves).
FEW = 4


def execute(cursor, sql: str, params: Sequence = (), *, prepare: bool = True) -> None:
    """Run ``sql`` (``%s`` parameters, no literal ``%``) on a Django cursor.

    On PostgreSQL, with ``prepare``, the statement is prepared the first time a connection
    runs it (a round trip of its own, once) and executed by name from then on, so the server
    neither parses nor plans it again; the values are sent as they would be otherwise. Give
    ``prepare=False`` for a statement whose text varies (a batch of many rows). Elsewhere it
    simply runs.
    """
    connection = cursor.db
    if not prepare or connection.vendor != "postgresql":
        cursor.execute(sql, params)
        return
    name, numbered, count = _prepared_form(sql)
    raw = connection.connection
    names = _PREPARED.get(raw)
    if names is None:
        names = _PREPARED[raw] = set()
    if name not in names:
        if len(names) >= PREPARED_PER_CONNECTION:
            cursor.execute(sql, params)
            return
        cursor.execute(f"PREPARE {name} AS {numbered}")
        names.add(name)
    if count:
        cursor.execute(f"EXECUTE {name} ({', '.join(['%s'] * count)})", params)
    else:
        cursor.execute(f"EXECUTE {name}")


@dataclass(frozen=True)
class Statement:
    """A write to send along with another (``insert(..., along=…)``); it returns nothing."""

    sql: str
    params: list = field(default_factory=list)


def alias_of(model: type[Model]) -> str:
    """The database a model's rows are written to."""
    return router.db_for_write(model) or "default"


def shares_round_trips(using: str) -> bool:
    """Whether this database takes a write as a ``WITH`` of another statement (PostgreSQL)."""
    return connections[using].vendor == "postgresql"


@cache
def columns_sql(model: type[Model], names: tuple[str, ...], vendor: str) -> str:
    """The quoted columns of these fields (attribute names), for an INSERT."""
    quote = connections[alias_of(model)].ops.quote_name
    return ", ".join(quote(model._meta.get_field(name).column) for name in names)


@cache
def insert_sql(model: type[Model], names: tuple[str, ...], rows: int, vendor: str) -> str:
    """``INSERT`` of ``rows`` rows of these fields, ``RETURNING`` the primary key."""
    connection = connections[alias_of(model)]
    quote = connection.ops.quote_name
    opts = model._meta
    one = "(" + ", ".join(["%s"] * len(names)) + ")"
    return (
        f"INSERT INTO {quote(opts.db_table)} ({columns_sql(model, names, vendor)}) "
        f"VALUES {', '.join([one] * rows)} RETURNING {quote(opts.pk.column)}"
    )


def prepared(obj: Model, fields: Sequence[Field], using: str) -> list:
    """The values of ``obj``'s ``fields`` as the database takes them, as ``Model.save`` makes
    them: ``pre_save`` (``auto_now_add`` times), then ``get_db_prep_save`` (time zones on
    SQLite, JSON, decimals)."""
    connection = connections[using]
    return [field.get_db_prep_save(field.pre_save(obj, True), connection) for field in fields]


def saved(obj: Model, pk: Any, using: str) -> None:
    """Mark ``obj`` as written with primary key ``pk``."""
    obj.pk = pk
    obj._state.adding = False
    obj._state.db = using


def insert(
    model: type[Model],
    objs: Sequence[Model],
    fields: Sequence[str],
    *,
    along: Statement | None = None,
) -> None:
    """Insert ``objs`` (unsaved instances of ``model``) with their ``fields``, a multi-row
    ``INSERT … RETURNING`` per chunk the backend allows, and give each its primary key.

    ``along``, a write that needs nothing from these rows, goes in the same round trip on
    PostgreSQL (before them, on SQLite).
    """
    using = alias_of(model)
    connection = connections[using]
    opts = model._meta
    concrete = [opts.get_field(name) for name in fields]
    names = tuple(fields)
    with connection.cursor() as cursor:
        if along is not None and (not objs or not shares_round_trips(using)):
            execute(cursor, along.sql, along.params)
            along = None
        if not objs:
            return
        size = max(1, connection.ops.bulk_batch_size(concrete, objs)) if len(objs) > 1 else 1
        for first in range(0, len(objs), size):
            chunk = objs[first : first + size]
            sql = insert_sql(model, names, len(chunk), connection.vendor)
            params = [value for obj in chunk for value in prepared(obj, concrete, using)]
            if along is not None:
                sql, params = f"WITH along AS ({along.sql}) {sql}", [*along.params, *params]
                along = None
            execute(cursor, sql, params, prepare=len(chunk) <= FEW)
            for obj, (pk,) in zip(chunk, cursor.fetchall(), strict=True):
                saved(obj, pk, using)


def update_statement(model: type[Model], pk: Any, values: dict[str, Any]) -> Statement:
    """``UPDATE`` one row of ``model`` by primary key with these field values (attribute names),
    each through its field's ``get_db_prep_save``."""
    connection = connections[alias_of(model)]
    opts = model._meta
    quote = connection.ops.quote_name
    fields = [opts.get_field(name) for name in values]
    sets = ", ".join(f"{quote(field.column)} = %s" for field in fields)
    params = [
        field.get_db_prep_save(value, connection)
        for field, value in zip(fields, values.values(), strict=True)
    ]
    return Statement(
        f"UPDATE {quote(opts.db_table)} SET {sets} WHERE {quote(opts.pk.column)} = %s",
        [*params, opts.pk.get_db_prep_value(pk, connection)],
    )


def update(model: type[Model], pk: Any, values: dict[str, Any]) -> int:
    """Run ``update_statement``; the number of rows changed."""
    statement = update_statement(model, pk, values)
    with connections[alias_of(model)].cursor() as cursor:
        execute(cursor, statement.sql, statement.params)
        return cursor.rowcount


Converter = Callable[[Any], Any]


def converter(field: Field, using: str = "default") -> Converter:
    """What turns a value of ``field``'s column read with plain SQL into what the ORM would give
    (a ``Decimal`` and an aware datetime on SQLite, a JSON field's value), made once."""
    return _converter(field, using, connections[using].vendor)


@cache
def _converter(field: Field, using: str, vendor: str) -> Converter:
    # The steps depend on the backend only; each call passes the thread's own connection.
    column = field.get_col(field.model._meta.db_table)
    sample = connections[using]
    steps = [*sample.ops.get_db_converters(column), *column.get_db_converters(sample)]
    if not steps:
        return _same

    def convert(value: Any) -> Any:
        connection = connections[using]
        for step in steps:
            value = step(value, column, connection)
        return value

    return convert


def _same(value: Any) -> Any:
    return value


def from_row(model: type[Model], names: Sequence[str], values: Sequence[Any], using: str) -> Model:
    """An instance of ``model`` from a row read with plain SQL, its ``names`` columns (attribute
    names, in the model's field order) converted as the ORM would convert them."""
    opts = model._meta
    converted = [
        converter(opts.get_field(name), using)(value)
        for name, value in zip(names, values, strict=True)
    ]
    return model.from_db(using, list(names), converted)
