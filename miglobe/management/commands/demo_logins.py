"""`manage.py demo_logins`: print the demo logins that `load_demo` creates."""

from django.core.management.base import BaseCommand
from django.db import DatabaseError

from core.models import User
from miglobe.demo import DEMO_LOGINS, PASSWORD


class Command(BaseCommand):
    help = "Zeigt die Demo-Zugänge mit ihrer Rolle und dem Passwort."

    def handle(self, *args, **options):
        try:
            existing = set(
                User.objects.filter(email__in=[e for e, _ in DEMO_LOGINS]).values_list(
                    "email", flat=True
                )
            )
        except DatabaseError:  # not migrated yet
            existing = set()
        width = max(len(email) for email, _ in DEMO_LOGINS) + 2
        self.stdout.write(f"Demo-Zugänge (Passwort für alle: {PASSWORD}):")
        for email, role in DEMO_LOGINS:
            self.stdout.write(f"  {email:<{width}}{role}")
        if len(existing) < len(DEMO_LOGINS):
            self.stdout.write(
                self.style.WARNING(
                    "Noch nicht (alle) angelegt: erst `python manage.py load_demo` ausführen."
                )
            )
