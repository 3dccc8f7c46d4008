"""The periodic tasks: written by the migration, each pointing at a task the worker knows."""

from importlib import import_module

import pytest
from django.apps import apps
from django.core.management import call_command
from django_celery_beat.models import PeriodicTask

from miglobe.celery import app
from miglobe.schedules import SCHEDULES

pytestmark = pytest.mark.django_db

MIGRATION = import_module("miglobe.migrations.0001_site_and_schedules")
MIGRATIONS = [
    MIGRATION,
    import_module("miglobe.migrations.0002_outbox_and_report_schedules"),
    import_module("miglobe.migrations.0003_follow_up_schedule"),
    import_module("miglobe.migrations.0004_survey_reminder_schedule"),
    import_module("miglobe.migrations.0005_council_watch_schedule"),
]


def test_the_migration_wrote_every_schedule_with_its_time():
    tasks = {task.name: task for task in PeriodicTask.objects.select_related("crontab")}
    for schedule in SCHEDULES:
        task = tasks[schedule.key]
        assert task.enabled and task.task == schedule.task
        assert (task.crontab.minute, task.crontab.hour, task.crontab.day_of_month) == (
            schedule.minute,
            schedule.hour,
            schedule.day_of_month,
        )
        assert str(task.crontab.timezone) == "Europe/Berlin"
        assert task.description == schedule.description


def test_every_scheduled_task_exists():
    app.loader.import_default_modules()
    for schedule in SCHEDULES:
        assert schedule.task in app.tasks, f"{schedule.task} is not a registered task"


def test_setup_schedules_restores_what_is_missing_and_keeps_staff_changes():
    reminders = PeriodicTask.objects.get(name="deadline-reminders")
    reminders.enabled = False  # staff switched it off
    reminders.description = "Vom Team umbenannt"
    reminders.save()
    PeriodicTask.objects.filter(name="reimbursement-reports").delete()
    call_command("setup_schedules", verbosity=0)
    assert PeriodicTask.objects.filter(task="engagements.tasks.monthly_reports").count() == 1
    kept = PeriodicTask.objects.get(pk=reminders.pk)
    assert not kept.enabled and kept.description == "Vom Team umbenannt"


def test_the_migration_keeps_its_own_copy_of_what_it_writes(monkeypatch):
    # A later change of schedules.py must not change what the migration writes.
    monkeypatch.setattr("miglobe.schedules.SCHEDULES", [])
    PeriodicTask.objects.all().delete()

    for migration in MIGRATIONS:
        migration.write_schedules(apps, None)

    assert set(PeriodicTask.objects.values_list("name", flat=True)) == {
        schedule.key for schedule in SCHEDULES
    }


def test_running_the_migration_again_leaves_existing_schedules_alone():
    PeriodicTask.objects.filter(name="deadline-reminders").update(enabled=False)

    MIGRATION.write_schedules(apps, None)

    assert PeriodicTask.objects.filter(name="deadline-reminders").count() == 1
    assert not PeriodicTask.objects.get(name="deadline-reminders").enabled
