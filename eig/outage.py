"""When PostgreSQL is unreachable (restart, crash), answer 503 and keep what was typed.

Any request whose handling met a lost or refused database connection gets, in
place of the bare 500, a page that needs nothing from the database: it says the
site is restarting, in the visitor's language, and shows the fields the visitor
posted so they can be copied (or sent again once the database is back). Django
closes the broken connection at the end of the request, so the next request
connects afresh: the site recovers by itself.
"""

import logging
import sys

from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.dispatch import receiver
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
# Fields never shown back: secrets, and the CSRF token (sent again separately).
_WITHHELD = ("password", "csrfmiddlewaretoken", "token", "otp", "code")


@receiver(got_request_exception, dispatch_uid="eig-database-outage")
def _note_database_outage(sender, request=None, **kwargs):
    if request is not None and isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        request.database_unavailable = True


class DatabaseOutageMiddleware:
    """First in MIDDLEWARE: it sees the response of every layer that failed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "database_unavailable", False) and response.status_code >= 500:
            logger.warning("database unavailable: 503 for %s %s", request.method, request.path)
            return database_unavailable(request)
        return response


def database_unavailable(request):
    kept, withheld = posted_fields(request)
    language = getattr(request, "LANGUAGE_CODE", None) or translation.get_language()
    with translation.override(language):
        html = render_to_string(
            "503_database.html",
            {
                "fields": kept,
                "withheld": withheld,
                "resend": request.method == "POST" and kept and not withheld,
                "action": request.get_full_path(),
                "csrf_token": request.POST.get("csrfmiddlewaretoken", "") if kept else "",
                "language": language,
                "retry_after": RETRY_AFTER_SECONDS,
            },
        )
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def posted_fields(request):
    """(fields to show back as (name, value) pairs, whether anything was left out)."""
    if request.method != "POST":
        return [], False
    try:
        data = request.POST
        files = request.FILES
    except Exception:  # noqa: BLE001 — an unreadable body: nothing to give back
        return [], False
    kept, withheld = [], bool(files)
    for name, values in data.lists():
        if any(part in name.lower() for part in _WITHHELD):
            withheld = withheld or (name != "csrfmiddlewaretoken" and any(values))
            continue
        kept.extend((name, value) for value in values if value.strip())
    return kept, withheld
