"""Model instances read by one hand-written SELECT, for the few reads on a hot path.

A member opens the kits of their panel again and again, a candidate comes back to
their dashboard, staff page through a ranking: on such pages the ORM spent several
times longer compiling each statement (joins, subqueries, deferred fields) than
PostgreSQL took to answer it.
There the SQL is written once, and `read` turns its rows into the same instances
`select_related` would give: each model's columns named `<alias>__<attname>` by
`columns`, converted as the ORM converts them (SQLite's dates and booleans, say).
Everything else goes through the ORM.
"""

import functools
from dataclasses import dataclass

from django.db import connections
from django.db.models import Value


@dataclass(frozen=True)
class Part:
    """A model read in the statement, under a table alias; its own fields only, or some."""

    model: type
    alias: str
    only: tuple[str, ...] = ()

    @property
    def fields(self):
        fields = self.model._meta.concrete_fields
        if self.only:
            fields = [f for f in fields if f.primary_key or f.attname in self.only]
        return fields


def columns(*parts):
    """The select list of these parts, each column under the name `read` expects."""
    return ", ".join(
        f"{part.alias}.{field.column} AS {part.alias}__{field.attname}"
        for part in parts
        for field in part.fields
    )


def read(sql, params, *parts, values=(), using="default"):
    """A tuple of instances per row, one per part, in the parts' order; None for a part
    whose primary key is NULL (a LEFT JOIN that found nothing).

    The statement selects `columns(*parts)` first; any further column is given back as
    the row's last items, converted as an annotation of that field would be when
    `values` names their fields (`DecimalField()` for an average, say).
    """
    connection = connections[using]
    plan, start = _plan(parts, connection)
    further = _further(tuple(values), connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    found = []
    for row in rows:
        extra = list(row[start:])
        for i, (expression, converters) in enumerate(further):
            for convert in converters:
                extra[i] = convert(extra[i], expression, connection)
        instances = []
        for model, names, converters, first, pk in plan:
            values = list(row[first : first + len(names)])
            if values[pk] is None:
                instances.append(None)
                continue
            for i, (col, field_converters) in enumerate(converters):
                for convert in field_converters:
                    values[i] = convert(values[i], col, connection)
            instances.append(model.from_db(using, names, values))
        found.append((*instances, *extra))
    return found


@functools.lru_cache(maxsize=64)
def _plan(parts, connection):
    """Each part's model, field names, converters, first column and primary key's place,
    worked out once per statement and connection."""
    plan, start = [], 0
    for part in parts:
        fields = part.fields
        converters = [
            (col, [*connection.ops.get_db_converters(col), *col.get_db_converters(connection)])
            for col in (field.get_col(part.alias) for field in fields)
        ]
        names = [f.attname for f in fields]
        plan.append(
            (part.model, names, converters, start, names.index(part.model._meta.pk.attname))
        )
        start += len(fields)
    return plan, start


@functools.lru_cache(maxsize=64)
def _further(fields, connection):
    expressions = [Value(None, output_field=field) for field in fields]
    return [
        (e, [*connection.ops.get_db_converters(e), *e.get_db_converters(connection)])
        for e in expressions
    ]


def joined(instance, name, value):
    """Keep `value` (an instance, or None for nothing) as `instance.<name>`, a forward
    or reverse one-to-one relation, as `select_related` does: reading it costs no query."""
    instance._meta.get_field(name).set_cached_value(instance, value)


def prefetched(instance, related_name, objects):
    """Give `instance.<related_name>.all()` these objects without a query, as
    `prefetch_related` does (it keeps them the same way)."""
    queryset = getattr(instance, related_name).all()
    queryset._result_cache, queryset._prefetch_done = list(objects), True
    if not hasattr(instance, "_prefetched_objects_cache"):
        instance._prefetched_objects_cache = {}
    instance._prefetched_objects_cache[related_name] = queryset
