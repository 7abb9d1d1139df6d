"""Settings of the EIG platform: one place, everything from the environment.

Without any variable set, the platform runs on an embedded SQLite file with
Celery tasks executed in-process, which is what `make run` relies on.
"""

from pathlib import Path

import environ
from csp.constants import NONCE
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
(BASE_DIR / "var").mkdir(exist_ok=True)

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
# A default key only exists for local runs: production must provide its own.
SECRET_KEY = env("SECRET_KEY") if not DEBUG else env("SECRET_KEY", default="dev-only-insecure-key")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
# The platform's name in the account emails ("Bonjour, c'est …") and wherever it names itself.
SITE_NAME = env("SITE_NAME", default="Entrepreneurs d'intérêt général")

INSTALLED_APPS = [
    "eig",
    "challenges",
    "applications",
    "cohorts",
    "mentoring",
    "scale",  # `seed_scale` only: after every stage, imported by none
    "eig.admin_site.ProgrammeAdminConfig",  # django.contrib.admin, with the programme's site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "dsfr",
    "widget_tweaks",
    "crispy_forms",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "csp",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "import_export",
    "django_filters",
    "django_celery_beat",
]

MIDDLEWARE = [
    # The load balancer's probes are answered before anything else (see eig/health.py).
    "eig.health.HealthCheckMiddleware",
    "eig.request_log.RequestLogMiddleware",
    # Then any layer's failure to reach PostgreSQL becomes a 503 that keeps the form.
    "eig.outage.DatabaseOutageMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "eig.middleware.RejectNulBytesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "eig.middleware.FrenchFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "eig.middleware.RequireTwoFactorMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Axes must come last: it reads the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "eig.urls"
WSGI_APPLICATION = "eig.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "eig.context_processors.platform",
            ],
        },
    },
]
FORM_RENDERER = "dsfr.forms.DsfrDjangoTemplates"
CRISPY_ALLOWED_TEMPLATE_PACKS = ["dsfr"]
CRISPY_TEMPLATE_PACK = "dsfr"
DSFR_MARK_OPTIONAL_FIELDS = True

# --- Database -------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'eig.sqlite3'}"),
}
# A new PostgreSQL connection costs about 12 ms here: keep them.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # The programme's data fits in memory many times over, on SSDs: PostgreSQL's default
    # cost of a random read (4, for spinning disks) made it scan all 10,000 applications
    # rather than look 300 of them up by key (a challenge's ranking: 5.8 ms → 1.5 ms).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c random_page_cost=1.1"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts --------------------------------------------------------------
AUTH_USER_MODEL = "eig.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
# Argon2 first (memory-hard: a stolen table costs an attacker's GPUs far more than PBKDF2
# for the same 0.22 s of one core per login here); PBKDF2 still reads older hashes, and
# Django re-hashes them with Argon2 at their next login.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "eig.accounts.MaximumLengthValidator", "OPTIONS": {"max_length": 200}},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = env("ACCOUNT_EMAIL_VERIFICATION", default="mandatory")
ACCOUNT_UNIQUE_EMAIL = True
# Confirming the address in the browser that signed up logs the person in and takes them
# where they were going (the invitation they opened, "my challenges").
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
# One address per account: an unverified second address would hold someone else's
# address, and that person's sign-up would then create nothing.
ACCOUNT_MAX_EMAIL_ADDRESSES = 1
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_ADAPTER = "eig.accounts.AccountAdapter"
ACCOUNT_FORMS = {"signup": "eig.accounts.SignupForm"}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[EIG] "
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Programme EIG"
# Staff and jury members must use TOTP. Off only for the demo accounts of `make run`.
EIG_REQUIRE_2FA_FOR_PRIVILEGED = env.bool("EIG_REQUIRE_2FA_FOR_PRIVILEGED", default=not DEBUG)

AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "eig.accounts.axes_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "account/lockout.html"

# --- Internationalisation ----------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Per-language formats: a date and time in running text reads "à" in French, "at" in English.
FORMAT_MODULE_PATH = ["eig.formats"]
TIME_ZONE = env("TIME_ZONE", default="Europe/Paris")
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True

