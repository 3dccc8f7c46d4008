"""The end-to-end path through a real Celery worker: Redis as broker, PostgreSQL, email on disk.

The test enqueues the daily sweep on a queue of its own; a worker process
started here picks it up, claims the reminders in the test database, queues
the digest, sends it (the file backend writes it to disk) and logs it as sent.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from core.models import EmailStatus, ReminderLog
from engagements.enums import EngagementStatus
from tests.advisors.factories import AdvisorFactory
from tests.core.factories import UserFactory
from tests.engagements.factories import (
    EngagementAdvisorFactory,
    EngagementFactory,
    MilestoneFactory,
)
from tests.processes import database_url

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def redis_url():
    url = os.environ.get("REDIS_URL")
    if not url:
        pytest.skip("needs the real Redis: set REDIS_URL")
    return url


@pytest.fixture
def worker(redis_url, tmp_path):
    """A Celery worker process on a queue of this test's own, mailing into tmp_path."""
    from miglobe.celery import app

    queue = f"test-{uuid.uuid4().hex}"
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "miglobe.settings.base",
        "DATABASE_URL": database_url(),
        "REDIS_URL": redis_url,
        "CELERY_QUEUE": queue,
        "CELERY_TASK_ALWAYS_EAGER": "False",
        # django-environ drops one slash: four make an absolute path.
        "EMAIL_URL": f"filemail:///{mail_dir}",
        "SITE_URL": "https://miglobe.example.org",
    }
    log = open(tmp_path / "worker.log", "w")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "miglobe", "worker", "--pool=solo",
         "--loglevel=info", "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    before = {key: app.conf[key] for key in ("task_always_eager", "task_default_queue")}
    app.conf.update(task_always_eager=False, task_default_queue=queue)
    try:
        yield mail_dir
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
        print((tmp_path / "worker.log").read_text()[-3000:])  # shown if the test failed
        app.conf.update(before)


# serialized_rollback: the flush afterwards must not take the migrations' data along.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_worker_runs_the_sweep_sends_the_digest_and_logs_it(postgres_only, worker):
    from core.tasks import send_deadline_reminders

    engagement = EngagementFactory(status=EngagementStatus.ACTIVE, title="Einsatz Eschweiler")
    advisor = AdvisorFactory(user=UserFactory(email="advisor@example.org"))
    EngagementAdvisorFactory(engagement=engagement, advisor=advisor, slot=1)
    MilestoneFactory(engagement=engagement, title="Abschlussbericht", due_on=timezone.localdate())
    MilestoneFactory(
        engagement=engagement,
        title="Vernetzungstreffen",
        due_on=timezone.localdate() + timedelta(days=3),
    )

    send_deadline_reminders.delay()

    deadline = time.monotonic() + 90
    files = []
    while time.monotonic() < deadline:
        files = list(worker.glob("*.log"))
        if files and ReminderLog.objects.filter(email__status=EmailStatus.SENT).count() == 2:
            break
        time.sleep(0.5)
    assert ReminderLog.objects.filter(email__status=EmailStatus.SENT).count() == 2
    assert len(files) == 1  # one digest for both milestones
    message = files[0].read_text()
    assert "To: advisor@example.org" in message
    assert "Abschlussbericht" in message and "Vernetzungstreffen" in message
    assert f"https://miglobe.example.org/advisor/engagements/{engagement.pk}/" in message
