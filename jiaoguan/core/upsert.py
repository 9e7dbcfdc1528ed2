"""Idempotent bulk upsert on a natural key: new rows are created, changed rows updated,
identical rows left alone, so re-importing the same file changes nothing.

Built for 100,000-row imports: existing rows are looked up and new rows inserted with plain
parameterised SQL (the same statements on SQLite and PostgreSQL). Building model instances,
preparing IN-lookups and compiling bulk inserts through the ORM cost several times more than
the database work itself.
"""
from __future__ import annotations

import datetime
import functools
import operator
from decimal import Decimal
from typing import Iterable

from django.db import connection, connections, router


def chunked(seq: list, size: int = 5000):
    for i in range(0, len(seq), size):
        yield seq[i : i + size]


class Upserted:
    def __init__(self, status: dict, pks: dict):
        self.status = status  # key → "created" | "updated" | "unchanged"
        self.pks = pks        # key → primary key

    def counts(self) -> tuple[int, int, int]:
        values = list(self.status.values())
        return values.count("created"), values.count("updated"), values.count("unchanged")


def combine(*statuses: str) -> str:
    """A row that wrote two objects: created if the main one was new, else updated if either changed."""
    if statuses[0] == "created":
        return "created"
    return "updated" if "updated" in statuses or "created" in statuses else "unchanged"


def _norm(value):
    """One representation for a value as read back from any backend and as parsed from a file."""
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()[:10]
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (Decimal, float, int)):
        return round(float(value), 4)
    return value


class Table:
    """Column names and value adapters of a model, for hand-written SQL."""

    def __init__(self, model, fields: list[str]):
        opts = model._meta
        ops = connection.ops
        self.model = model
        self.name = ops.quote_name(opts.db_table)
        self.fields = fields
        self.columns = {f: opts.get_field(f).column if f != "pk" else opts.pk.column for f in fields}
        self.adapters = []
        for f in fields:
            field = opts.pk if f == "pk" else opts.get_field(f)
            internal = field.get_internal_type()
            if internal == "DateField":
                self.adapters.append(ops.adapt_datefield_value)
            elif internal == "DecimalField":
                self.adapters.append(
                    lambda v, fl=field: ops.adapt_decimalfield_value(Decimal(str(v)), fl.max_digits, fl.decimal_places)
                )
            else:
                self.adapters.append(None)

    def col(self, f: str) -> str:
        return connection.ops.quote_name(self.columns[f])


def pick(column: list, indexes: list[int]) -> list:
    """column[i] for each i, at C speed."""
    if len(indexes) > 1:
        return list(operator.itemgetter(*indexes)(column))
    return [column[i] for i in indexes]


def as_columns(rows, fields: list[str]) -> tuple[dict[str, list], int]:
    """Rows as {field: values}: dict rows are turned into columns; columns are taken as they are."""
    if isinstance(rows, dict):
        return rows, len(rows[fields[0]]) if fields else 0
    rows = list(rows)
    return {f: [r[f] for r in rows] for f in fields}, len(rows)


def insert_rows(model, fields: list[str], rows, *, batch_size: int = 5000) -> None:
    """INSERT the rows (dicts, or {field: values} columns) without building model instances."""
    columns, n = as_columns(rows, fields)
    if not n:
        return
    table = Table(model, fields)
    names = ", ".join(table.col(f) for f in fields)
    sql = f"INSERT INTO {table.name} ({names}) VALUES ({', '.join(['%s'] * len(fields))})"
    adapted = [[None if v is None else a(v) for v in columns[f]] if a else columns[f] for f, a in zip(fields, table.adapters)]
    values = list(zip(*adapted))
    with connection.cursor() as cursor:
        for batch in chunked(values, batch_size):
            cursor.executemany(sql, batch)


def select_in(model, fields: list[str], in_field: str, values: Iterable, where: dict | None = None,
              *, batch_size: int = 5000) -> list[tuple]:
    """SELECT fields FROM model WHERE <where> AND in_field IN values, in chunks; raw values."""
    table = Table(model, list(dict.fromkeys([*fields, in_field, *(where or {})])))
    cols = ", ".join(table.col(f) for f in fields)
    conditions = [f"{table.col(f)} = %s" for f in (where or {})]
    out = []
    with connection.cursor() as cursor:
        for chunk in chunked(list(dict.fromkeys(values)), batch_size):
            clause = " AND ".join([*conditions, f"{table.col(in_field)} IN ({', '.join(['%s'] * len(chunk))})"])
            cursor.execute(f"SELECT {cols} FROM {table.name} WHERE {clause}", [*(where or {}).values(), *chunk])
            out.extend(cursor.fetchall())
    return out


