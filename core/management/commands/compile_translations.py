"""Compile locale/*/LC_MESSAGES/*.po to .mo without GNU gettext.

Django's compilemessages calls msgfmt, which a fresh machine (or the slim
Docker image) does not have; polib writes the same binary format in pure
Python. Like msgfmt, fuzzy and obsolete entries are left out.
"""

import os
import tempfile
from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Compile the .po files in LOCALE_PATHS to .mo files (no GNU gettext needed)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--locale-path",
            action="append",
            dest="locale_paths",
            metavar="DIR",
            help="Compile the .po files under DIR instead of settings.LOCALE_PATHS "
            "(may be given more than once).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Rewrite every .mo file, even when it is newer than its .po file.",
        )

    def handle(self, *args, locale_paths=None, force=False, **options):
        roots = [Path(p) for p in (locale_paths or settings.LOCALE_PATHS)]
        compiled = up_to_date = 0
        for root in roots:
            # A missing locale/ is not an error: there is simply nothing to compile.
            for po_path in sorted(root.glob("*/LC_MESSAGES/*.po")):
                mo_path = po_path.with_suffix(".mo")
                if not force and _is_newer(mo_path, than=po_path):
                    up_to_date += 1
                    continue
                try:
                    data = polib.pofile(str(po_path)).to_binary()
                except (OSError, ValueError) as exc:
                    raise CommandError(f"Cannot compile {po_path}: {exc}") from exc
                _write_atomically(mo_path, data)
                compiled += 1
                if options["verbosity"] >= 2:
                    self.stdout.write(f"Compiled {po_path}")
        self.stdout.write(
            f"Compiled {compiled} translation file(s); {up_to_date} already up to date."
        )


def _is_newer(path: Path, *, than: Path) -> bool:
    return path.exists() and path.stat().st_mtime >= than.stat().st_mtime


def _write_atomically(path: Path, data: bytes) -> None:
    # A running server may read the .mo at any moment; it must never see half a file.
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as tmp:
            tmp.write(data)
        os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
