"""Bulk writes and set look-ups for batch jobs (the flash-sale consumers first of all).

- :func:`bulk_insert` writes many rows of one model in one statement: ``COPY`` on
  PostgreSQL (ids drawn from the sequence first when the caller needs them), ``bulk_create``
  elsewhere. Measured on the flash-sale consumers, the ORM's per-object work (model
  instances, SQL compilation, parameter adaptation) cost more than the database itself;
  COPY does the same writes with next to no Python work.
- :func:`any_of` is ``name IN values`` with the values as ONE parameter on PostgreSQL.
- :func:`check_deferred` runs the deferred foreign-key checks of the current transaction
  now instead of at commit.

Here in core so that every centre can use them (trade writes orders with them, inventory
the reservations those orders hold); they know nothing of any business table.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from operator import itemgetter
from typing import Any

from django.db import connection
from django.db.models import JSONField, Model, Q
from django.db.models.expressions import RawSQL

# A separator no value of ``any_of`` may contain to travel in one joined text parameter.
_SEP = ","


def any_of(name: str, values: Iterable[Any]) -> Q:
    """``name IN values`` — on PostgreSQL with ONE parameter instead of hundreds of
    placeholders the ORM would prepare one by one. The values travel as one joined string
    (``string_to_array``): the driver quotes one string instead of an array of hundreds
    (about three times less work for it); values that contain the separator (or are empty)
    go as a text array. A plain ``__in`` elsewhere."""
    values = list(values)
    if connection.vendor != "postgresql" or not values:
        return Q(**{f"{name}__in": values})
    if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        # Safe: the SQL is a constant; the values travel as one parameter.
        sql = f"SELECT unnest(string_to_array(%s, '{_SEP}')::bigint[])"
        return Q(**{f"{name}__in": RawSQL(sql, (_SEP.join(map(str, values)),))})  # noqa: S611
    texts = [str(v) for v in values]
    if any(_SEP in t or not t for t in texts):     # "" would vanish from the joined form
        return Q(**{f"{name}__in": RawSQL("SELECT unnest(%s::text[])", (texts,))})  # noqa: S611
    sql = f"SELECT unnest(string_to_array(%s, '{_SEP}'))"
    return Q(**{f"{name}__in": RawSQL(sql, (_SEP.join(texts),))})  # noqa: S611


def check_deferred() -> None:
    """Run the foreign-key checks deferred so far in this transaction now (PostgreSQL; the
    constraints are deferred again afterwards). A batch that writes thousands of rows and
    then updates a row every batch queues for calls this before that update: otherwise the
    checks run at commit, while the row is locked, and the other batches wait for them.
    Elsewhere nothing (SQLite checks at commit under its single writer lock, MySQL at once).
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE; SET CONSTRAINTS ALL DEFERRED")


# --- the writer -----------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, enum.Enum) else value


def _next_ids(model: type[Model], count: int) -> list[int]:
    """``count`` ids drawn from the table's sequence (PostgreSQL), in one query. The sequence
    is looked up once (a MATERIALIZED CTE): ``nextval(pg_get_serial_sequence(...))`` looks
    it up again for every id drawn, which cost more than drawing them."""
    with connection.cursor() as cursor:
        cursor.execute("WITH s AS MATERIALIZED (SELECT pg_get_serial_sequence(%s, %s)::regclass "
                       "AS seq) SELECT nextval(s.seq) FROM s, generate_series(1, %s)",
                       [model._meta.db_table, model._meta.pk.column, count])
        return [row[0] for row in cursor.fetchall()]


def _field(model: type[Model], attname: str):
    for model_field in model._meta.concrete_fields:
        if model_field.attname == attname:
            return model_field
    raise LookupError(f"{model.__name__} has no field {attname}")


def _converter(model_field) -> Callable[[Any], Any] | None:
    """How a column's Python values reach the COPY text; ``None``: as they are.

    JSON becomes its text (the same ``json.dumps`` the field uses), dumped once per distinct
    object (a batch repeats the same snapshot dict on every row); datetimes their ISO text,
    once per distinct value; enums their value. The driver escapes the text for COPY."""
    if isinstance(model_field, JSONField):
        encoder = model_field.encoder
        seen: dict[int, tuple[Any, str]] = {}

        def as_json(value: Any) -> Any:
            if value is None:
                return None
            hit = seen.get(id(value))
            if hit is None or hit[0] is not value:
                hit = seen[id(value)] = (value, json.dumps(value, cls=encoder))
            return hit[1]
        return as_json
    memo: dict[Any, Any] = {}

    def plain(value: Any) -> Any:
        if isinstance(value, datetime):
            text = memo.get(value)
            if text is None:
                text = memo[value] = value.isoformat()
            return text
        return _plain(value)
    return plain


def bulk_insert(model: type[Model], rows: Sequence[dict[str, Any]], *,
                need_ids: bool = False) -> list[int] | None:
    """Insert ``rows`` (``{attname: value}``, the same keys in every row) in one statement.

    Columns a row does not give take the field's default, computed once (so a column added
    to the model later with a default needs no change here). Returns the new ids when
    ``need_ids``. PostgreSQL: ``COPY`` (ids drawn first); other databases: ``bulk_create``.
    """
    if not rows:
        return [] if need_ids else None
    if connection.vendor != "postgresql":
        objects = model.objects.bulk_create([model(**row) for row in rows])
        return [obj.pk for obj in objects] if need_ids else None
    given = list(rows[0])
    ids: list[int] | None = None
    if need_ids and "id" not in given:
        ids = _next_ids(model, len(rows))
    given_fields = [_field(model, name) for name in given]
    converters = [(index, _converter(f)) for index, f in enumerate(given_fields)
                  if isinstance(f, JSONField) or any(
                      isinstance(row[f.attname], (datetime, enum.Enum)) for row in rows[:1])]
    fields = [f for f in model._meta.concrete_fields
              if f.attname not in given and not f.primary_key]
    defaults = tuple(_default_text(f) for f in fields)
    columns = (([model._meta.pk.column] if ids is not None else [])
               + [f.column for f in given_fields] + [f.column for f in fields])
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    sql = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({quoted}) FROM STDIN"
    pick = itemgetter(*given)
    single = len(given) == 1
    # The driver's COPY bypasses Django's cursor wrapper: wrap its errors ourselves, so a
    # unique violation is an ``IntegrityError`` like from any other insert.
    with connection.wrap_database_errors, connection.cursor() as cursor, \
            cursor.cursor.copy(sql) as copy:
        write = copy.write_row
        for index, row in enumerate(rows):
            values = (pick(row),) if single else pick(row)
            if converters:
                values = list(values)
                for position, convert in converters:
                    values[position] = convert(values[position])
                values = tuple(values)
            if ids is not None:
                write((ids[index], *values, *defaults))
            else:
                write(values + defaults)
    return ids


def _default_text(model_field) -> Any:
    """A column's default as the COPY wants it (JSON as its text)."""
    value = _plain(model_field.get_default())
    if isinstance(model_field, JSONField):
        return None if value is None else json.dumps(value, cls=model_field.encoder)
    return model_field.get_db_prep_save(value, connection)
