"""Settings for the benchmarks: the real ones, plus the bench's own templates and floor URLs."""

import os

os.environ.setdefault("SECRET_KEY", "bench-only-secret-key")
os.environ.setdefault("DEBUG", "false")

from eig.settings import *  # noqa: E402,F403

ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
EIG_REQUIRE_2FA_FOR_PRIVILEGED = False
# The production hashers (Argon2): the rush's logins cost what a real login costs.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
TEMPLATES[0]["DIRS"].append(BASE_DIR / "bench" / "templates")  # noqa: F405
# The floor views live under /__bench__/, in these settings only.
ROOT_URLCONF = "bench.urls"
# The benchmarks' uploads (the seed's CVs, the rush's) stay apart from `make run`'s.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "bench-media"))  # noqa: F405
# Every simulated candidate of the rush logs in from 127.0.0.1: allauth's per-IP
# rate limit (30 logins a minute) would refuse most of them.
ACCOUNT_RATE_LIMITS = False
# Compressed, hashed static files as in production (collectstatic first), apart from `make run`'s.
STATIC_ROOT = BASE_DIR / "var" / "bench-static"  # noqa: F405
