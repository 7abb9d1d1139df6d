"""Errors reported to a Sentry-compatible service, when a DSN is set (off by default).

The platform holds CVs, motivations and emails: an error event must carry none of
them. The SDK is told not to send personal data, and every event is scrubbed once
more before it leaves, whatever an integration added: request bodies, cookies,
headers but a harmless few, query strings, the user but their id, and anything that
looks like an email address in the message, the breadcrumbs or local variables.
"""

import re

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
KEPT_HEADERS = {"User-Agent", "Content-Type", "Content-Length", "X-Request-Id", "Host"}
REDACTED = "[retiré]"


def _without_emails(value):
    if isinstance(value, str):
        return EMAIL.sub(REDACTED, value)
    if isinstance(value, dict):
        return {key: _without_emails(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_without_emails(item) for item in value]
    return value


def _scrub_request(request):
    for key in ("data", "cookies", "query_string", "env"):
        request.pop(key, None)
    headers = request.get("headers") or {}
    request["headers"] = {k: v for k, v in headers.items() if k.title() in KEPT_HEADERS}


def scrub(event, hint=None):
    """The event as it may leave the platform (Sentry's `before_send`)."""
    if "request" in event:
        _scrub_request(event["request"])
    user = event.get("user") or {}
    event["user"] = {"id": user["id"]} if "id" in user else {}
    for exception in (event.get("exception") or {}).get("values", []):
        for frame in (exception.get("stacktrace") or {}).get("frames", []):
            # Local variables hold forms, files and people: none of them is needed to read a trace.
            frame.pop("vars", None)
    return _without_emails(event)


def start(*, dsn, environment, release=""):
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release or None,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        data_collection={
            "user_info": False,
            "http_bodies": [],
            "stack_frame_variables": False,
            "database_query_data": False,
        },
        max_request_body_size="never",
        before_send=scrub,
        traces_sample_rate=0.0,
    )
