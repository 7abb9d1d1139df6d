"""PostgreSQL restarts (fast or crash): requests fail cleanly with a 503 that keeps
what was typed, and the site recovers by itself.

Real processes: a PostgreSQL cluster of this test's own (initdb on a free port,
so the shared server that CI uses is never touched) and gunicorn serving the
platform on it.
"""

import http.cookiejar
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

from tests.fake_smtp import free_port
from tests.workers import ROOT, wait_until

PG_BIN = Path("/usr/lib/postgresql/15/bin")

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not (PG_BIN / "initdb").exists() or os.geteuid() != 0 or not shutil.which("runuser"),
        reason="needs PostgreSQL 15's binaries and root (to run them as the postgres user)",
    ),
    pytest.mark.skipif(
        not connection.vendor == "postgresql", reason="the platform's copy comes from PostgreSQL"
    ),
]


class ThrowAwayCluster:
    """A PostgreSQL cluster in a temporary directory, stopped and started at will."""

    def __init__(self):
        self.port = free_port()
        self.directory = Path(tempfile.mkdtemp(prefix="eig-pg-"))
        shutil.chown(self.directory, "postgres", "postgres")
        self.data = self.directory / "data"
        self.as_postgres(PG_BIN / "initdb", "-D", self.data, "-A", "trust", "-U", "postgres")

    def as_postgres(self, *command):
        subprocess.run(
            ["runuser", "-u", "postgres", "--", *map(str, command)],
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def start(self):
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off"
        log = self.directory / "log"
        self.as_postgres(
            PG_BIN / "pg_ctl", "-D", self.data, "-o", options, "-l", log, "-w", "start"
        )

    def stop(self, mode):
        self.as_postgres(PG_BIN / "pg_ctl", "-D", self.data, "-m", mode, "-w", "stop")

    def copy_of(self, name):
        """A database `eig` here holding what the test database holds (schema and rows)."""
        self.as_postgres(PG_BIN / "createdb", "-h", "127.0.0.1", "-p", self.port, "eig")
        source = connection.settings_dict
        dump = subprocess.run(
            [PG_BIN / "pg_dump", "-h", source["HOST"], "-p", str(source["PORT"] or 5432)]
            + ["-U", source["USER"], "--no-owner", name],
            check=True,
            capture_output=True,
        ).stdout
        subprocess.run(
            [PG_BIN / "psql", "-q", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres"]
            + ["-v", "ON_ERROR_STOP=1", "eig"],
            input=dump,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        return f"postgres://postgres@127.0.0.1:{self.port}/eig"

    def remove(self):
        try:
            self.stop("immediate")
        except subprocess.CalledProcessError:
            pass  # already stopped
        shutil.rmtree(self.directory, ignore_errors=True)


class Browser:
    """Just enough of a browser: cookies, the CSRF token, no redirects followed."""

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    def __init__(self, base):
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), self._NoRedirect
        )

    def request(self, path, data=None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        headers = {"Referer": self.base + path}
        try:
            with self.opener.open(
                urllib.request.Request(self.base + path, body, headers), timeout=60
            ) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()
        except OSError:
            return None, ""  # not listening yet

    def csrf(self):
        return next(c.value for c in self.cookies if c.name == "csrftoken")

    def sign_up(self, email, language=None):
        self.request("/accounts/signup/")
        return self.request(
            "/accounts/signup/",
            {
                "csrfmiddlewaretoken": self.csrf(),
                "first_name": "Camille",
                "last_name": "Leroy",
                "email": email,
                "password1": "un-mot-de-passe-long",
                "password2": "un-mot-de-passe-long",
            },
        )


@pytest.fixture
def platform_on_its_own_cluster():
    cluster = ThrowAwayCluster()
    server = None
    try:
        cluster.start()
        database_url = cluster.copy_of(connection.settings_dict["NAME"])
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "eig.wsgi:application"]
            + ["--bind", f"127.0.0.1:{port}"]
            + ["--workers", "1", "--timeout", "120"],
            cwd=ROOT,
            env={
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "eig.settings_test",
                "DATABASE_URL": database_url,
                "CONN_MAX_AGE": "60",  # a kept connection is the one a restart breaks
                "REDIS_URL": "",
            },
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        browser = Browser(f"http://127.0.0.1:{port}")
        assert wait_until(lambda: browser.request("/accounts/signup/")[0] == 200, timeout=60)
        yield cluster, browser
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        cluster.remove()


@pytest.mark.parametrize("mode", ["fast", "immediate"], ids=["fast-restart", "crash-restart"])
def test_during_a_postgresql_restart_a_form_gets_a_503_that_keeps_it_then_the_site_recovers(
    platform_on_its_own_cluster, mode
):
    cluster, browser = platform_on_its_own_cluster
    assert browser.sign_up("avant@exemple.gouv.fr")[0] == 302  # a kept connection now

    cluster.stop(mode)
    status, page = browser.sign_up("pendant@exemple.gouv.fr")
    assert status == 503
    assert "La plateforme redémarre" in page
    assert re.search(r"<textarea[^>]*readonly>pendant@exemple.gouv.fr</textarea>", page)
    assert "un-mot-de-passe-long" not in page  # secrets are never shown back
    assert "Server Error" not in page

    cluster.start()
    # Nobody restarts the platform: the next requests find the database again.
    # (one try a second: allauth allows 20 sign-ups a minute from one address)
    assert wait_until(
        lambda: browser.sign_up("apres@exemple.gouv.fr")[0] == 302, timeout=60, interval=1
    )
    assert browser.request("/accounts/signup/")[0] == 200