# --- Static and uploaded files ---------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploads are never served under a public URL: views check permission first.
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Every upload (CVs, pitch decks) is private: served only by permission-checked views.
    "private": {"BACKEND": "eig.files.LocalPrivateStorage"},
    "staticfiles": {
        "BACKEND": env(
            "STATICFILES_BACKEND",
            default="django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
# With a bucket named, uploads go to S3-compatible object storage (a private bucket: no
# public ACL; the views stream files after checking permission, any URL is signed and
# lives five minutes). The usual AWS variable names, for any S3-compatible service.
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    _bucket = {
        "bucket_name": AWS_STORAGE_BUCKET_NAME,
        "endpoint_url": env("AWS_S3_ENDPOINT_URL", default=None),
        "region_name": env("AWS_S3_REGION_NAME", default=None),
        "access_key": env("AWS_ACCESS_KEY_ID", default=None),
        "secret_key": env("AWS_SECRET_ACCESS_KEY", default=None),
        "default_acl": "private",
        "querystring_auth": True,
        "querystring_expire": 300,
        "file_overwrite": False,
    }
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {**_bucket, "location": "public"},
    }
    STORAGES["private"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {**_bucket, "location": "private"},
    }

# --- Email -------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
EMAIL_BACKEND = env("EMAIL_BACKEND", default=EMAIL_CONFIG["EMAIL_BACKEND"])
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", default=str(BASE_DIR / "var" / "emails"))
# A mail server that hangs must not hold a worker: the socket gives up first.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
EMAIL_MESSAGE_ID_DOMAIN = env("EMAIL_MESSAGE_ID_DOMAIN", default="eig.numerique.gouv.fr")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Programme EIG <eig@numerique.gouv.fr>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Celery ------------------------------------------------------------------
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=env("REDIS_URL", default=""))
# Without a broker, tasks run in-process: the platform works with nothing else running.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=30)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=60)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# With Redis down, a request must not wait for it: fail fast, the sweep catches up.
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("CELERY_BROKER_CONNECTION_TIMEOUT", default=1.0)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 1,
    "socket_timeout": 5,
    "max_retries": 0,
    # A task whose worker died is delivered again after this delay.
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=900),
}
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

# --- Security ----------------------------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        # The real nonce constant: the bare string "nonce" was sent as a keyword that
        # no browser knows, and the DSFR scripts' nonce attribute went unused.
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
    },
}

# --- Cache --------------------------------------------------------------------
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

# One line per request on the `eig.requests` logger (eig/request_log.py); LOG_FORMAT=json
# for a log collector, text otherwise.
LOG_FORMAT = env("LOG_FORMAT", default="text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {
            "()": "eig.request_log.TextFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        },
        "json": {"()": "eig.request_log.JsonFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT},
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
    "loggers": {
        "eig.requests": {
            "handlers": ["console"],
            "level": env("REQUEST_LOG_LEVEL", default="INFO"),
            "propagate": False,
        },
    },
}

# Errors go to a Sentry-compatible service only when a DSN is set, scrubbed of personal
# data (eig/error_reporting.py).
SENTRY_DSN = env("SENTRY_DSN", default="")
if SENTRY_DSN:
    from eig import error_reporting

    error_reporting.start(
        dsn=SENTRY_DSN,
        environment=env("SENTRY_ENVIRONMENT", default="production"),
        release=env("SENTRY_RELEASE", default=""),
    )

# The inventory of personal data (French Markdown) that the "Données personnelles" page shows.
EIG_PERSONAL_DATA_REGISTER = Path(
    env("EIG_PERSONAL_DATA_REGISTER", default=str(BASE_DIR / "docs" / "personal-data.md"))
)
# The RGAA audit (audit.toml, rgaa-grid.csv) the accessibility statement is computed from.
EIG_ACCESSIBILITY_AUDIT_DIR = BASE_DIR / "docs" / "accessibility"
EIG_HISTORY_ATTRIBUTION = "Source : programme EIG, Etalab — Licence Ouverte"
# How long what changes a few times a year is kept in the cache: the public impact
# figures, the file of a challenge in the jury's kit (0: computed for every request).
EIG_CACHE_SECONDS = env.int("EIG_CACHE_SECONDS", default=60)

# One sweep a minute finds due reminders and unsent emails in the database.
CELERY_BEAT_SCHEDULE = {
    "sweep-outbox": {
        "task": "eig.tasks.sweep_outbox",
        "schedule": env.float("OUTBOX_SWEEP_SECONDS", default=60.0),
    },
    "publish-due-calls": {"task": "challenges.tasks.publish_due_calls", "schedule": 300.0},
    "purge-expired-applications": {"task": "applications.tasks.purge_expired", "schedule": 86400.0},
    "publish-due-applications": {"task": "applications.tasks.publish_due_calls", "schedule": 300.0},
    "sweep-orphan-files": {"task": "eig.tasks.sweep_orphan_files", "schedule": 3600.0},
}

# --- Backups (eig/backups.py, docs/operations.md) --------------------------------
EIG_BACKUP_DIR = env("EIG_BACKUP_DIR", default=str(BASE_DIR / "var" / "backups"))
EIG_BACKUP_KEEP_DAYS = env.int("EIG_BACKUP_KEEP_DAYS", default=30)
# Run after a restore, so that an archive never brings back what retention or an erasure
# removed (eig/erasures.py).
EIG_AFTER_RESTORE_COMMANDS = ["purge_applications", "replay_erasures"]
