"""Bulk loading with PostgreSQL `COPY … FROM STDIN (FORMAT csv)` from in-memory buffers: the scale
generator (`generate_catalog`) and the listing import. Columns a table is not given get the model
field's default, so a column added later with a default breaks neither."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib.postgres.fields import ArrayField
from django.db import models

COPY_CHUNK = 1 << 20  # bytes handed to the driver per call while copying


class CopyTable:
    """COPY rows of `model` given as tuples in the order of `columns` (database column names).

    Every other concrete column gets the field's default (None for nullable fields, "" for blank
    text); the primary key is left to its identity default unless `columns` names it.
    """

    def __init__(
        self,
        model: type[models.Model],
        columns: Sequence[str],
        *,
        table: str | None = None,
        stage_columns: Sequence[str] = (),
    ) -> None:
        """`table`: COPY into this stage shaped like the model's table instead, which may have
        `stage_columns` besides the model's; rows give them after `columns`."""
        self.model = model
        self.table = table or model._meta.db_table
        known = {f.column for f in model._meta.concrete_fields}
        unknown = [c for c in columns if c not in known]
        if unknown:
            raise ValueError(f"{self.table} has no column {', '.join(unknown)}")
        given = set(columns)
        extra = [f for f in model._meta.concrete_fields if f.column not in given and not f.primary_key]
        self.columns: list[str] = [*columns, *stage_columns, *(f.column for f in extra if f.column)]
        self.defaults = tuple(_column_default(f) for f in extra)
        quoted = ", ".join(f'"{c}"' for c in self.columns)
        self.sql = f'COPY "{self.table}" ({quoted}) FROM STDIN WITH (FORMAT csv)'

    @classmethod
    def of_link_table(cls, table: str, columns: Sequence[str]) -> CopyTable:
        """COPY into a many-to-many link table, whose only other column is its identity key."""
        copy = cls.__new__(cls)
        copy.table, copy.columns, copy.defaults = table, list(columns), ()
        quoted = ", ".join(f'"{c}"' for c in copy.columns)
        copy.sql = f'COPY "{table}" ({quoted}) FROM STDIN WITH (FORMAT csv)'
        return copy

    def encode(self, rows: Iterable[tuple]) -> tuple[io.BytesIO, int]:
        """The CSV of `rows` (defaults appended), UTF-8, ready for `send`, and how many rows it holds."""
        text = io.StringIO()
        writer = csv.writer(text, quoting=csv.QUOTE_STRINGS, lineterminator="\n")
        defaults = self.defaults
        listed = [row + defaults for row in rows] if defaults else list(rows)
        writer.writerows(listed)
        count = len(listed)
        return io.BytesIO(text.getvalue().encode()), count

    def send(self, cursor: Any, encoded: tuple[io.BytesIO, int]) -> int:
        """COPY an encoded buffer into the table; returns how many rows it held."""
        buffer, count = encoded
        if count:
            cursor.copy_expert(self.sql, buffer, size=COPY_CHUNK)
        return count

    def copy(self, cursor: Any, rows: Iterable[tuple]) -> int:
        """Write `rows` through one COPY; returns how many rows were sent."""
        return self.send(cursor, self.encode(rows))


def _column_default(f: models.Field) -> Any:
    if f.has_default() and callable(f.default) and f.unique:
        # One value for every row would break the unique index (a verification code, a token).
        raise ValueError(f"{f.model._meta.db_table}.{f.column} is unique: give it in the COPY columns")
    if f.has_default():
        value = f.get_default()
        if isinstance(f, models.JSONField):
            return json.dumps(value, ensure_ascii=False)
        if isinstance(f, ArrayField):
            return as_pg_array(value)
        return value
    if f.null:
        return None
    if isinstance(f, models.CharField | models.TextField) and f.blank:
        return ""
    raise ValueError(f"{f.model._meta.db_table}.{f.column} needs a value: give it in the COPY columns")


def reserve_ids(cursor: Any, model: type[models.Model], count: int) -> list[int]:
    """`count` fresh primary keys from the table's own sequence (safe beside concurrent inserts)."""
    if count <= 0:
        return []
    table = model._meta.db_table
    cursor.execute(
        "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
        [table, model._meta.pk.column, count],
    )
    return [row[0] for row in cursor.fetchall()]


def as_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def as_pg_array(values: Iterable[Any] | None) -> str | None:
    """A one-dimensional list of text as PostgreSQL's array literal, for COPY ("{"DE","FR"}")."""
    if values is None:
        return None
    items = (str(v).replace("\\", "\\\\").replace('"', '\\"') for v in values)
    return "{" + ",".join(f'"{item}"' for item in items) + "}"
