"""The journal of erasures, kept beside the uploads rather than in the database.

A backup restored after someone's erasure would bring their data back: the
database goes back in time, and with it the erasure's own trace. The journal lives
in the uploads' storage (the bucket or the disk, which a restore does not rewind:
`eig.backups.restore` never overwrites a journal entry), one small file per erased
row, holding a table's name and an id, nothing personal. After a restore, each stage
replays the entries of its tables (`EIG_AFTER_RESTORE_COMMANDS`).
"""

import json
import uuid

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from eig.files import private_storage

FOLDER = "journal/erasures"


def record(label, pk, now=None):
    """Once the transaction commits: a rolled-back erasure erased nothing."""
    at = (now or timezone.now()).isoformat()
    entry = json.dumps({"row": label, "id": pk, "at": at}).encode()
    name = f"{FOLDER}/{at[:10]}-{uuid.uuid4().hex}.json"
    transaction.on_commit(lambda: private_storage().save(name, ContentFile(entry)))


def entries(label):
    """The ids of the erased rows of one table (`app_label.model`), in no order."""
    storage = private_storage()
    try:
        names = storage.listdir(FOLDER)[1]
    except FileNotFoundError:
        return set()
    ids = set()
    for name in names:
        with storage.open(f"{FOLDER}/{name}", "rb") as handle:
            entry = json.loads(handle.read())
        if entry["row"] == label:
            ids.add(entry["id"])
    return ids


def is_journal(name):
    return name.startswith(f"{FOLDER}/")
