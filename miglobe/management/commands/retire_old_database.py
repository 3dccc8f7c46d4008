"""`manage.py retire_old_database`: move a laptop's SQLite file aside if its migrations are gone.

In December 2026 the migrations of every app were squashed to one clean set and the
user model moved to the `core` app. A `db.sqlite3` from before then records
migrations that no longer exist, and `migrate` would fail on it. `make run` calls
this command first: such a file is renamed (nothing is deleted), and the demo is
loaded into a new one. Any other database is only reported, never touched.
"""

from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import connection
from django.db.migrations.loader import MigrationLoader

OUR_APPS = {"core", "advisors", "engagements", "actors", "events", "workspace", "miglobe"}


def stale_migrations() -> list[tuple[str, str]]:
    """Applied migrations of our apps that are no longer on disk."""
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    return sorted(
        key
        for key in loader.applied_migrations
        if key[0] in OUR_APPS and key not in loader.disk_migrations
    )


class Command(BaseCommand):
    help = "Benennt eine alte SQLite-Datenbank um, deren Migrationen es nicht mehr gibt."

    def handle(self, *args, **options):
        stale = stale_migrations()
        if not stale:
            return
        names = ", ".join(f"{app}.{name}" for app, name in stale[:5])
        if connection.vendor != "sqlite":
            self.stderr.write(
                f"Diese Datenbank kennt Migrationen, die es nicht mehr gibt ({names}). "
                "Bitte eine neue Datenbank anlegen; README, Abschnitt „Migrationen“."
            )
            return
        path = Path(connection.settings_dict["NAME"])
        connection.close()
        retired = path.with_name(path.name + ".before-squash")
        path.rename(retired)
        self.stdout.write(
            f"{path.name} stammt aus der Zeit vor den neu aufgesetzten Migrationen "
            f"({names}); umbenannt in {retired.name}. Die Demo-Welt wird neu angelegt."
        )
