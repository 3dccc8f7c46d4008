"""The periodic tasks of the email outbox and of reports whose worker died.

Frozen copies, like 0001: what `manage.py setup_schedules` writes comes from
miglobe/schedules.py.
"""

from importlib import import_module

from django.db import migrations

# A module name that starts with a digit is imported by name.
FIRST = import_module("miglobe.migrations.0001_site_and_schedules")

SCHEDULES = [
    (
        "email-outbox",
        "core.tasks.flush_outbox",
        "*",
        "*",
        "*",
        "Postausgang (jede Minute): fällige E-Mails senden, Fehlschläge erneut versuchen, "
        "liegengebliebene E-Mails wieder aufnehmen.",
    ),
    (
        "resume-reports",
        "engagements.tasks.resume_reports",
        "20",
        "*",
        "*",
        "Erstattungsberichte fortsetzen (stündlich): Berichte, die seit 15 Minuten auf ihre "
        "Erstellung warten, erneut anstoßen.",
    ),
]


def write_schedules(apps, schema_editor):
    FIRST.write(apps, SCHEDULES)


class Migration(migrations.Migration):
    dependencies = [("miglobe", "0001_site_and_schedules")]

    operations = [migrations.RunPython(write_schedules, migrations.RunPython.noop)]
