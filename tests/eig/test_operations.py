"""Running it for real: the load balancer's probes, one log line per request, errors
reported without personal data, the staff's status page, backups that restore."""

import gzip
import json
import logging
import os
import subprocess
import sys
import threading
import uuid
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from eig import error_reporting
from eig.models import Heartbeat, OutboxMessage
from eig.request_log import JsonFormatter
from tests import side_databases
from tests.conftest import postgresql_only

pytestmark = pytest.mark.django_db
BASE_DIR = Path(settings.BASE_DIR)


# --- Probes ------------------------------------------------------------------------


def test_liveness_answers_any_host_over_plain_http_without_touching_the_database(
    client, django_assert_num_queries, settings
):
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["eig.example.gouv.fr"]
    with django_assert_num_queries(0):
        response = client.get("/healthz", HTTP_HOST="10.1.2.3:8000")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"


def test_readiness_says_each_dependency_is_ok(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "broker": "ok", "storage": "ok"},
    }


def test_readiness_refuses_traffic_when_the_broker_is_unreachable_and_names_no_host(
    client, settings
):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["broker"] == "unavailable"
    assert "127.0.0.1" not in response.content.decode()


def test_a_probe_is_only_answered_to_get(client):
    assert client.post("/healthz").status_code != 200


# --- One line per request ---------------------------------------------------------------


def test_each_request_is_logged_once_with_its_id_the_user_id_and_never_the_email(client_as, caplog):
    client = client_as("candidate")
    with caplog.at_level(logging.INFO, logger="eig.requests"):
        response = client.get(reverse("dashboard") + "?token=secret-value")
    (record,) = [r for r in caplog.records if r.name == "eig.requests"]
    user = response.wsgi_request.user
    assert record.user_id == user.pk
    assert record.status == response.status_code
    assert record.request_id == response["X-Request-ID"]
    line = JsonFormatter().format(record)
    assert user.email not in line and "secret-value" not in line
    assert json.loads(line)["path"] == reverse("dashboard")


def test_a_sane_request_id_from_the_proxy_is_kept_and_an_odd_one_replaced(client):
    kept = client.get("/", HTTP_X_REQUEST_ID="abc123def456")
    assert kept["X-Request-ID"] == "abc123def456"
    odd = client.get("/", HTTP_X_REQUEST_ID="<script>\nevil")
    assert odd["X-Request-ID"] != "<script>\nevil" and len(odd["X-Request-ID"]) == 32


# --- Errors reported without personal data ------------------------------------------------


def test_an_error_event_leaves_without_body_cookies_email_or_local_variables():
    event = {
        "message": "Échec pour lea.martin@example.org",
        "user": {"id": 42, "email": "lea.martin@example.org", "ip_address": "1.2.3.4"},
        "request": {
            "url": "https://eig.example.gouv.fr/candidature/",
            "data": {"motivation": "Ma lettre", "cv": "%PDF"},
            "cookies": {"sessionid": "s3cret"},
            "query_string": "token=abc",
            "headers": {
                "User-Agent": "Firefox",
                "Cookie": "sessionid=s3cret",
                "Authorization": "Basic x",
            },
        },
        "exception": {
            "values": [
                {
                    "stacktrace": {
                        "frames": [{"function": "save", "vars": {"motivation": "Ma lettre"}}]
                    }
                }
            ]
        },
        "breadcrumbs": {"values": [{"message": "mail to lea.martin@example.org"}]},
    }
    sent = json.dumps(error_reporting.scrub(event))
    for secret in (
        "lea.martin@example.org",
        "Ma lettre",
        "s3cret",
        "token=abc",
        "%PDF",
        "1.2.3.4",
        "Basic x",
    ):
        assert secret not in sent
    assert '"id": 42' in sent and "Firefox" in sent


class _Collector(BaseHTTPRequestHandler):
    received = []

    def do_POST(self):  # noqa: N802 — the HTTP server's naming
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        _Collector.received.append(body)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


def test_with_a_dsn_set_errors_reach_the_service_scrubbed():
    server = HTTPServer(("127.0.0.1", 0), _Collector)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    _Collector.received.clear()
    script = (
        "import django; django.setup()\n"
        "import sentry_sdk\n"
        "sentry_sdk.set_user({'id': 7, 'email': 'lea.martin@example.org'})\n"
        "try:\n"
        "    raise ValueError('CV de lea.martin@example.org illisible')\n"
        "except ValueError as error:\n"
        "    sentry_sdk.capture_exception(error)\n"
        "sentry_sdk.flush(timeout=10)\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "eig.settings_test",
        "SENTRY_DSN": f"http://public@127.0.0.1:{server.server_port}/1",
    }
    try:
        subprocess.run(
            [sys.executable, "-c", script], cwd=BASE_DIR, env=env, check=True, timeout=120
        )
    finally:
        server.shutdown()
    payload = b"".join(_Collector.received).decode()
    assert "illisible" in payload  # the error did arrive
    assert "lea.martin@example.org" not in payload


# --- The staff's status page ---------------------------------------------------------------


def _outbox_row(status, due, key):
    return OutboxMessage.objects.create(
        event="test",
        idempotency_key=key,
        to_email="x@example.org",
        subject="s",
        body_text="b",
        status=status,
        next_attempt_at=due,
    )


