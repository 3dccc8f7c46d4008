"""The web process goes on by itself after PostgreSQL restarts (or drops its connections).

A restart ends every connection the server holds. gunicorn, as production runs it,
keeps its database connection between requests (CONN_MAX_AGE); the test ends it from
the database side, as a restart would, and the next request must answer normally.
"""

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import psycopg
import pytest

from tests.processes import database_url, free_port

ROOT = Path(__file__).resolve().parents[2]


def health(url: str) -> tuple[int, dict]:
    try:
        # Our own server, http only.
        with urllib.request.urlopen(f"{url}/health/", timeout=30) as response:  # noqa: S310
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


@pytest.fixture
def gunicorn(tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "miglobe.settings.base",
        "DATABASE_URL": database_url(),
        "CONN_MAX_AGE": "600",
        "REDIS_URL": "",
    }
    log = open(tmp_path / "gunicorn.log", "w")  # noqa: SIM115 - closed below
    process = subprocess.Popen(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, "-m", "gunicorn", "miglobe.wsgi", "--workers", "1",
         "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                health(url)
                break
            except OSError:
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()
        print((tmp_path / "gunicorn.log").read_text()[-3000:])  # shown if the test failed


def end_other_connections() -> int:
    with psycopg.connect(database_url(), autocommit=True) as admin:
        return admin.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid() "
            "AND application_name NOT LIKE 'pytest%%' AND backend_type = 'client backend'",
        ).fetchone()[0]


# serialized_rollback: the flush afterwards must not take the migrations' data along.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_connection_the_database_dropped_is_replaced_on_the_next_request(
    postgres_only, gunicorn, django_db_blocker
):
    status, body = health(gunicorn)
    assert (status, body["database"]) == (200, "ok")

    with django_db_blocker.unblock():
        from django.db import connection

        connection.close()  # the test's own connection must not be the one ended
    assert end_other_connections() == 1  # gunicorn's kept connection, as in a restart

    status, body = health(gunicorn)
    assert (status, body["database"]) == (200, "ok")
