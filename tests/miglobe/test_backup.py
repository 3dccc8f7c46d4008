"""Backup and restore: a dated archive restores into a fresh database and media folder.

The test writes an archive of a world with a receipt and a filed report, restores it
with `manage.py restore` into a new PostgreSQL database and an empty media folder, and
downloads the receipt and the report's PDF there, as the advisor and SKEW would.
"""

import datetime
import hashlib
import io
import json
import os
import re
import sqlite3
import subprocess
import sys
import tarfile
import uuid
from decimal import Decimal
from pathlib import Path

import psycopg
import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db.migrations.recorder import MigrationRecorder
from django.urls import reverse

from core.backup import backup
from engagements.enums import EntryStatus
from engagements.reports import report_generate
from tests.advisors.factories import PoolFactory
from tests.core.factories import StaffFactory
from tests.engagements.factories import (
    EngagementFactory,
    ExpenseFactory,
    FeeRateFactory,
    TimeEntryFactory,
)
from tests.processes import database_url

ROOT = Path(__file__).resolve().parents[2]
RECEIPT = b"%PDF-1.4\n% Beleg Bahnfahrt Aachen-Eschweiler\n%%EOF\n"


@pytest.fixture
def world(db):
    pool = PoolFactory(federal_state="NW", name="MiGlobe NRW")
    FeeRateFactory(pool=pool, hourly_rate=Decimal("45.00"))
    engagement = EngagementFactory(pool=pool)
    expense = ExpenseFactory(
        engagement=engagement,
        status=EntryStatus.APPROVED,
        receipt=ContentFile(RECEIPT, name="beleg.pdf"),
        date=datetime.date(2020, 2, 11),
    )
    TimeEntryFactory(
        engagement=engagement, advisor=expense.advisor, status=EntryStatus.APPROVED,
        date=datetime.date(2020, 2, 12),
    )  # fmt: skip
    report = report_generate(
        pool=pool, period_start=expense.date.replace(day=1), period_end=expense.date
    )
    return {"expense": expense, "report": report, "root": StaffFactory()}


@pytest.fixture
def fresh_database():
    """An empty PostgreSQL database beside the test database, dropped afterwards."""
    name = f"miglobe_restore_{uuid.uuid4().hex[:12]}"
    url = database_url()
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(*args: str, database: str, media: Path) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "miglobe.settings.base",
        "DATABASE_URL": database,
        "MEDIA_ROOT": str(media),
        "REDIS_URL": "",
        "ALLOWED_HOSTS": "testserver",
    }
    return subprocess.run(  # noqa: S603 - our own manage.py with the test's arguments
        [sys.executable, "manage.py", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=180,
    )  # fmt: skip


DOWNLOAD = """
import datetime
import hashlib
from django.test import Client
from core.models import User
from engagements.models import Expense
expense = Expense.objects.get(pk={expense})
root = User.objects.get(pk={root})
for user, url in [(expense.advisor.user, "{receipt_url}"), (root, "{pdf_url}")]:
    client = Client()
    client.force_login(user)
    response = client.get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    print(response.status_code, hashlib.sha256(body).hexdigest())
"""


# serialized_rollback: the flush afterwards must not take the migrations' data along.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_backup_restores_into_a_fresh_database_and_its_receipt_downloads(
    postgres_only, world, tmp_path, fresh_database
):
    expense, report = world["expense"], world["report"]
    archive = backup(tmp_path / "backups")

    assert archive.name.startswith("miglobe-") and archive.suffix == ".tar"
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        names = set(tar.getnames())
    assert manifest["migrations"]["core"] == sorted(
        MigrationRecorder.Migration.objects.filter(app="core").values_list("name", flat=True)
    )
    assert f"media/{expense.receipt.name}" in names
    assert f"media/{report.pdf.name}" in names
    assert manifest["members"][f"media/{report.pdf.name}"]["sha256"] == report.pdf_sha256

    media = tmp_path / "restored-media"
    restored = manage("restore", str(archive), database=fresh_database, media=media)
    assert restored.returncode == 0, restored.stderr
    assert "Restored database.dump and 4 stored files." in restored.stdout  # receipt + 3 files

    script = DOWNLOAD.format(
        expense=expense.pk,
        root=world["root"].pk,
        receipt_url=reverse("workspace:expense_receipt", args=[expense.pk]),
        pdf_url=reverse("admin:engagements_reimbursementreport_download", args=[report.pk, "pdf"]),
    )
    downloaded = manage("shell", "-c", script, database=fresh_database, media=media)
    assert downloaded.returncode == 0, downloaded.stderr
    # (The shell says first how many objects it imported.)
    receipt_line, pdf_line = re.findall(r"^\d{3} [0-9a-f]{64}$", downloaded.stdout, re.M)
    assert receipt_line == f"200 {hashlib.sha256(RECEIPT).hexdigest()}"
    assert pdf_line == f"200 {report.pdf_sha256}"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_restore_refuses_a_database_that_is_not_empty(postgres_only, world, tmp_path):
    archive = backup(tmp_path / "backups")
    media = tmp_path / "other-media"

    refused = manage("restore", str(archive), database=database_url(), media=media)

    assert refused.returncode != 0
    assert "The database is not empty" in refused.stderr
    assert not media.exists() or not any(media.iterdir())


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_damaged_archive_is_refused_before_anything_is_written(
    postgres_only, world, tmp_path, fresh_database
):
    archive = backup(tmp_path / "backups")
    damaged = tmp_path / "damaged.tar"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w") as target:
        for member in source.getmembers():
            payload = source.extractfile(member).read()
            if member.name.endswith(".pdf"):
                payload = payload.replace(b"%PDF", b"%PDX", 1)
            member.size = len(payload)
            target.addfile(member, io.BytesIO(payload))

    refused = manage("restore", str(damaged), database=fresh_database, media=tmp_path / "m")

    assert refused.returncode != 0
    assert "does not match its checksum" in refused.stderr
    with psycopg.connect(fresh_database) as conn:
        tables = conn.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchone()[0]
    assert tables == 0


