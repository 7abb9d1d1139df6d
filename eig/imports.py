"""Importing a whole table from another source: create or update only what differs.

Each stage imports its own tables with this (the history of the programme is
imported by cohorts, which calls challenges' services for the challenges).
"""

from dataclasses import dataclass


@dataclass
class Synced:
    rows: dict
    created: set
    updated: set


def sync_rows(model, existing, wanted, *, on_create=None):
    """Insert missing rows and update differing ones in bulk.

    `wanted` maps a natural key to field values; `on_create` holds values set
    only when the row is new (staff may change them afterwards).
    """
    synced = Synced({}, set(), set())
    new, changed, fields = [], [], set()
    for key, values in wanted.items():
        row = existing.get(key)
        if row is None:
            row = model(**values, **(on_create or {}).get(key, {}))
            new.append(row)
            synced.created.add(key)
        else:
            diff = [name for name, value in values.items() if getattr(row, name) != value]
            for name in diff:
                setattr(row, name, values[name])
            if diff:
                changed.append(row)
                fields.update(diff)
                synced.updated.add(key)
        synced.rows[key] = row
    model.objects.bulk_create(new)
    if changed:
        model.objects.bulk_update(changed, sorted(fields))
    return synced
