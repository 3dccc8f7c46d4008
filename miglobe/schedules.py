"""Every periodic task of the portal, in one place.

Celery beat reads them from the database (django-celery-beat), where staff can
see them, switch them off or move them in the admin. Each schedule is known by
a stable key (the periodic task's name), so a changed German label or time
never makes a second one. `ensure_schedules()` writes the missing ones and
never overwrites what staff changed: the command `manage.py setup_schedules`
calls it. The data migrations that first wrote them carry frozen copies
(migrations must not follow this file). Times are Europe/Berlin.
"""

from dataclasses import dataclass

TIMEZONE = "Europe/Berlin"


@dataclass(frozen=True)
class Schedule:
    key: str  # the periodic task's name: stable, never shown translated
    task: str
    minute: str
    hour: str
    day_of_month: str = "*"
    description: str = ""  # what staff read in the admin


SCHEDULES = [
    # Daily at 07:00: milestone deadlines, unreviewed requests, month-end drafts,
    # tomorrow's events – one digest email per person.
    Schedule(
        key="deadline-reminders",
        task="core.tasks.send_deadline_reminders",
        minute="0",
        hour="7",
        description="Erinnerungen an Fristen (täglich): Meilensteine, ungeprüfte Anfragen, "
        "Entwürfe zum Monatsende, Veranstaltungen.",
    ),
    # Monthly on the 1st at 06:00: the previous month's reimbursement report per pool.
    Schedule(
        key="reimbursement-reports",
        task="engagements.tasks.monthly_reports",
        minute="0",
        hour="6",
        day_of_month="1",
        description="Erstattungsberichte (monatlich): Bericht des Vormonats je Pool an "
        "SKEW_REPORT_EMAIL.",
    ),
    # Daily at 03:30: registrations whose confirmation link expired are deleted.
    Schedule(
        key="purge-unconfirmed-registrations",
        task="events.tasks.purge_unconfirmed_registrations",
        minute="30",
        hour="3",
        description="Unbestätigte Anmeldungen löschen (täglich): Anmeldungen, die nicht "
        "binnen 48 Stunden bestätigt wurden.",
    ),
    # Daily at 03:45: personal data past MIGLOBE_PERSONAL_DATA_RETENTION_DAYS is removed.
    Schedule(
        key="personal-data-retention",
        task="core.tasks.forget_old_personal_data",
        minute="45",
        hour="3",
        description="Personenbezogene Daten nach Ablauf der Frist löschen (täglich): "
        "Anmeldungen vergangener Veranstaltungen anonymisieren, alte Erinnerungen und "
        "abgelehnte Verzeichnisvorschläge löschen.",
    ),
    # Every minute: the email outbox sends what is due (also everything that waited while
    # the broker was down), retries failures and takes back mail a dead worker held.
    Schedule(
        key="email-outbox",
        task="core.tasks.flush_outbox",
        minute="*",
        hour="*",
        description="Postausgang (jede Minute): fällige E-Mails senden, Fehlschläge "
        "erneut versuchen, liegengebliebene E-Mails wieder aufnehmen.",
    ),
    # Daily at 08:00: the municipality is asked 6 and 12 months after completion what
    # became of the action options, and reminded once two weeks later.
    Schedule(
        key="follow-ups",
        task="outcomes.tasks.ask_follow_ups",
        minute="0",
        hour="8",
        description="Nachfragen zur Umsetzung (täglich): 6 und 12 Monate nach Abschluss "
        "eines Einsatzes die Kommune fragen, einmal erinnern.",
    ),
    # Daily at 09:00: a week before a survey ends, those invited who have not answered.
    Schedule(
        key="survey-reminders",
        task="surveys.tasks.remind_surveys",
        minute="0",
        hour="9",
        description="Befragungen (täglich): eine Woche vor dem Ende einmal an die "
        "Eingeladenen erinnern, die noch nicht geantwortet haben.",
    ),
    # Daily at 06:30: the council papers changed since the last run; matches become leads.
    Schedule(
        key="council-watch",
        task="council.tasks.watch_councils",
        minute="30",
        hour="6",
        description="Ratsbeobachtung (täglich): in den Ratsinformationssystemen die seit dem "
        "letzten Lauf geänderten Vorlagen lesen; Treffer mit Stichwörtern werden Hinweise.",
    ),
    # Hourly at :20: reports still pending after 15 minutes (their worker died) go on.
    Schedule(
        key="resume-reports",
        task="engagements.tasks.resume_reports",
        minute="20",
        hour="*",
        description="Erstattungsberichte fortsetzen (stündlich): Berichte, die seit "
        "15 Minuten auf ihre Erstellung warten, erneut anstoßen.",
    ),
]


def ensure_schedules(periodic_task_model, crontab_model) -> int:
    """Create the periodic tasks that are missing; returns how many were created."""
    created = 0
    for schedule in SCHEDULES:
        if periodic_task_model.objects.filter(name=schedule.key).exists():
            continue
        crontab, _ = crontab_model.objects.get_or_create(
            minute=schedule.minute,
            hour=schedule.hour,
            day_of_month=schedule.day_of_month,
            month_of_year="*",
            day_of_week="*",
            timezone=TIMEZONE,
        )
        periodic_task_model.objects.create(
            name=schedule.key,
            task=schedule.task,
            crontab=crontab,
            description=schedule.description,
            enabled=True,
        )
        created += 1
    return created
