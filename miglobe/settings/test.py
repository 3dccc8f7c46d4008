"""Tests: PostgreSQL when DATABASE_URL is set, SQLite otherwise; fast hashing."""

from .base import *  # noqa: F403
from .base import REDIS_URL

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tests call tasks in-process; the end-to-end Celery test starts a real worker.
CELERY_TASK_ALWAYS_EAGER = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if REDIS_URL:
    # One prefix per xdist worker so parallel tests never see each other's keys.
    import os as _os

    CACHES["default"]["KEY_PREFIX"] = "miglobe-test-" + _os.environ.get(  # noqa: F405
        "PYTEST_XDIST_WORKER", "main"
    )
