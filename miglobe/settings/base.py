"""Settings shared by every environment.

Everything comes from the environment (see .env.example). The defaults make
`make run` work on a laptop: SQLite, Celery tasks run eagerly in-process and
emails are printed to the console. Production secrets have no default.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
env_file = BASE_DIR / ".env"
if env_file.exists():
    environ.Env.read_env(str(env_file))

DEBUG = env.bool("DEBUG", default=True)

SECRET_KEY = env("SECRET_KEY", default=None)
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable to a long "
            "random string (e.g. python -c 'import secrets; print(secrets.token_urlsafe(50))')."
        )
    # Only ever used with DEBUG on, on a developer's machine.
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "rules.apps.AutodiscoverRulesConfig",
    "django_filters",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "django.contrib.humanize",  # allauth's list of passkeys uses it
    "django_countries",
    "simple_history",
    "django_celery_beat",
    # The floors, bottom to top (DEVELOPERS.md): the base, the apps in their
    # declared order, then the project itself.
    "core",
    "advisors",
    "engagements",
    "council",
    "actors",
    "events",
    "recruitment",
    "surveys",
    "outcomes",
    "workspace",
    "miglobe",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "core.middleware.HostileInputMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "core.middleware.StaffSecondFactorMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "miglobe.urls"
WSGI_APPLICATION = "miglobe.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "miglobe.context_processors.roles",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
# A connection kept open across requests is checked before use, so the web process and
# the worker go on by themselves after PostgreSQL restarts.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if "sqlite" in DATABASES["default"]["ENGINE"]:
    # SQLite (laptops) has no covering indexes; the directory's facet index just covers less.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Users and login --------------------------------------------------------
AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    # What SKEW staff may do (core/permissions.py): rules over the model permissions.
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
SITE_ID = 1
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "engagements.forms.OfficerSignupForm"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = env("ACCOUNT_EMAIL_VERIFICATION", default="mandatory")
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[MiGlobe] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = env("ACCOUNT_DEFAULT_HTTP_PROTOCOL", default="http")
ACCOUNT_ADAPTER = "core.accounts.AccountAdapter"
# Failed logins are counted per client address, and per address *and* account (see
# core/accounts.py): a stranger who knows someone's email cannot lock them out.
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,30/h/ip,5/5m/key"}
# Sensitive actions (accepting a request, corrections, reports, user administration) ask
# for the password again when the last login is older than this many seconds.
ACCOUNT_REAUTHENTICATION_TIMEOUT = env.int("ACCOUNT_REAUTHENTICATION_TIMEOUT", default=300)

# Second factors (allauth.mfa): an authenticator app (TOTP), passkeys and recovery codes.
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_TOTP_ISSUER = "MiGlobe"
# Plain http only on a developer's machine (passkeys need a secure origin).
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
# Staff may use the admin and the staff pages only with a second factor enrolled.
# Production settings turn it on; the `make run` demo leaves it off and says so.
MIGLOBE_STAFF_MFA_REQUIRED = env.bool("MIGLOBE_STAFF_MFA_REQUIRED", default=False)

# --- Internationalisation ---------------------------------------------------
LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("Deutsch")), ("en", _("Englisch"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True
COUNTRIES_FIRST = ["DE"]

# --- Static files and uploads ------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploads (receipts) are private: there is no MEDIA_URL route; they are served
# only through views that check who may see them.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if env("MEDIA_S3_BUCKET", default=""):
    # Several web hosts need one place for uploads: an S3-compatible bucket (private,
    # files reach people only through the views that check who may see them). The
    # keys come from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, as boto3 reads them.
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("MEDIA_S3_BUCKET"),
            "endpoint_url": env("MEDIA_S3_ENDPOINT_URL", default=None),
            "region_name": env("MEDIA_S3_REGION", default=None),
            "location": env("MEDIA_S3_PREFIX", default="media"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Where `manage.py backup` writes its archives unless told otherwise.
MIGLOBE_BACKUP_DIR = env.path("MIGLOBE_BACKUP_DIR", default=BASE_DIR / "backups")

# --- Email --------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="MiGlobe <miglobe@example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SKEW_REPORT_EMAIL = env("SKEW_REPORT_EMAIL", default="skew-finanzen@example.org")
# Where officers' requests and messages reach the SKEW team (a shared inbox).
SKEW_TEAM_EMAIL = env("SKEW_TEAM_EMAIL", default="miglobe-team@example.org")
# Seconds the worker waits for the mail server before it tries again later.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
# Minutes an email may stay "sending" before the outbox counts its worker as dead and
# sends it again (longer than EMAIL_TIMEOUT; see core/outbox.py).
MIGLOBE_OUTBOX_STUCK_MINUTES = env.int("MIGLOBE_OUTBOX_STUCK_MINUTES", default=10)

# --- Redis, cache, Celery -------------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    # The cache fails open: while Redis is down, pages answer without it (rate limits
    # do not count, a warning is logged) instead of answering 500 (core/cache.py).
    CACHES = {
        "default": {
            "BACKEND": "core.cache.FailOpenRedisCache",
            "LOCATION": env("CACHE_URL", default=REDIS_URL),
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
# Without a broker, tasks run in-process so a laptop needs nothing but Python.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# The longest task (a report of a busy pool) takes seconds; ten minutes is its hard limit.
CELERY_TASK_TIME_LIMIT = 10 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 9 * 60
# A task taken by a worker that died goes back to the queue after this many seconds:
# longer than the hard time limit, so a running task is never handed out twice.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=15 * 60),
}
# Sending a task while Redis is down gives up within about a second (the outbox sends
# it later), instead of holding the page.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_QUEUE", default="miglobe")
# Periodic tasks live in the database (miglobe/schedules.py has the defaults), so
# staff see and change them in the admin.
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
DJANGO_CELERY_BEAT_TZ_AWARE = True

# --- History ---------------------------------------------------------------------
# "Why" in a history entry (an engagement cancelled, a milestone moved) is a whole
# sentence, not a 100-character label.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# --- Security -------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# No inline scripts or styles anywhere: everything is served from static/.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

# --- Domain settings ------------------------------------------------------------
MIGLOBE_HEALTH_TIMEOUT = env.float("MIGLOBE_HEALTH_TIMEOUT", default=2.0)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}

# Advisors' expenses: the largest single amount accepted, and the receipt size limit.
MIGLOBE_EXPENSE_CAP = env.int("MIGLOBE_EXPENSE_CAP", default=5000)
MIGLOBE_RECEIPT_MAX_BYTES = env.int("MIGLOBE_RECEIPT_MAX_BYTES", default=10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

# Open data of the public directory: the licence named in every export.
MIGLOBE_OPEN_DATA_LICENCE = env("MIGLOBE_OPEN_DATA_LICENCE", default="dl-de/by-2-0")
MIGLOBE_OPEN_DATA_LICENCE_URL = env(
    "MIGLOBE_OPEN_DATA_LICENCE_URL", default="https://www.govdata.de/dl-de/by-2-0"
)

# Days after an event (or a reminder, or a rejected suggestion) until the people in
# it are forgotten: names, addresses and needs are removed, the figures stay.
MIGLOBE_PERSONAL_DATA_RETENTION_DAYS = env.int("MIGLOBE_PERSONAL_DATA_RETENTION_DAYS", default=365)
# Applications that were not accepted lose their personal data and CV this many months
# after their call closed (the retention job); counts stay.
MIGLOBE_APPLICATION_RETENTION_MONTHS = env.int("MIGLOBE_APPLICATION_RETENTION_MONTHS", default=6)
# The largest CV an applicant may upload.
MIGLOBE_CV_MAX_BYTES = env.int("MIGLOBE_CV_MAX_BYTES", default=5 * 1024 * 1024)

# The directory's map: a tile server, asked only after a visitor chooses to load the
# map (no request leaves the browser before); empty turns the map off.
MIGLOBE_MAP_TILES = env(
    "MIGLOBE_MAP_TILES", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png"
)
MIGLOBE_MAP_ATTRIBUTION = env("MIGLOBE_MAP_ATTRIBUTION", default="© OpenStreetMap")
MIGLOBE_MAP_ATTRIBUTION_URL = env(
    "MIGLOBE_MAP_ATTRIBUTION_URL", default="https://www.openstreetmap.org/copyright"
)

# Public forms without login: posts per client address (django-ratelimit syntax).
MIGLOBE_SUGGESTION_RATE = env("MIGLOBE_SUGGESTION_RATE", default="5/h")
MIGLOBE_REGISTRATION_RATE = env("MIGLOBE_REGISTRATION_RATE", default="10/h")
# A public form sent sooner than this many seconds after it was handed out is a bot's.
MIGLOBE_FORM_MIN_SECONDS = env.int("MIGLOBE_FORM_MIN_SECONDS", default=3)
