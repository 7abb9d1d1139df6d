"""One log line per request, that an operator can read and grep.

Each line carries a request id (the proxy's `X-Request-ID` when it sends a sane one,
else a new one, returned in the response so a user's report can be traced), the
user's id (never their email), the method, the path without its query string (which
may hold a token), the status and the duration.
"""

import json
import logging
import re
import time
import uuid

from django.utils.functional import empty

logger = logging.getLogger("eig.requests")

_SANE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def request_id_of(request):
    given = request.META.get("HTTP_X_REQUEST_ID", "")
    return given if _SANE_REQUEST_ID.match(given) else uuid.uuid4().hex


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.monotonic()
        request.request_id = request_id_of(request)
        response = self.get_response(request)
        response["X-Request-ID"] = request.request_id
        duration_ms = round((time.monotonic() - started) * 1000, 1)
        logger.info(
            "%s %s %s %sms",
            request.method,
            request.path,
            response.status_code,
            duration_ms,
            extra={
                "request_id": request.request_id,
                "user_id": _user_id(request),
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": duration_ms,
            },
        )
        return response


def _user_id(request):
    """The user's id if the request already knew who it was. Never loaded here: that
    would read the session, and a log line must not need the database (it may be down)."""
    user = getattr(request, "user", None)
    wrapped = getattr(user, "_wrapped", user)
    if wrapped is None or wrapped is empty:
        return None
    return wrapped.pk if wrapped.is_authenticated else None


_RECORD_FIELDS = ("request_id", "user_id", "method", "path", "status", "duration_ms")


class JsonFormatter(logging.Formatter):
    """One JSON object per line, for a log collector (LOG_FORMAT=json)."""

    def format(self, record):
        line = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        line.update({f: getattr(record, f) for f in _RECORD_FIELDS if hasattr(record, f)})
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """The same facts on one readable line, request id first when there is one."""

    def format(self, record):
        text = super().format(record)
        if hasattr(record, "request_id"):
            return f"[{record.request_id}] user={record.user_id} {text}"
        return text
