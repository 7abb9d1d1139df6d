"""Uploaded files: checked by content, stored outside any public URL, served
only by views that checked permission first."""

import secrets
from pathlib import Path, PurePath

import magic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse
from django.utils.deconstruct import deconstructible
from django.utils.text import get_valid_filename, slugify
from django.utils.translation import gettext as _


@deconstructible
class PrivateStorage(FileSystemStorage):
    """Files under MEDIA_ROOT/private, with no URL: nothing serves them directly."""

    def __init__(self, **kwargs):
        super().__init__(location=None, base_url=None, **kwargs)

    @property
    def base_location(self):
        return Path(settings.MEDIA_ROOT) / "private"

    def url(self, name):
        raise ValueError("private files have no public URL")


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
