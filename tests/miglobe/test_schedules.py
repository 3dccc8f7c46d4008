"""The periodic tasks: written by the migration, each pointing at a task the worker knows."""

import pytest
from django.core.management import call_command
from django_celery_beat.models import PeriodicTask

from miglobe.celery import app
from miglobe.schedules import SCHEDULES

pytestmark = pytest.mark.django_db


def test_the_migration_wrote_every_schedule_with_its_time():
    tasks = {task.name: task for task in PeriodicTask.objects.select_related("crontab")}
    for schedule in SCHEDULES:
        task = tasks[schedule.name]
        assert task.enabled and task.task == schedule.task
        assert (task.crontab.minute, task.crontab.hour, task.crontab.day_of_month) == (
            schedule.minute,
            schedule.hour,
            schedule.day_of_month,
        )
        assert str(task.crontab.timezone) == "Europe/Berlin"


def test_every_scheduled_task_exists():
    app.loader.import_default_modules()
    for schedule in SCHEDULES:
        assert schedule.task in app.tasks, f"{schedule.task} is not a registered task"


def test_setup_schedules_restores_what_is_missing_and_keeps_staff_changes():
    reminders = PeriodicTask.objects.get(task="miglobe.tasks.send_deadline_reminders")
    reminders.enabled = False  # staff switched it off
    reminders.save()
    PeriodicTask.objects.filter(task="engagements.tasks.monthly_reports").delete()
    call_command("setup_schedules", verbosity=0)
    assert PeriodicTask.objects.filter(task="engagements.tasks.monthly_reports").count() == 1
    assert not PeriodicTask.objects.get(pk=reminders.pk).enabled


def test_a_later_migration_writes_only_the_schedule_it_adds():
    from django.apps import apps

    from miglobe.schedules import RETENTION, creating

    # Staff deleted the monthly reports; the retention schedule is new.
    PeriodicTask.objects.filter(task="engagements.tasks.monthly_reports").delete()
    PeriodicTask.objects.filter(name=RETENTION).delete()

    creating(RETENTION)(apps, None)

    assert PeriodicTask.objects.filter(name=RETENTION).count() == 1
    assert not PeriodicTask.objects.filter(task="engagements.tasks.monthly_reports").exists()
