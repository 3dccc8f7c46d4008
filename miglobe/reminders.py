"""Deadline reminders: what is due, for whom, and one digest email per person.

A daily sweep (miglobe.tasks.send_deadline_reminders) collects every
reminder due today, then for each recipient claims them in the ReminderLog
inside one transaction (the unique rule on item, kind, recipient and date
refuses what another or an earlier sweep claimed) and queues one digest. The
digest task sends the email and only then marks its rows sent; an SMTP error
rolls that back and the task retries with growing pauses.

Windows are ranges, not single days, so a sweep that did not run one day
catches up the next without sending anything twice: a milestone is announced
once when 14 days or less remain, once at 3 days or less, on the day, and once
a week while it is overdue.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone, translation

from .emails import render_email
from .models import ReminderKind, ReminderLog

UNREVIEWED_AFTER_WORKING_DAYS = 5


@dataclass(frozen=True)
class Recipient:
    email: str
    name: str = ""
    language: str = "de"


@dataclass
class Reminder:
    kind: str
    item: str
    recipient: Recipient
    due_on: date
    payload: dict = field(default_factory=dict)

    @property
    def key(self) -> tuple:
        return (self.item, self.kind, self.recipient.email, self.due_on)


def _person(user) -> Recipient:
    return Recipient(
        email=user.email.lower(),
        name=user.get_full_name(),
        language=getattr(user, "language", "") or settings.LANGUAGE_CODE,
    )


# --- Working days ------------------------------------------------------------------------


def is_working_day(day: date, state: str = "") -> bool:
    from events.holidays import is_german_public_holiday

    return day.weekday() < 5 and not is_german_public_holiday(day, state)


def add_working_days(start: date, days: int, *, state: str = "") -> date:
    """The date `days` working days after `start` (weekends and the state's holidays skipped)."""
    current = start
    while days > 0:
        current += timedelta(days=1)
        if is_working_day(current, state):
            days -= 1
    return current


def month_end(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def last_working_day_of_month(day: date) -> date:
    current = month_end(day)
    while not is_working_day(current):
        current -= timedelta(days=1)
    return current


# --- What is due -------------------------------------------------------------------------


def milestone_window(due_on: date, today: date) -> tuple[str, date] | None:
    """The reminder kind and its key date for a milestone due on `due_on`, or None."""
    left = (due_on - today).days
    if left < 0:
        # Once a week while overdue: keyed by the first day of the current overdue week.
        weeks = (-left - 1) // 7
        return ReminderKind.MILESTONE_OVERDUE, due_on + timedelta(days=1 + 7 * weeks)
    if left == 0:
        return ReminderKind.MILESTONE_TODAY, due_on
    if left <= 3:
        return ReminderKind.MILESTONE_IN_3_DAYS, due_on
    if left <= 14:
        return ReminderKind.MILESTONE_IN_14_DAYS, due_on
    return None


def _site(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def milestone_reminders(today: date) -> list[Reminder]:
    from engagements.enums import EngagementStatus
    from engagements.models import EngagementAdvisor, Milestone, MunicipalOfficer

    milestones = (
        Milestone.objects.filter(
            done_on__isnull=True,
            due_on__lte=today + timedelta(days=14),
            engagement__status__in=[EngagementStatus.PLANNED, EngagementStatus.ACTIVE],
        )
        .select_related("engagement__municipality")
        .prefetch_related(
            Prefetch(
                "engagement__assignments",
                queryset=EngagementAdvisor.objects.filter(
                    advisor__user__is_active=True
                ).select_related("advisor__user"),
            ),
            Prefetch(
                "engagement__municipality__officers",
                queryset=MunicipalOfficer.objects.filter(
                    confirmed_at__isnull=False, user__is_active=True
                ).select_related("user"),
                to_attr="confirmed_officers",
            ),
        )
        .order_by("due_on", "pk")
    )
    reminders = []
    for milestone in milestones:
        window = milestone_window(milestone.due_on, today)
        if window is None:
            continue
        kind, key_date = window
        engagement = milestone.engagement
        payload = {
            "title": milestone.title,
            "context": engagement.title,
            "date": milestone.due_on.isoformat(),
        }
        advisor_url = _site(reverse("advisors:engagement", args=[engagement.pk]))
        for assignment in engagement.assignments.all():
            reminders.append(
                Reminder(kind, f"milestone:{milestone.pk}", _person(assignment.advisor.user),
                         key_date, {**payload, "url": advisor_url})
            )  # fmt: skip
        officer_url = _site(
            reverse("engagements:request_detail", args=[engagement.request_id])
            if engagement.request_id
            else reverse("engagements:request_list")
        )
        for officer in engagement.municipality.confirmed_officers:
            reminders.append(
                Reminder(kind, f"milestone:{milestone.pk}", _person(officer.user), key_date,
                         {**payload, "url": officer_url})
            )  # fmt: skip
    return reminders


def skew_staff():
    """Active staff who review requests."""
    User = get_user_model()
    return (
        User.objects.filter(is_active=True, is_staff=True)
        .filter(
            Q(is_superuser=True)
            | Q(groups__permissions__codename="change_consultationrequest")
            | Q(user_permissions__codename="change_consultationrequest")
        )
        .distinct()
        .order_by("email")
    )


def unreviewed_request_reminders(today: date) -> list[Reminder]:
    from engagements.enums import RequestStatus
    from engagements.models import ConsultationRequest

    staff = [_person(user) for user in skew_staff()]
    if not staff:
        return []
    reminders = []
    requests = (
        ConsultationRequest.objects.filter(
            status=RequestStatus.SUBMITTED, submitted_at__isnull=False
        )
        .select_related("municipality")
        .order_by("submitted_at", "pk")
    )
    for consultation_request in requests:
        submitted = timezone.localdate(consultation_request.submitted_at)
        deadline = add_working_days(
            submitted,
            UNREVIEWED_AFTER_WORKING_DAYS,
            state=consultation_request.municipality.federal_state,
        )
        if deadline > today:
            continue
        payload = {
            "title": str(consultation_request),
            "context": consultation_request.municipality.name,
            "date": submitted.isoformat(),
            "url": _site(
                reverse(
                    "admin:engagements_consultationrequest_change",
                    args=[consultation_request.pk],
                )
            ),
        }
        for person in staff:
            reminders.append(
                Reminder(ReminderKind.REQUEST_UNREVIEWED, f"request:{consultation_request.pk}",
                         person, deadline, payload)
            )  # fmt: skip
    return reminders


def draft_entry_reminders(today: date) -> list[Reminder]:
    """From the month's last working day on: advisors with drafts of time or expenses."""
    from advisors.models import Advisor
    from engagements.enums import EntryStatus

    if today < last_working_day_of_month(today):
        return []
    last_day = month_end(today)
    advisors = (
        Advisor.objects.filter(user__is_active=True)
        .filter(
            Q(timeentrys__status=EntryStatus.DRAFT, timeentrys__date__lte=last_day)
            | Q(expenses__status=EntryStatus.DRAFT, expenses__date__lte=last_day)
        )
        .select_related("user")
        .distinct()
        .order_by("pk")
    )
    url = _site(reverse("advisors:dashboard"))
    return [
        Reminder(
            ReminderKind.DRAFT_ENTRIES,
            f"advisor:{advisor.pk}",
            _person(advisor.user),
            last_day,
            {"title": "", "context": "", "date": last_day.isoformat(), "url": url},
        )
        for advisor in advisors
    ]


def event_reminders(today: date) -> list[Reminder]:
    """Confirmed registrants of the events that start tomorrow."""
    from events.enums import RegistrationStatus
    from events.models import Registration
    from events.services import cancel_token

    tomorrow = today + timedelta(days=1)
    start = timezone.make_aware(datetime.combine(tomorrow, time.min))
    registrations = (
        Registration.objects.filter(
            status=RegistrationStatus.CONFIRMED,
            event__starts_at__gte=start,
            event__starts_at__lt=start + timedelta(days=1),
        )
        .select_related("event")
        .order_by("pk")
    )
    reminders = []
    for registration in registrations:
        event = registration.event
        reminders.append(
            Reminder(
                ReminderKind.EVENT_TOMORROW,
                f"registration:{registration.pk}",
                Recipient(registration.email.lower(), registration.name, registration.language),
                tomorrow,
                {
                    "title": event.title,
                    "context": ", ".join(p for p in [event.venue, event.venue_address] if p),
                    "date": timezone.localtime(event.starts_at).isoformat(),
                    "url": _site(event.get_absolute_url()),
                    "cancel_url": _site(
                        reverse("events:cancel", args=[cancel_token(registration)])
                    ),
                },
            )
        )
    return reminders


COLLECTORS = [
    milestone_reminders,
    unreviewed_request_reminders,
    draft_entry_reminders,
    event_reminders,
]


def due_reminders(today: date) -> list[Reminder]:
    return [reminder for collect in COLLECTORS for reminder in collect(today)]


# --- Claiming and sending ---------------------------------------------------------------


def _claim(reminders: list[Reminder]) -> list[int]:
    """Insert the recipient's rows; those another sweep holds or sent are skipped.

    Rows go in a fixed order, so two sweeps meet on the same first row: the
    second waits for the first to commit, then finds every row taken.
    """
    claimed = []
    for reminder in sorted(reminders, key=lambda r: r.key):
        try:
            with transaction.atomic():
                log = ReminderLog.objects.create(
                    kind=reminder.kind,
                    item=reminder.item,
                    recipient=reminder.recipient.email,
                    due_on=reminder.due_on,
                    language=reminder.recipient.language,
                    payload={**reminder.payload, "name": reminder.recipient.name},
                )
        except IntegrityError:
            continue
        claimed.append(log.pk)
    return claimed


def sweep(today: date | None = None) -> int:
    """Claim today's reminders and queue one digest per recipient; returns the digests queued."""
    from .tasks import send_reminder_digest

    today = today or timezone.localdate()
    by_recipient: dict[str, list[Reminder]] = defaultdict(list)
    for reminder in due_reminders(today):
        by_recipient[reminder.recipient.email].append(reminder)
    queued = 0
    for email in sorted(by_recipient):
        with transaction.atomic():
            claimed = _claim(by_recipient[email])
            if claimed:
                transaction.on_commit(lambda ids=claimed: send_reminder_digest.delay(log_ids=ids))
                queued += 1
    return queued


def _items_for_email(logs: list[ReminderLog]) -> list[dict]:
    items = []
    for log in logs:
        payload = dict(log.payload)
        payload["date"] = datetime.fromisoformat(payload["date"])  # every collector sets one
        payload["kind"] = log.kind
        payload["kind_label"] = log.get_kind_display()
        items.append(payload)
    order = [choice for choice, _label in ReminderKind.choices]
    return sorted(items, key=lambda i: (order.index(i["kind"]), str(i["date"])))


def send_digest(log_ids: list[int]) -> int:
    """Send one recipient's unsent reminders as one email; returns how many it covered.

    The rows stay locked while the email goes out, so a task delivered twice
    sends once; they are marked sent only after the SMTP server took the mail.
    """
    with transaction.atomic():
        logs = list(
            ReminderLog.objects.select_for_update(skip_locked=True)
            .filter(pk__in=log_ids, sent_at__isnull=True)
            .order_by("pk")
        )
        if not logs:
            return 0
        recipient = logs[0].recipient
        logs = [log for log in logs if log.recipient == recipient]
        language = logs[0].language or settings.LANGUAGE_CODE
        with translation.override(language):  # the kinds' labels, in the recipient's language
            items = _items_for_email(logs)
        subject, text, html = render_email(
            "reminder_digest", {"items": items, "name": logs[0].payload.get("name", "")}, language
        )
        message = EmailMultiAlternatives(
            subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=[recipient]
        )
        message.attach_alternative(html, "text/html")
        message.send()
        ReminderLog.objects.filter(pk__in=[log.pk for log in logs]).update(sent_at=timezone.now())
        return len(logs)
