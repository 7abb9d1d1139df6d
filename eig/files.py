"""Uploaded files: checked by content, stored outside any public URL, served
only by views that checked permission first."""

import logging
import secrets
from datetime import timedelta
from pathlib import Path, PurePath

import magic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.db import models, transaction
from django.db.models.signals import post_delete, pre_save
from django.http import FileResponse
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.text import get_valid_filename, slugify
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


class LocalPrivateStorage(FileSystemStorage):
    """Files under MEDIA_ROOT/private, with no URL: nothing serves them directly."""

    def __init__(self, **kwargs):
        super().__init__(location=None, base_url=None, **kwargs)

    @property
    def base_location(self):
        return Path(settings.MEDIA_ROOT) / "private"

    def url(self, name):
        raise ValueError("private files have no public URL")


@deconstructible
class PrivateStorage(Storage):
    """The storage of every upload (CVs, pitch decks): `STORAGES["private"]`, the local
    disk by default or a private bucket of an S3-compatible service (settings).

    Model fields name this class; the backend is looked up at each use, so that the
    settings (and the tests' overrides) choose it, not the moment of import. Files are
    read back only through the views that checked permission first.
    """

    @property
    def backend(self):
        return storages["private"]


# Everything a model field or a sweep asks of a storage is the backend's answer.
for _method in (
    "open",
    "save",
    "delete",
    "exists",
    "listdir",
    "size",
    "url",
    "path",
    "get_accessed_time",
    "get_created_time",
    "get_modified_time",
    "get_valid_name",
    "get_available_name",
    "get_alternative_name",
    "generate_filename",
):
    setattr(
        PrivateStorage,
        _method,
        lambda self, *args, _method=_method, **kwargs: getattr(self.backend, _method)(
            *args, **kwargs
        ),
    )


def private_storage():
    return storages["private"]


@deconstructible
class upload_to:  # noqa: N801 — used like a function in model fields
    """A random name under `prefix`: the uploader's filename is never trusted."""

    def __init__(self, prefix):
        self.prefix = prefix

    def __call__(self, instance, filename):
        return f"{self.prefix}/{secrets.token_hex(16)}.pdf"

    def __eq__(self, other):
        return isinstance(other, upload_to) and other.prefix == self.prefix


def validate_pdf(upload, *, max_megabytes):
    """A PDF by its content (not its name or declared type), and not too large."""
    if upload.size > max_megabytes * 1024 * 1024:
        raise ValidationError(
            _("Le fichier dépasse %(max)s Mo.") % {"max": max_megabytes}, code="file_too_large"
        )
    upload.seek(0)
    kind = magic.from_buffer(upload.read(2048), mime=True)
    upload.seek(0)
    if kind != "application/pdf":
        raise ValidationError(_("Le fichier doit être un PDF."), code="not_a_pdf")


def clean_filename(name, fallback="document"):
    """A filename safe to put in a Content-Disposition header."""
    stem = slugify(PurePath(name or "").stem)[:80] or fallback
    return get_valid_filename(f"{stem}.pdf")


def attachment_response(field_file, filename):
    """Serve a private file as a download, never rendered by the browser."""
    response = FileResponse(
        field_file.open("rb"), as_attachment=True, filename=clean_filename(filename)
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


# --- A file lives exactly as long as the row that points to it ---------------------
#
# Whatever deletes or replaces the row (admin, cascade, erasure, retention, a new
# upload), the old file goes once the transaction commits: a rollback keeps the row
# and so must keep its file. Files written by a transaction that rolls back, or by
# a killed process, point to no row: the orphan sweep removes them after a grace.

# Longer than any request or import that writes a file before its row commits.
ORPHAN_GRACE = timedelta(hours=1)


def file_fields(model):
    return [field for field in model._meta.concrete_fields if isinstance(field, models.FileField)]


def delete_on_commit(model, field, name):
    """Delete the file once the transaction commits, unless a row still points to it
    (a copy made in the admin). A failure is logged, not raised after the commit:
    the orphan sweep retries it."""

    def delete():
        if not model._base_manager.filter(**{field.attname: name}).exists():
            field.storage.delete(name)

    if name:
        transaction.on_commit(delete, robust=True)


def _delete_replaced_files(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or instance._state.adding or instance.pk is None:
        return
    fields = [
        field
        for field in file_fields(sender)
        if update_fields is None or field.name in update_fields
    ]
    if not fields:
        return
    before = sender._base_manager.filter(pk=instance.pk).values(*(f.attname for f in fields))
    before = before.first() or {}
    for field in fields:
        old, new = before.get(field.attname), getattr(instance, field.attname)
        if old and old != (new.name if new else ""):
            delete_on_commit(sender, field, old)


def _delete_files_of_deleted_row(sender, instance, **kwargs):
    for field in file_fields(sender):
        file = getattr(instance, field.attname)
        if file:
            delete_on_commit(sender, field, file.name)


def follow_rows(all_models):
    """Tie the files of every model with a file field to the life of its rows.

    History copies (django-simple-history) point to the live row's file: they
    neither keep it alive nor delete it.
    """
    for model in all_models:
        if hasattr(model, "instance_type") or not file_fields(model):
            continue
        uid = f"files-of-{model._meta.label_lower}"
        pre_save.connect(_delete_replaced_files, sender=model, dispatch_uid=uid, weak=False)
        post_delete.connect(
            _delete_files_of_deleted_row, sender=model, dispatch_uid=uid, weak=False
        )


def _folders(all_models):
    """Each (storage, folder) that uploads go to, with the fields that point into it."""
    folders = {}
    for model in all_models:
        if hasattr(model, "instance_type"):
            continue
        for field in file_fields(model):
            prefix = getattr(field.upload_to, "prefix", None)
            if prefix:
                key = (field.storage.__class__, getattr(field.storage, "location", ""), prefix)
                folders.setdefault(key, (field.storage, prefix, []))[2].append((model, field))
    return folders.values()


def _referenced(fields):
    names = set()
    for model, field in fields:
        names.update(
            model._base_manager.exclude(**{field.attname: ""}).values_list(field.attname, flat=True)
        )
    return names


def sweep_orphan_files(*, all_models, grace, now=None):
    """Delete the uploaded files that no row points to and that are older than `grace`.

    Only the storage's own API is used (listdir, get_modified_time, delete): it
    works on the local disk and on object storage alike. The folder is listed
    before the rows are read, and the grace outlasts any transaction, so a file
    being saved with its row is never taken for an orphan. Returns the names deleted.
    """
    cutoff = (now or timezone.now()) - grace
    deleted = []
    for storage, prefix, fields in _folders(all_models):
        try:
            names = [f"{prefix}/{name}" for name in storage.listdir(prefix)[1]]
        except FileNotFoundError:
            continue
        referenced = _referenced(fields)
        for name in names:
            if name not in referenced and storage.get_modified_time(name) < cutoff:
                storage.delete(name)
                deleted.append(name)
    if deleted:
        logger.warning("deleted %s uploaded files that no row points to", len(deleted))
    return deleted
