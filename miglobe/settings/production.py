"""Production: DEBUG off, HTTPS, secrets required from the environment."""

import os

from django.core.exceptions import ImproperlyConfigured

os.environ.setdefault("DEBUG", "False")

from .base import *  # noqa: F403
from .base import env

if DEBUG:  # noqa: F405
    raise ImproperlyConfigured("DEBUG must be off in production settings.")

# Production runs tasks in the worker, never eagerly inside a web request, and
# its emails need the portal's public address for their links.
for _name in ("REDIS_URL", "SITE_URL"):
    if not env(_name, default=""):
        raise ImproperlyConfigured(f"{_name} is not set. Production needs it; see .env.example.")
CELERY_TASK_ALWAYS_EAGER = False

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
ACCOUNT_DEFAULT_HTTP_PROTOCOL = env("ACCOUNT_DEFAULT_HTTP_PROTOCOL", default="https")
CONN_MAX_AGE = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_MAX_AGE"] = CONN_MAX_AGE  # noqa: F405
MIGLOBE_STAFF_MFA_REQUIRED = env.bool("MIGLOBE_STAFF_MFA_REQUIRED", default=True)
