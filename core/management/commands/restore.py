"""`manage.py restore ARCHIVE`: an archive of `backup` into an empty database and storage."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore an archive written by `backup` into an empty database and an empty "
        "file storage; every checksum is checked first."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="The .tar file written by `manage.py backup`.")

    def handle(self, *args, archive: str, **options):
        path = Path(archive)
        if not path.is_file():
            raise CommandError(f"{path} does not exist.")
        try:
            restored = restore(path)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Restored {restored.database} and {restored.files} stored files.")
        if restored.pending_migrations:
            self.stdout.write(
                "The code is newer than the backup: run `manage.py migrate` "
                f"({len(restored.pending_migrations)} migrations to apply)."
            )
