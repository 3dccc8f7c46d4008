"""Tests: PostgreSQL when DATABASE_URL is set, SQLite otherwise; fast hashing."""

import tempfile
import uuid
from pathlib import Path

from .base import *  # noqa: F403
from .base import REDIS_URL

# A second database, always SQLite, for the few tests that must show a rule holds on
# both engines (money rounding in SQL); only tests that ask for it use it.
# A file, not memory: the live server of the browser tests would otherwise share (and
# close) the in-memory connection across threads.
_SQLITE_TEST_FILE = Path(tempfile.gettempdir()) / f"miglobe-test-{uuid.uuid4().hex}.sqlite3"
DATABASES["sqlite"] = {  # noqa: F405
    "ENGINE": "django.db.backends.sqlite3",
    "NAME": str(_SQLITE_TEST_FILE),
    "TEST": {"NAME": str(_SQLITE_TEST_FILE)},
}

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tests call tasks in-process; the end-to-end Celery test starts a real worker.
CELERY_TASK_ALWAYS_EAGER = True
# Forms may be sent at once: tests that check the bot guard set their own minimum.
MIGLOBE_FORM_MIN_SECONDS = 0
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if REDIS_URL:
    # Redis keeps keys between runs (allauth's "one confirmation mail per address
    # every three minutes" would outlive a run): every test process gets a prefix
    # of its own, and tests/conftest.py gives every test a fresh one on top.
    CACHES["default"]["KEY_PREFIX"] = f"miglobe-test-{uuid.uuid4().hex}"  # noqa: F405
