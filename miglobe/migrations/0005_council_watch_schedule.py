"""The periodic task that reads the council information systems for papers on the subject.

A frozen copy, like 0001 to 0004.
"""

from importlib import import_module

from django.db import migrations

# A module name that starts with a digit is imported by name.
FIRST = import_module("miglobe.migrations.0001_site_and_schedules")

SCHEDULES = [
    (
        "council-watch",
        "council.tasks.watch_councils",
        "30",
        "6",
        "*",
        "Ratsbeobachtung (täglich): in den Ratsinformationssystemen die seit dem letzten Lauf "
        "geänderten Vorlagen lesen; Treffer mit Stichwörtern werden Hinweise.",
    ),
]


def write_schedules(apps, schema_editor):
    FIRST.write(apps, SCHEDULES)


class Migration(migrations.Migration):
    dependencies = [("miglobe", "0004_survey_reminder_schedule")]

    operations = [migrations.RunPython(write_schedules, migrations.RunPython.noop)]
