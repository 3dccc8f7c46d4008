"""Every periodic task of the portal, in one place.

Celery beat reads them from the database (django-celery-beat), where staff can
see them, switch them off or move them in the admin. `ensure_schedules()`
writes these defaults once – by the data migrations (miglobe/0004 all of them,
later ones each the schedule they add) and by the command `manage.py
setup_schedules` – and never overwrites what staff changed.
Times are Europe/Berlin.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Schedule:
    name: str
    task: str
    minute: str
    hour: str
    day_of_month: str = "*"
    description: str = ""


RETENTION = "Personenbezogene Daten nach Ablauf der Frist löschen (täglich)"

SCHEDULES = [
    # Daily at 07:00: milestone deadlines, unreviewed requests, month-end drafts,
    # tomorrow's events – one digest email per person.
    Schedule(
        name="Erinnerungen an Fristen (täglich)",
        task="miglobe.tasks.send_deadline_reminders",
        minute="0",
        hour="7",
        description="Meilensteine, ungeprüfte Anfragen, Entwürfe zum Monatsende, Veranstaltungen.",
    ),
    # Monthly on the 1st at 06:00: the previous month's reimbursement report per pool.
    Schedule(
        name="Erstattungsberichte (monatlich)",
        task="engagements.tasks.monthly_reports",
        minute="0",
        hour="6",
        day_of_month="1",
        description="Bericht des Vormonats je Pool an SKEW_REPORT_EMAIL.",
    ),
    # Daily at 03:30: registrations whose confirmation link expired are deleted.
    Schedule(
        name="Unbestätigte Anmeldungen löschen (täglich)",
        task="events.tasks.purge_unconfirmed_registrations",
        minute="30",
        hour="3",
        description="Anmeldungen, die nicht binnen 48 Stunden bestätigt wurden.",
    ),
    # Daily at 03:45: personal data past MIGLOBE_PERSONAL_DATA_RETENTION_DAYS is removed.
    Schedule(
        name=RETENTION,
        task="miglobe.tasks.forget_old_personal_data",
        minute="45",
        hour="3",
        description=(
            "Anmeldungen vergangener Veranstaltungen anonymisieren, alte Erinnerungen und "
            "abgelehnte Verzeichnisvorschläge löschen."
        ),
    ),
]


def ensure_schedules(
    periodic_task_model, crontab_model, timezone: str = "Europe/Berlin", names=None
) -> int:
    """Create the missing periodic tasks (of `names`, or all); returns how many were created.

    Takes the models as arguments so a migration can pass its historical ones.
    """
    created = 0
    for schedule in SCHEDULES:
        if names is not None and schedule.name not in names:
            continue
        if periodic_task_model.objects.filter(name=schedule.name).exists():
            continue
        crontab, _ = crontab_model.objects.get_or_create(
            minute=schedule.minute,
            hour=schedule.hour,
            day_of_month=schedule.day_of_month,
            month_of_year="*",
            day_of_week="*",
            timezone=timezone,
        )
        periodic_task_model.objects.create(
            name=schedule.name,
            task=schedule.task,
            crontab=crontab,
            description=schedule.description,
            enabled=True,
        )
        created += 1
    return created


def creating(*names: str):
    """A data migration's step that writes the named schedules (all when none are named).

    A migration that adds a schedule names it, so a schedule that staff deleted
    or renamed since is not written again.
    """

    def create(apps, schema_editor) -> None:
        ensure_schedules(
            apps.get_model("django_celery_beat", "PeriodicTask"),
            apps.get_model("django_celery_beat", "CrontabSchedule"),
            names=set(names) or None,
        )

    return create
