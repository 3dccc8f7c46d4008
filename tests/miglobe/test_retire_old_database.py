"""`make run` on a laptop's demo database from before the migrations were squashed."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _database(path: Path, applied: list[tuple[str, str]]) -> None:
    with sqlite3.connect(path) as db:
        db.execute(
            "CREATE TABLE django_migrations (id integer primary key, app varchar(255), "
            "name varchar(255), applied datetime)"
        )
        db.executemany(
            "INSERT INTO django_migrations (app, name, applied) VALUES (?, ?, '2026-11-01')",
            applied,
        )


def _retire(path: Path) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{path}",
        "DJANGO_SETTINGS_MODULE": "miglobe.settings.base",
        "REDIS_URL": "",
    }
    return subprocess.run(
        [sys.executable, "manage.py", "retire_old_database"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )


def test_a_database_with_migrations_that_are_gone_is_moved_aside(tmp_path):
    old = tmp_path / "db.sqlite3"
    _database(old, [("miglobe", "0001_initial"), ("miglobe", "0003_reminder_log")])

    result = _retire(old)

    assert not old.exists()
    assert (tmp_path / "db.sqlite3.before-squash").exists()
    assert "miglobe.0003_reminder_log" in result.stdout


def test_a_current_database_is_left_alone(tmp_path):
    current = tmp_path / "db.sqlite3"
    _database(current, [("core", "0001_initial"), ("contenttypes", "0001_initial")])

    result = _retire(current)

    assert current.exists()
    assert result.stdout == ""
