"""What the load balancer and the staff's status page ask of a running node.

Liveness says the process answers; readiness says it can do its work (database,
broker, file storage reachable). Both are cheap, unauthenticated and say nothing
but "ok" or "unavailable" per dependency: an error's text could name a host or a
password, so it goes to the log, never to the answer.
"""

import logging
import time

from django.conf import settings
from django.db import connection
from django.http import JsonResponse

from eig.files import private_storage

logger = logging.getLogger("eig.health")

# A load balancer probes every few seconds: a dependency that hangs must not hold the probe.
BROKER_TIMEOUT_SECONDS = 0.5


def database_answers():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


def broker_answers():
    """True without a broker (tasks run in-process): nothing to wait for."""
    if not settings.CELERY_BROKER_URL:
        return True
    import redis

    client = redis.Redis.from_url(
        settings.CELERY_BROKER_URL,
        socket_connect_timeout=BROKER_TIMEOUT_SECONDS,
        socket_timeout=BROKER_TIMEOUT_SECONDS,
    )
    try:
        return bool(client.ping())
    finally:
        client.close()


def storage_answers():
    # Listing the root reaches the disk or the bucket without writing anything.
    try:
        private_storage().listdir("")
    except FileNotFoundError:  # a local disk before its first upload: reachable, empty
        pass
    return True


CHECKS = {"database": database_answers, "broker": broker_answers, "storage": storage_answers}


def run_checks():
    """Each dependency's state ("ok" or "unavailable") and how long it took to say so."""
    results = {}
    for name, check in CHECKS.items():
        started = time.monotonic()
        try:
            state = "ok" if check() else "unavailable"
        except Exception:
            logger.warning("readiness: %s unavailable", name, exc_info=True)
            state = "unavailable"
        results[name] = {"state": state, "ms": round((time.monotonic() - started) * 1000, 1)}
    return results


def liveness():
    return JsonResponse({"status": "ok"})


def readiness():
    checks = {name: result["state"] for name, result in run_checks().items()}
    ready = all(state == "ok" for state in checks.values())
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": checks},
        status=200 if ready else 503,
    )


PROBES = {"/healthz": liveness, "/readyz": readiness}


class HealthCheckMiddleware:
    """Answers the probes before any other middleware.

    A probe comes from the load balancer with the node's own address as its host, over
    plain HTTP, without cookies: host validation, the HTTPS redirect, sessions and the
    lockout would all turn it away or do work for nothing.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        probe = PROBES.get(request.path_info.rstrip("/"))
        if probe is None or request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        response = probe()
        response["Cache-Control"] = "no-store"
        return response