def upsert(model, rows, key_fields: tuple[str, ...], fields: list[str], *,
           where: dict | None = None, new: set | None = None, existing: dict | None = None,
           want_pks: bool = True, batch_size: int = 5000) -> Upserted:
    """Upsert rows on `key_fields` (the first one is looked up with IN, `where` narrows, e.g.
    {"year_id": 3}); rows are dicts or, cheaper for 100,000 of them, {field: values} columns;
    `fields` are every column written, keys included. `new` holds first-key values known not to
    exist yet (rows of a parent created a moment ago), not looked up; `existing` is the caller's
    own reading of the matching rows, when it has one."""
    columns, n = as_columns(rows, fields)
    keys = list(zip(*[columns[f] for f in key_fields]))
    compare = [f for f in fields if f not in key_fields]
    nk = len(key_fields)
    if existing is None:  # (a caller that already read the rows passes them: key → (pk, compare values))
        existing = {}
        lookup = [k[0] for k in keys if not new or k[0] not in new]
        for values in select_in(model, ["pk", *key_fields, *compare], key_fields[0], lookup, where, batch_size=batch_size):
            existing[tuple(values[1 : 1 + nk])] = (values[0], tuple(values[1 + nk :]))
    status, pks, to_insert, to_update = {}, {}, [], []
    # the database hands back dates, booleans and decimals as Python objects (Django registers
    # converters on both backends), so the file's own values compare directly
    news = list(zip(*[columns[f] for f in compare])) if existing and compare else None
    get = existing.get
    for i, k in enumerate(keys):
        found = get(k)
        if found is None:
            if k not in status:
                to_insert.append(i)
                status[k] = "created"
            continue
        pk, old = found
        pks[k] = pk
        new_values = news[i] if news is not None else ()
        if old != new_values and any(_norm(o) != _norm(v) for o, v in zip(old, new_values)):
            to_update.append(model(pk=pk, **{f: columns[f][i] for f in fields}))
            status[k] = "updated"
        else:
            status[k] = "unchanged"
    # in key order: the unique index on the key then grows at its end instead of all over
    to_insert.sort(key=lambda i: tuple("" if v is None else v for v in keys[i]))
    insert_rows(model, fields, {f: pick(columns[f], to_insert) for f in fields}, batch_size=batch_size)
    if to_update:
        model.objects.bulk_update(to_update, compare, batch_size=1000)
    if to_insert and want_pks:  # the new rows' keys, for children that point at them
        for values in select_in(model, ["pk", *key_fields], key_fields[0], [keys[i][0] for i in to_insert], where, batch_size=batch_size):
            pks[tuple(values[1:])] = values[0]
    return Upserted(status, pks)


@functools.cache
def _insert_one_sql(model, alias: str) -> tuple[str, list]:
    conn = connections[alias]
    fields = [f for f in model._meta.concrete_fields if not (f.primary_key and f.get_internal_type() in ("AutoField", "BigAutoField"))]
    names = ", ".join(conn.ops.quote_name(f.column) for f in fields)
    pk = conn.ops.quote_name(model._meta.pk.column)
    sql = f"INSERT INTO {conn.ops.quote_name(model._meta.db_table)} ({names}) VALUES ({', '.join(['%s'] * len(fields))}) RETURNING {pk}"
    return sql, fields


def insert_one(obj) -> None:
    """Save a new model instance with one INSERT … RETURNING built once per model, as the ORM
    would (defaults, auto_now, value preparation), minus its query compiler, which costs more
    than the database on the hottest path (a parent's submission). No signals are sent."""
    model = type(obj)
    alias = router.db_for_write(model)
    conn = connections[alias]
    sql, fields = _insert_one_sql(model, alias)
    params = [f.get_db_prep_save(f.pre_save(obj, True), conn) for f in fields]
    with conn.cursor() as cursor:
        cursor.execute(sql, params)
        obj.pk = cursor.fetchone()[0]
    obj._state.adding, obj._state.db = False, alias
