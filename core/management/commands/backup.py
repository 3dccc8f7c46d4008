"""`manage.py backup [FOLDER]`: the database and every stored file in one dated archive."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, backup


class Command(BaseCommand):
    help = "Write a dated archive of the database and the stored files (see README, Betrieb)."

    def add_arguments(self, parser):
        parser.add_argument(
            "folder",
            nargs="?",
            default=str(settings.MIGLOBE_BACKUP_DIR),
            help="Where the archive goes (default: MIGLOBE_BACKUP_DIR).",
        )

    def handle(self, *args, folder: str, **options):
        try:
            archive = backup(Path(folder))
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{archive} ({archive.stat().st_size:,} bytes)")
