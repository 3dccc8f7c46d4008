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
    # Redis keeps keys between runs (allauth's "one confirmation mail per address
    # every three minutes" would outlive a run): every test process gets a prefix
    # of its own, and tests/conftest.py gives every test a fresh one on top.
    import uuid as _uuid

    CACHES["default"]["KEY_PREFIX"] = f"miglobe-test-{_uuid.uuid4().hex}"  # noqa: F405
