"""The periodic task that asks municipalities 6 and 12 months after completion.

A frozen copy, like 0001 and 0002.
"""

from importlib import import_module

from django.db import migrations

# A module name that starts with a digit is imported by name.
FIRST = import_module("miglobe.migrations.0001_site_and_schedules")

SCHEDULES = [
    (
        "follow-ups",
        "outcomes.tasks.ask_follow_ups",
        "0",
        "8",
        "*",
        "Nachfragen zur Umsetzung (täglich): 6 und 12 Monate nach Abschluss eines Einsatzes die "
        "Kommune fragen, einmal erinnern.",
    ),
]


def write_schedules(apps, schema_editor):
    FIRST.write(apps, SCHEDULES)


class Migration(migrations.Migration):
    dependencies = [("miglobe", "0002_outbox_and_report_schedules")]

    operations = [migrations.RunPython(write_schedules, migrations.RunPython.noop)]
