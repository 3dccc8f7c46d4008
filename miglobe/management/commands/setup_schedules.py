from django.core.management.base import BaseCommand
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from miglobe.schedules import ensure_schedules


class Command(BaseCommand):
    help = "Create the portal's periodic tasks that are missing (never changes existing ones)."

    def handle(self, *args, **options):
        created = ensure_schedules(PeriodicTask, CrontabSchedule)
        self.stdout.write(f"{created} periodic task(s) created.")