def test_staff_read_the_outbox_backlog_and_are_warned_when_emails_do_not_leave(client_as):
    now = timezone.now()
    _outbox_row(OutboxMessage.Status.PENDING, now - timedelta(minutes=45), "a")
    _outbox_row(OutboxMessage.Status.PENDING, now, "b")
    _outbox_row(OutboxMessage.Status.FAILED, now, "c")
    _outbox_row(OutboxMessage.Status.SENT, now, "d")
    _outbox_row(OutboxMessage.Status.UNCERTAIN, now, "e")
    Heartbeat.record("beat")
    client = client_as("staff")
    response = client.get(reverse("admin:platform_status"))
    assert response.status_code == 200
    status = response.context["status"]
    pending = OutboxMessage.objects.filter(status="pending").count()
    failed = OutboxMessage.objects.filter(status="failed").count()
    uncertain = OutboxMessage.objects.filter(status="uncertain").count()
    assert (status.pending, status.failed, status.uncertain) == (pending, failed, uncertain)
    assert (pending, failed, uncertain) == (2, 1, 1)
    assert any("ne partent pas" in str(w) for w in status.warnings)
    assert any("à vérifier" in str(w) for w in status.warnings)
    assert "Aucune sauvegarde" in response.content.decode()


def test_the_status_page_is_linked_from_every_admin_page_and_closed_to_others(client_as):
    staff = client_as("staff")
    assert reverse("admin:platform_status") in staff.get(reverse("admin:index")).content.decode()
    staff.logout()
    other = client_as("candidate")
    response = other.get(reverse("admin:platform_status"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_beat_sweep_records_its_pulse(eager_celery):
    from eig.tasks import sweep_outbox

    sweep_outbox.delay()
    assert Heartbeat.objects.get(name="beat").at > timezone.now() - timedelta(minutes=1)


# --- Backups ----------------------------------------------------------------------------


def _manage(*args, database, media):
    """A manage.py command in its own process, on that database and uploads folder."""
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        check=True,
        timeout=300,
        env={
            **os.environ,
            "DATABASE_URL": side_databases.url_of(database),
            "MEDIA_ROOT": str(media),
        },
    )


def _back_up(tmp_path, media):
    _manage(
        "backup_platform",
        "--to",
        str(tmp_path / "archives"),
        database=connection.settings_dict["NAME"],
        media=media,
    )
    (archive,) = (tmp_path / "archives").glob("eig-*.tar")
    return archive


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_a_fresh_database_and_storage_with_every_row_and_file(
    tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    from tests.applications.test_applying import complete, eligible_start
    from tests.factories import call_for_applications

    application = complete(eligible_start(call_for_applications()))
    _outbox_row(OutboxMessage.Status.SENT, timezone.now(), "backup-row")
    cv_bytes = application.cv.read()
    archive = _back_up(tmp_path, settings.MEDIA_ROOT)

    with side_databases.fresh_database(f"eig_restore_{uuid.uuid4().hex[:8]}") as fresh:
        _manage("restore_platform", str(archive), database=fresh, media=tmp_path / "restored-media")
        counts = side_databases.row_counts(
            fresh, ["applications_application", "eig_outboxmessage", "eig_user"]
        )
        assert counts == {
            "applications_application": 1,
            "eig_outboxmessage": OutboxMessage.objects.count(),
            "eig_user": type(application.candidate).objects.count(),
        }
        restored_cv = tmp_path / "restored-media" / "private" / application.cv.name
        assert restored_cv.read_bytes() == cv_bytes


def test_archives_older_than_the_kept_days_are_deleted(tmp_path):
    from eig import backups

    old, recent = tmp_path / "eig-20200101T000000Z.tar", tmp_path / "eig-20261201T000000Z.tar"
    for archive in (old, recent):
        archive.write_bytes(b"x")
    now = timezone.now()
    forty_days_ago = (now - timedelta(days=40)).timestamp()
    os.utime(old, (forty_days_ago, forty_days_ago))
    assert backups.prune(tmp_path, keep_days=30, now=now) == [old.name]
    assert recent.exists() and not old.exists()


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_restored_backup_does_not_bring_back_an_application_erased_since(tmp_path, settings):
    from applications.candidate import services as services_candidate
    from tests.applications.test_applying import complete, eligible_start
    from tests.factories import call_for_applications

    settings.MEDIA_ROOT = tmp_path / "media"
    application = complete(eligible_start(call_for_applications()))
    archive = _back_up(tmp_path, settings.MEDIA_ROOT)
    services_candidate.request_erasure(user=application.candidate)

    # The database is lost; the storage (a bucket, a volume) is not: restore the archive.
    with side_databases.fresh_database(f"eig_restore_{uuid.uuid4().hex[:8]}") as fresh:
        _manage("restore_platform", str(archive), database=fresh, media=settings.MEDIA_ROOT)
        erased = side_databases.fetch_one(
            fresh,
            "SELECT motivation, cv, anonymised_at IS NOT NULL FROM applications_application"
            " WHERE id = %s",
            [application.pk],
        )
        assert erased == ("", "", True)
        assert not (settings.MEDIA_ROOT / "private" / application.cv.name).exists()
