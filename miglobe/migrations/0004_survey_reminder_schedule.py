"""The periodic task that reminds those invited to a survey a week before it ends.

A frozen copy, like 0001 to 0003.
"""

from importlib import import_module

from django.db import migrations

# A module name that starts with a digit is imported by name.
FIRST = import_module("miglobe.migrations.0001_site_and_schedules")

SCHEDULES = [
    (
        "survey-reminders",
        "surveys.tasks.remind_surveys",
        "0",
        "9",
        "*",
        "Befragungen (täglich): eine Woche vor dem Ende einmal an die Eingeladenen erinnern, "
        "die noch nicht geantwortet haben.",
    ),
]


def write_schedules(apps, schema_editor):
    FIRST.write(apps, SCHEDULES)


class Migration(migrations.Migration):
    dependencies = [("miglobe", "0003_follow_up_schedule")]

    operations = [migrations.RunPython(write_schedules, migrations.RunPython.noop)]
