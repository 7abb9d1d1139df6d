"""Real Celery workers for the tests: in this process (solo pool) or as a
separate process that a test can kill. Both use the real Redis broker."""

import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(settings.BASE_DIR)


def needs_real_services():
    """The fault tests need PostgreSQL (shared with a worker process) and Redis."""
    import pytest

    if not settings.CELERY_BROKER_URL:
        return pytest.mark.skip(reason="no broker configured (set REDIS_URL): needs a real Redis")
    if not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        return pytest.mark.skip(
            reason="needs PostgreSQL (DATABASE_URL): a worker process shares the database"
        )
    # A marker that does nothing (a bare `usefixtures()` warns on every test).
    return pytest.mark.skipif(False, reason="real services are configured")


@contextmanager
def worker_in_this_process():
    from celery.contrib.testing.worker import start_worker

    from eig.celery import app

    app.control.purge()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10) as worker:
        yield worker


def _database_url():
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


@contextmanager
def worker_process(*, pool="solo", **env):
    """A `celery worker` process on the test database; killed if still running."""
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "eig.settings_test",
        "DATABASE_URL": _database_url(),
        "CONN_MAX_AGE": "0",
        **{key: str(value) for key, value in env.items()},
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "eig",
            "worker",
            f"--pool={pool}",
            "--concurrency=1",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=WARNING",
        ],
        cwd=ROOT,
        env=environment,
        start_new_session=True,
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def kill_now(process):
    """SIGKILL, as when a machine dies: no chance to tidy up."""
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def machine_slowness():
    """How many times slower than idle this machine runs now (1 when not overloaded)."""
    return max(1.0, os.getloadavg()[0] / (os.cpu_count() or 1))


def wait_until(condition, timeout=30.0, interval=0.1):
    """Wait for a condition; the timeout only ends a failing test, and it stretches
    with the machine's load so that a busy machine is not mistaken for a bug."""
    deadline = time.monotonic() + timeout * machine_slowness()
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return False