def test_backup_without_a_folder_writes_to_the_configured_one(
    world, tmp_path, settings, postgres_only
):
    settings.MIGLOBE_BACKUP_DIR = tmp_path / "nightly"
    call_command("backup", stdout=io.StringIO())
    [archive] = (tmp_path / "nightly").glob("miglobe-*.tar")
    assert archive.stat().st_size > 0
    with pytest.raises(CommandError, match="does not exist"):
        call_command("restore", str(tmp_path / "nope.tar"))


# --- A file that is gone -------------------------------------------------------------------


def missing_message(response) -> str:
    match = re.search(
        r'<p class="lead" id="file-missing">(.*?)</p>', response.content.decode(), re.S
    )
    assert match, response.content.decode()[:2000]
    return " ".join(match.group(1).split())


@pytest.mark.django_db
def test_a_receipt_missing_from_storage_is_a_404_that_says_so(client, world):
    expense = world["expense"]
    expense.receipt.storage.delete(expense.receipt.name)  # restored without the media folder
    client.force_login(expense.advisor.user)

    response = client.get(reverse("workspace:expense_receipt", args=[expense.pk]))

    assert response.status_code == 404
    assert "liegt nicht mehr im Speicher" in missing_message(response)


@pytest.mark.django_db
def test_a_report_file_missing_from_storage_is_a_404_that_says_so(client, world, settings):
    settings.MIGLOBE_STAFF_MFA_REQUIRED = False
    report = world["report"]
    report.pdf.storage.delete(report.pdf.name)
    client.force_login(world["root"])

    response = client.get(
        reverse("admin:engagements_reimbursementreport_download", args=[report.pk, "pdf"])
    )

    assert response.status_code == 404
    assert "liegt nicht mehr im Speicher" in missing_message(response)


@pytest.mark.django_db(databases=["default", "sqlite"])
def test_the_laptops_sqlite_database_is_backed_up_and_restored_too(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    archive = backup(tmp_path / "backups", alias="sqlite")
    with tarfile.open(archive) as tar:
        assert "database.sqlite3" in tar.getnames()

    target = tmp_path / "restored.sqlite3"
    restored = manage("restore", str(archive), database=f"sqlite:///{target}", media=tmp_path / "m")

    assert restored.returncode == 0, restored.stderr
    assert "Restored database.sqlite3 and 0 stored files." in restored.stdout
    with sqlite3.connect(target) as db:
        [(applied,)] = db.execute(
            "SELECT count(*) FROM django_migrations WHERE app = 'core' AND name = ?",
            ["0003_email_outbox"],  # one of core's migrations: the state came along
        ).fetchall()
    assert applied == 1
