"""Fast, deterministic settings for the test suite, on top of the real ones."""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key")
os.environ.setdefault("DEBUG", "false")

from eig.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLOWED_HOSTS = ["*"]
EIG_REQUIRE_2FA_FOR_PRIVILEGED = True
AXES_ENABLED = True
MEDIA_ROOT = BASE_DIR / "var" / "test-media"  # noqa: F405

# Each xdist process gets its own Redis database, so that a worker started by
# one process never takes a task queued by another.
if CELERY_BROKER_URL:  # noqa: F405
    _worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    _db = 1 + int(_worker.removeprefix("gw") or 0)
    CELERY_BROKER_URL = f"{CELERY_BROKER_URL.rstrip('/').rsplit('/', 1)[0] if CELERY_BROKER_URL.count('/') > 2 else CELERY_BROKER_URL.rstrip('/')}/{_db}"  # noqa: E501
    CELERY_TASK_ALWAYS_EAGER = False
