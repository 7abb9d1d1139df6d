"""Uploaded files: checked by content, stored outside any public URL, served
only by views that checked permission first."""

import secrets
from pathlib import Path, PurePath

import magic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.http import FileResponse
from django.utils.deconstruct import deconstructible
from django.utils.text import get_valid_filename, slugify
from django.utils.translation import gettext as _


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
    "open", "save", "delete", "exists", "listdir", "size", "url", "path",
    "get_accessed_time", "get_created_time", "get_modified_time",
    "get_valid_name", "get_available_name", "get_alternative_name", "generate_filename",
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
