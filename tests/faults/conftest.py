"""Fault injection with real processes that a test stops and starts again.

Every test gets a Redis of its own (`redis-server` on a free port, stopped and
started again by its PID), an SMTP sink of its own (aiosmtpd in a thread, which
records every message it accepts) and Celery workers on a queue of its own, all
against the test database. The Redis and PostgreSQL shared by the run are never
stopped or flushed; only processes started here are ended, by their PID.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import redis
from aiosmtpd.controller import Controller

from tests.processes import database_url, free_port

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "geheim-passwort-123"  # tests.core.factories.UserFactory's


def wait_until(condition: Callable[[], Any], *, timeout: float, what: str, interval=0.05) -> Any:
    """Poll `condition` until it returns something true; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {timeout} s in vain for {what}")
        time.sleep(interval)


# --- Redis ------------------------------------------------------------------------------


class RedisServer:
    """A `redis-server` of the test's own, without persistence, on a fixed free port."""

    def __init__(self, workdir: Path):
        executable = shutil.which("redis-server")
        if executable is None:
            message = "needs the redis-server binary on PATH"
            if os.environ.get("REDIS_URL"):
                pytest.fail(message)
            pytest.skip(message)
        self.executable = executable
        self.port = free_port()
        self.workdir = workdir
        self.log_path = workdir / f"redis-{self.port}.log"
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self) -> redis.Redis:
        return redis.Redis(host="127.0.0.1", port=self.port, socket_connect_timeout=0.5)

    def start(self) -> None:
        assert self.process is None, "already running"
        with open(self.log_path, "a") as log:
            self.process = subprocess.Popen(  # noqa: S603 - a fixed command line
                [self.executable, "--port", str(self.port), "--bind", "127.0.0.1",
                 "--save", "", "--appendonly", "no", "--dir", str(self.workdir)],
                stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
        wait_until(self._answers, timeout=10, what=f"redis-server on port {self.port}")

    def _answers(self) -> bool:
        assert self.process is not None
        if self.process.poll() is not None:
            raise AssertionError(f"redis-server exited: {self.log_path.read_text()[-2000:]}")
        client = self.client()
        try:
            return bool(client.ping())
        except redis.ConnectionError:
            return False
        finally:
            client.close()

    def stop(self) -> None:
        """SIGTERM to this server's PID, and wait until it is gone."""
        if self.process is None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None


# --- The mail server ----------------------------------------------------------------------


@dataclass(frozen=True)
class Received:
    """One message the sink accepted."""

    recipients: tuple[str, ...]
    message_id: str
    subject: str
    attachments: tuple[tuple[str, bytes], ...]


class _Handler:
    def __init__(self, sink: SmtpSink):
        self.sink = sink

    async def handle_DATA(self, server, session, envelope) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        attachments = tuple(
            (part.get_filename() or "", part.get_payload(decode=True) or b"")
            for part in message.iter_attachments()
        )
        # Recorded when the data is in: a client that dies before the answer below has
        # still handed the message over, as with a real server (the duplicate window).
        self.sink._record(
            Received(
                recipients=tuple(envelope.rcpt_tos),
                message_id=str(message["Message-ID"]),
                subject=str(message["Subject"]).strip(),
                attachments=attachments,
            )
        )
        if self.sink.delay:
            await asyncio.sleep(self.sink.delay)
        return "250 Message accepted for delivery"


class SmtpSink:
    """An SMTP server in a thread that records what it accepts; stopped and started on one port.

    `delay`: seconds it holds each message before it answers "250".
    """

    def __init__(self):
        self.port = free_port()
        self.delay = 0.0
        self._received: list[Received] = []
        self._lock = threading.Lock()
        self._controller: Controller | None = None

    def _record(self, received: Received) -> None:
        with self._lock:
            self._received.append(received)

    def messages(self) -> list[Received]:
        with self._lock:
            return list(self._received)

    def start(self) -> None:
        assert self._controller is None, "already running"
        controller = Controller(
            _Handler(self), hostname="127.0.0.1", port=self.port, ready_timeout=10
        )
        controller.start()
        self._controller = controller

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


# --- Celery workers -------------------------------------------------------------------------


class Worker:
    """A Celery worker process (solo pool) on the test's queue; its log is a file."""

    def __init__(self, name: str, queue: str, env: dict[str, str], log_path: Path):
        self.name = name
        self.log_path = log_path
        with open(log_path, "w") as log:
            self.process = subprocess.Popen(  # noqa: S603 - a fixed command line
                [sys.executable, "-m", "celery", "-A", "miglobe", "worker", "--pool=solo",
                 "--concurrency=1", "-Q", queue, "-n", f"{name}@%h", "--loglevel=info",
                 "--without-gossip", "--without-mingle", "--without-heartbeat"],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip

    @property
    def pid(self) -> int:
        return self.process.pid

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def received(self, task_name: str) -> list[str]:
        """The ids of the tasks of this name the worker took, in order."""
        return re.findall(rf"Task {re.escape(task_name)}\[([0-9a-f-]+)\] received", self.log())

    def result_of(self, task_id: str, *, timeout: float = 60) -> str:
        """What the task returned, as the worker logs it; fails if it raised or the worker died."""

        def finished() -> str | None:
            log = self.log()
            if re.search(rf"\[{task_id}\] raised", log):
                raise AssertionError(f"task {task_id} raised in {self.name}")
            found = re.search(rf"\[{task_id}\] succeeded in [\d.e-]+s: (.*)", log)
            if found:
                return found.group(1).strip()
            if self.process.poll() is not None:
                raise AssertionError(f"{self.name} exited with {self.process.returncode}")
            return None

        return wait_until(finished, timeout=timeout, what=f"task {task_id} in {self.name}")

    def kill(self) -> None:
        """SIGKILL: the worker dies on the spot, in the middle of whatever it does."""
        os.kill(self.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


# --- Fixtures -------------------------------------------------------------------------------


@pytest.fixture
def fault_redis(tmp_path):
    """The test's own Redis, running; the test may stop and start it."""
    server = RedisServer(tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def smtp_sink():
    """The test's own mail server, running; the test may stop and start it."""
    sink = SmtpSink()
    sink.start()
    try:
        yield sink
    finally:
        sink.stop()


@pytest.fixture
def queue() -> str:
    return f"faults-{uuid.uuid4().hex}"


def _reset_producers(app) -> None:
    """Forget the Celery app's connection and producer pools: the next send connects anew."""
    from kombu import pools

    app._pool = None
    amqp = app.__dict__.get("amqp")
    if amqp is not None:
        amqp._producer_pool = None
    pools.reset()


@pytest.fixture
def web(settings, fault_redis, smtp_sink, queue):
    """This test process as the web application, with the test's Redis as cache and broker.

    Pages run through Django's test client; tasks they send go to the test's queue
    (not run in-process), and mail sent in-process (a `flush()` in the test) goes
    to the test's SMTP sink.
    """
    from miglobe.celery import app

    settings.REDIS_URL = fault_redis.url
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.FailOpenRedisCache",
            "LOCATION": fault_redis.url,
            "KEY_PREFIX": f"faults-{uuid.uuid4().hex}",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    settings.MIGLOBE_HEALTH_TIMEOUT = 1.0
    settings.MIGLOBE_STAFF_MFA_REQUIRED = False
    settings.SKEW_TEAM_EMAIL = "team@skew.example.org"
    settings.SKEW_REPORT_EMAIL = "finanzen@skew.example.org"
    settings.SITE_URL = "https://miglobe.example.org"
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = smtp_sink.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10

    before = {
        key: app.conf[key] for key in ("broker_url", "task_always_eager", "task_default_queue")
    }
    app.conf.update(broker_url=fault_redis.url, task_always_eager=False, task_default_queue=queue)
    _reset_producers(app)
    try:
        yield
    finally:
        app.conf.update(before)
        _reset_producers(app)


@pytest.fixture
def start_worker(tmp_path, settings, fault_redis, smtp_sink, queue):
    """Start a Celery worker on the test's queue: `start_worker(**extra_env)`.

    It uses the test database, the test's Redis and SMTP sink, and the test's
    media folder (report files). Every worker started is stopped afterwards (by
    its PID) and its log printed, which pytest shows when the test failed.
    """
    started: list[Worker] = []

    def start(**extra_env: str) -> Worker:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "miglobe.settings.base",
            "PYTHONUNBUFFERED": "1",
            "DATABASE_URL": database_url(),
            "REDIS_URL": fault_redis.url,
            "CACHE_URL": fault_redis.url,
            "CELERY_QUEUE": queue,
            "CELERY_TASK_ALWAYS_EAGER": "False",
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp_sink.port}",
            "EMAIL_TIMEOUT": "10",
            "SITE_URL": "https://miglobe.example.org",
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "SKEW_TEAM_EMAIL": settings.SKEW_TEAM_EMAIL,
            "SKEW_REPORT_EMAIL": settings.SKEW_REPORT_EMAIL,
            **extra_env,
        }
        name = f"worker{len(started) + 1}"
        worker = Worker(name, queue, env, tmp_path / f"{name}.log")
        started.append(worker)
        return worker

    try:
        yield start
    finally:
        for worker in started:
            worker.stop()
        for worker in started:
            print(f"--- {worker.name} (pid {worker.pid}) log ---\n{worker.log()[-6000:]}")
