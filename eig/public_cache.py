"""What the public pages show, cached until a change makes it stale, not for a minute.

A public page changes only when someone changes what it reads: staff publishing a
call, an import, a team recording its deliverables. Each stage names the models its
public pages read (`invalidated_by`); saving or deleting one of them moves a version
number kept in the cache, once the transaction commits, and every entry is keyed by
that version. With the cache shared by the nodes (Redis, `CACHE_URL`), a change made
through one node is seen by every node at its next request.

Some changes happen by the clock, not by a save: results published at their date, a
promotion that starts. An entry may say until when it holds (`valid_until`, computed
with it); after that moment it is computed again.
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

VERSION_KEY = "eig:public:version"
# Entries of an old version are never read again; they expire to free the memory.
ENTRY_SECONDS = 24 * 3600


def version():
    current = cache.get(VERSION_KEY)
    if current is None:
        # A version the cache never held before (if the key was evicted, restarting at 1
        # could find entries of an old version 1): the clock in nanoseconds.
        cache.add(VERSION_KEY, time.time_ns(), None)
        current = cache.get(VERSION_KEY)
    return current


def _bump():
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # the key was evicted: any new version is a fresh one
        cache.add(VERSION_KEY, time.time_ns(), None)


def stale(**kwargs):
    """Signal receiver: the public pages are stale once this transaction commits (before
    it, another request would cache the old rows under the new version)."""
    transaction.on_commit(_bump)


def invalidated_by(*models):
    for model in models:
        uid = f"public-cache-{model._meta.label_lower}"
        post_save.connect(stale, sender=model, dispatch_uid=uid, weak=False)
        post_delete.connect(stale, sender=model, dispatch_uid=uid, weak=False)
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                stale,
                sender=field.remote_field.through,
                dispatch_uid=f"{uid}-{field.name}",
                weak=False,
            )


def cached(name, compute, *, valid_until=None):
    """`compute()`, from the cache while nothing it reads has changed.

    `valid_until()`, called with the computation, gives the next moment the clock alone
    changes what `compute` returns (or None): the entry is not served from then on.
    With EIG_CACHE_SECONDS=0 (the tests, the benchmark's cache-off run) it is computed
    every time.
    """
    if not settings.EIG_CACHE_SECONDS:
        return compute()
    key = f"eig:public:{version()}:{name}"
    entry = cache.get(key)
    if entry is not None:
        value, until = entry
        if until is None or timezone.now() < until:
            return value
    until = valid_until() if valid_until else None
    value = compute()
    cache.set(key, (value, until), ENTRY_SECONDS)
    return value
