"""Backup and restore: the database and every stored file, in one dated archive.

A database dump alone is not a backup of the portal: receipts and report files
live in the file storage (the media folder, or an S3 bucket), and after a
restore without them their downloads have nothing to serve. An archive holds

    manifest.json   when, which database engine, the migration state, and the
                    SHA-256 and size of every member
    database.dump   `pg_dump --format=custom` (PostgreSQL) or a copy of the
                    SQLite file (database.sqlite3)
    media/...       every file of the default storage

`restore()` checks every checksum before it writes anything, restores only
into an empty database and an empty storage, and checks the migration state.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = 1
MEDIA = "media/"


class BackupError(Exception):
    """The archive cannot be written or restored; the message says why."""


@dataclass
class Restored:
    files: int
    database: str
    pending_migrations: list[str]


# --- What is stored -----------------------------------------------------------------------


def stored_files(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every file name in the storage, folders walked (works for S3 too)."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{folder}{name}"
    for sub in sorted(folders):
        yield from stored_files(storage, f"{folder}{sub}/")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _migrations(alias: str) -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connections[alias]).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


# --- The database -------------------------------------------------------------------------


def _pg_environment(settings: dict) -> tuple[list[str], dict[str, str]]:
    args = []
    if settings.get("HOST"):
        args += ["--host", str(settings["HOST"])]
    if settings.get("PORT"):
        args += ["--port", str(settings["PORT"])]
    if settings.get("USER"):
        args += ["--username", str(settings["USER"])]
    env = {**os.environ}
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings["PASSWORD"])
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    # pg_dump and pg_restore with the database's own settings; no shell is involved.
    result = subprocess.run(  # noqa: S603
        command, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{command[0]}: {result.stderr.strip() or result.returncode}")


def _dump_database(alias: str, target: Path) -> str:
    connection = connections[alias]
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        args, env = _pg_environment(settings)
        _run(
            ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", *args,
             "--file", str(target), str(settings["NAME"])],
            env,
        )  # fmt: skip
        return "database.dump"
    if connection.vendor == "sqlite":
        # SQLite's own online backup: consistent even while the portal writes.
        source = sqlite3.connect(str(settings["NAME"]))
        copy = sqlite3.connect(str(target))
        with copy:
            source.backup(copy)
        source.close()
        copy.close()
        return "database.sqlite3"
    raise BackupError(f"No backup for the database engine {connection.vendor}.")


def _database_is_empty(alias: str) -> bool:
    with connections[alias].cursor() as cursor:
        return not connections[alias].introspection.table_names(cursor)


def _restore_database(alias: str, member: str, source: Path) -> None:
    connection = connections[alias]
    settings = connection.settings_dict
    if member == "database.dump":
        if connection.vendor != "postgresql":
            raise BackupError(
                "The archive holds a PostgreSQL dump; DATABASE_URL is not PostgreSQL."
            )
        args, env = _pg_environment(settings)
        connection.close()
        _run(
            ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", *args,
             "--dbname", str(settings["NAME"]), str(source)],
            env,
        )  # fmt: skip
        return
    if connection.vendor != "sqlite":
        raise BackupError("The archive holds an SQLite database; DATABASE_URL is not SQLite.")
    connection.close()
    shutil.copyfile(source, str(settings["NAME"]))


# --- Writing and reading archives -----------------------------------------------------------


def backup(folder: Path, *, alias: str = DEFAULT_DB_ALIAS, storage: Storage | None = None) -> Path:
    """Write a dated archive into `folder`; returns its path."""
    storage = storage or default_storage
    folder.mkdir(parents=True, exist_ok=True)
    now = timezone.localtime()
    archive = folder / f"miglobe-{now:%Y-%m-%d-%H%M%S}.tar"
    partial = archive.with_suffix(".tar.partial")
    manifest: dict = {
        "format": FORMAT,
        "created_at": now.isoformat(),
        "database_engine": connections[alias].vendor,
        "migrations": _migrations(alias),
        "members": {},
    }
    with tempfile.TemporaryDirectory() as scratch:
        dump = Path(scratch) / "database"
        member = _dump_database(alias, dump)
        with tarfile.open(partial, "w") as tar:
            tar.add(dump, arcname=member)
            manifest["members"][member] = {"sha256": _sha256(dump), "size": dump.stat().st_size}
            for name in stored_files(storage):
                with storage.open(name, "rb") as handle:
                    payload = handle.read()
                info = tarfile.TarInfo(MEDIA + name)
                info.size = len(payload)
                info.mtime = int(now.timestamp())
                tar.addfile(info, io.BytesIO(payload))
                manifest["members"][MEDIA + name] = {
                    "sha256": hashlib.sha256(payload).hexdigest(),
                    "size": len(payload),
                }
            text = json.dumps(manifest, indent=2, ensure_ascii=False).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(text)
            info.mtime = int(now.timestamp())
            tar.addfile(info, io.BytesIO(text))
    partial.rename(archive)  # an archive with its name is complete
    return archive


def _checked_members(tar: tarfile.TarFile, scratch: Path) -> tuple[dict, list[str]]:
    try:
        manifest = json.load(tar.extractfile("manifest.json"))  # type: ignore[arg-type]
    except (KeyError, ValueError) as error:
        raise BackupError("The archive has no readable manifest.json.") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown archive format {manifest.get('format')}.")
    names = []
    for name, expected in manifest["members"].items():
        if name.startswith("/") or ".." in Path(name).parts:
            raise BackupError(f"Refusing the member {name}: it points outside the archive.")
        try:
            member = tar.extractfile(name)
        except KeyError as error:
            raise BackupError(f"{name} is listed in the manifest but missing.") from error
        if member is None:
            raise BackupError(f"{name} is not a file.")
        target = scratch / name
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("wb") as handle:
            shutil.copyfileobj(member, handle)
        if _sha256(target) != expected["sha256"]:
            raise BackupError(f"{name} does not match its checksum: the archive is damaged.")
        names.append(name)
    return manifest, names


def restore(
    archive: Path, *, alias: str = DEFAULT_DB_ALIAS, storage: Storage | None = None
) -> Restored:
    """Restore an archive into an empty database and an empty storage."""
    storage = storage or default_storage
    if not _database_is_empty(alias):
        raise BackupError(
            "The database is not empty. Restore into a new, empty database "
            "(createdb, then DATABASE_URL pointing at it)."
        )
    if next(stored_files(storage), None) is not None:
        raise BackupError("The file storage (MEDIA_ROOT or bucket) is not empty.")
    with tempfile.TemporaryDirectory() as folder, tarfile.open(archive, "r") as tar:
        scratch = Path(folder)
        manifest, names = _checked_members(tar, scratch)
        [database] = [name for name in names if name.startswith("database.")]
        _restore_database(alias, database, scratch / database)
        files = 0
        for name in names:
            if name.startswith(MEDIA):
                stored = name.removeprefix(MEDIA)
                saved = storage.save(stored, ContentFile((scratch / name).read_bytes()))
                if saved != stored:
                    raise BackupError(f"{stored} was stored as {saved}.")
                files += 1
    restored = _migrations(alias)
    if restored != manifest["migrations"]:
        raise BackupError("The restored migration state differs from the manifest's.")
    executor = MigrationExecutor(connections[alias])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    pending = [f"{migration.app_label}.{migration.name}" for migration, _back in plan]
    return Restored(files=files, database=database, pending_migrations=pending)
