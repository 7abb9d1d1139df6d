"""Fast, deterministic settings for the test suite, on top of the real ones."""

import os
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key")
os.environ.setdefault("DEBUG", "false")

from eig.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
ALLOWED_HOSTS = ["*"]
EIG_REQUIRE_2FA_FOR_PRIVILEGED = True
AXES_ENABLED = True
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or BASE_DIR / "var" / "test-media")  # noqa: F405
# Each test sees its own data, never what the previous test left in the cache.
EIG_CACHE_SECONDS = 0

# Each xdist process gets its own Redis database, so that a worker started by
# one process never takes a task queued by another.
if CELERY_BROKER_URL:  # noqa: F405
    _xdist_worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    _redis_db = 1 + int(_xdist_worker.removeprefix("gw") or 0)
    _server = CELERY_BROKER_URL.split("://", 1)[1].split("/", 1)[0]  # noqa: F405
    CELERY_BROKER_URL = f"redis://{_server}/{_redis_db}"
    CELERY_TASK_ALWAYS_EAGER = False

# Templates of the events that only the tests register.
TEMPLATES[0]["DIRS"].append(BASE_DIR / "tests" / "templates")  # noqa: F405
