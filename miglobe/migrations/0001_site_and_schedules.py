"""The site's name and domain, and the portal's periodic tasks.

Frozen copies: a migration writes what it wrote the day it was made, whatever
miglobe/schedules.py holds later (`manage.py setup_schedules` writes today's).
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.db import migrations

# (name, task, minute, hour, day of month, description), as in miglobe/schedules.py.
SCHEDULES = [
    (
        "deadline-reminders",
        "core.tasks.send_deadline_reminders",
        "0",
        "7",
        "*",
        "Erinnerungen an Fristen (täglich): Meilensteine, ungeprüfte Anfragen, "
        "Entwürfe zum Monatsende, Veranstaltungen.",
    ),
    (
        "reimbursement-reports",
        "engagements.tasks.monthly_reports",
        "0",
        "6",
        "1",
        "Erstattungsberichte (monatlich): Bericht des Vormonats je Pool an SKEW_REPORT_EMAIL.",
    ),
    (
        "purge-unconfirmed-registrations",
        "events.tasks.purge_unconfirmed_registrations",
        "30",
        "3",
        "*",
        "Unbestätigte Anmeldungen löschen (täglich): Anmeldungen, die nicht binnen 48 Stunden "
        "bestätigt wurden.",
    ),
    (
        "personal-data-retention",
        "core.tasks.forget_old_personal_data",
        "45",
        "3",
        "*",
        "Personenbezogene Daten nach Ablauf der Frist löschen (täglich): Anmeldungen "
        "vergangener Veranstaltungen anonymisieren, alte Erinnerungen und abgelehnte "
        "Verzeichnisvorschläge löschen.",
    ),
]


def name_site(apps, schema_editor):
    """allauth's emails use the site's name and domain: not Django's example.com."""
    Site = apps.get_model("sites", "Site")
    domain = urlsplit(settings.SITE_URL).netloc or "127.0.0.1:8000"
    Site.objects.update_or_create(
        pk=settings.SITE_ID, defaults={"domain": domain, "name": "MiGlobe"}
    )


def write_schedules(apps, schema_editor):
    write(apps, SCHEDULES)


def write(apps, schedules):
    """Create the periodic tasks of `schedules` that do not exist yet (by name)."""
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    for name, task, minute, hour, day_of_month, description in schedules:
        if PeriodicTask.objects.filter(name=name).exists():
            continue
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute=minute,
            hour=hour,
            day_of_month=day_of_month,
            month_of_year="*",
            day_of_week="*",
            timezone="Europe/Berlin",
        )
        PeriodicTask.objects.create(
            name=name, task=task, crontab=crontab, description=description, enabled=True
        )


class Migration(migrations.Migration):
    dependencies = [
        ("sites", "0002_alter_domain_unique"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.RunPython(name_site, migrations.RunPython.noop),
        migrations.RunPython(write_schedules, migrations.RunPython.noop),
    ]
