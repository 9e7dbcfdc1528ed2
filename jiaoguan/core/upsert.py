"""Idempotent bulk upsert on a natural key: new rows are created, changed rows updated,
identical rows left alone, so re-importing the same file changes nothing."""
from __future__ import annotations

from decimal import Decimal
from typing import Callable, Hashable, Iterable


def _norm(value):
    if isinstance(value, Decimal):
        return round(float(value), 4)
    if isinstance(value, float):
        return round(value, 4)
    return value


def upsert(model, rows: Iterable[dict], key: Callable[[dict], Hashable], existing: Iterable, fields: list[str],
           *, batch_size: int = 2000) -> "Upserted":
    """`existing` are model instances that may match rows by `key` (applied to a dict of
    their field values)."""
    by_key = {}
    for obj in existing:
        by_key[key({f: getattr(obj, f) for f in fields} | {"pk": obj.pk})] = obj
    to_create, to_update = [], []
    status = {}
    for row in rows:
        k = key(row)
        obj = by_key.get(k)
        if obj is None:
            obj = model(**{f: row[f] for f in fields if f in row})
            to_create.append(obj)
            by_key[k] = obj
            status[k] = "created"
            continue
        changed = [f for f in fields if f in row and _norm(getattr(obj, f)) != _norm(row[f])]
        if changed:
            for f in changed:
                setattr(obj, f, row[f])
            to_update.append(obj)
            status[k] = "updated"
        else:
            status[k] = "unchanged"
    if to_create:
        model.objects.bulk_create(to_create, batch_size=batch_size)
    if to_update:
        model.objects.bulk_update(to_update, [f for f in fields if f != "pk"], batch_size=batch_size)
    return Upserted(status, {k: o.pk for k, o in by_key.items()})


class Upserted:
    def __init__(self, status: dict, pks: dict):
        self.status = status  # key → "created" | "updated" | "unchanged"
        self.pks = pks

    def counts(self) -> tuple[int, int, int]:
        values = list(self.status.values())
        return values.count("created"), values.count("updated"), values.count("unchanged")


def combine(*statuses: str) -> str:
    """A row that wrote two objects: created if the main one was new, else updated if either changed."""
    if statuses[0] == "created":
        return "created"
    return "updated" if "updated" in statuses or "created" in statuses else "unchanged"


def chunked(seq: list, size: int = 5000):
    for i in range(0, len(seq), size):
        yield seq[i : i + size]
