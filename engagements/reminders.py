"""What the daily reminder digest says about engagements, requests and costs.

Registered with core.reminders in EngagementsConfig.ready(). A milestone is
announced once when 14 days or less remain, once at 3 days or less, on the
day, and once a week while it is overdue; a request not taken into review
within five working days reminds the SKEW team; advisors with drafts hear of
them from the month's last working day on.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone

from advisors.models import Advisor
from core.permissions import Capability, holders
from core.reminders import Recipient, Reminder, site_url
from core.workdays import add_working_days, last_working_day_of_month, month_end

from .enums import EngagementReminder, EntryStatus, RequestStatus
from .models import ConsultationRequest, EngagementAdvisor, Milestone, MunicipalOfficer

UNREVIEWED_AFTER_WORKING_DAYS = 5


def milestone_window(due_on: date, today: date) -> tuple[str, date] | None:
    """The reminder kind and its key date for a milestone due on `due_on`, or None."""
    left = (due_on - today).days
    if left < 0:
        # Once a week while overdue: keyed by the first day of the current overdue week.
        weeks = (-left - 1) // 7
        return EngagementReminder.MILESTONE_OVERDUE, due_on + timedelta(days=1 + 7 * weeks)
    if left == 0:
        return EngagementReminder.MILESTONE_TODAY, due_on
    if left <= 3:
        return EngagementReminder.MILESTONE_IN_3_DAYS, due_on
    if left <= 14:
        return EngagementReminder.MILESTONE_IN_14_DAYS, due_on
    return None


def milestone_reminders(today: date) -> list[Reminder]:
    milestones = (
        Milestone.objects.open()
        .of_running_engagements()
        .filter(due_on__lte=today + timedelta(days=14))
        .select_related("engagement__municipality")
        .prefetch_related(
            Prefetch(
                "engagement__assignments",
                queryset=EngagementAdvisor.objects.current()
                .filter(advisor__user__is_active=True)
                .select_related("advisor__user"),
            ),
            Prefetch(
                "engagement__municipality__officers",
                queryset=MunicipalOfficer.objects.confirmed()
                .filter(user__is_active=True)
                .select_related("user"),
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
        item = f"milestone:{milestone.pk}"
        payload = {
            "title": milestone.title,
            "context": engagement.title,
            "date": milestone.due_on.isoformat(),
        }
        advisor_url = site_url(reverse("workspace:engagement", args=[engagement.pk]))
        for assignment in engagement.assignments.all():
            recipient = Recipient.of_user(assignment.advisor.user)
            reminders.append(
                Reminder(kind, item, recipient, key_date, {**payload, "url": advisor_url})
            )
        officer_url = site_url(
            reverse("engagements:request_detail", args=[engagement.consultation_request_id])
            if engagement.consultation_request_id
            else reverse("engagements:request_list")
        )
        for officer in engagement.municipality.confirmed_officers:
            recipient = Recipient.of_user(officer.user)
            reminders.append(
                Reminder(kind, item, recipient, key_date, {**payload, "url": officer_url})
            )
    return reminders


def unreviewed_request_reminders(today: date) -> list[Reminder]:
    staff = [Recipient.of_user(user) for user in holders(Capability.REVIEW_REQUESTS)]
    if not staff:
        return []
    reminders = []
    waiting = (
        ConsultationRequest.objects.filter(
            status=RequestStatus.SUBMITTED, submitted_at__isnull=False
        )
        .select_related("municipality")
        .order_by("submitted_at", "pk")
    )
    for consultation_request in waiting:
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
            "url": site_url(
                reverse(
                    "admin:engagements_consultationrequest_change",
                    args=[consultation_request.pk],
                )
            ),
        }
        item = f"request:{consultation_request.pk}"
        for person in staff:
            reminders.append(
                Reminder(EngagementReminder.REQUEST_UNREVIEWED, item, person, deadline, payload)
            )
    return reminders


def kept_reminders() -> Q:
    """The reminder log rows of requests still waiting for review (core.retention keeps them).

    Their reminder's key date stays the same while they wait, so their log rows
    are what stops the reminder going out again.
    """
    waiting = ConsultationRequest.objects.filter(status=RequestStatus.SUBMITTED)
    items = [f"request:{pk}" for pk in waiting.values_list("pk", flat=True)]
    return Q(kind=EngagementReminder.REQUEST_UNREVIEWED, item__in=items)


def draft_entry_reminders(today: date) -> list[Reminder]:
    """From the month's last working day on: advisors with drafts of time or expenses."""
    if today < last_working_day_of_month(today):
        return []
    last_day = month_end(today)
    advisors = (
        Advisor.objects.filter(user__is_active=True)
        .filter(
            Q(time_entries__status=EntryStatus.DRAFT, time_entries__date__lte=last_day)
            | Q(expenses__status=EntryStatus.DRAFT, expenses__date__lte=last_day)
        )
        .select_related("user")
        .distinct()
        .order_by("pk")
    )
    url = site_url(reverse("workspace:dashboard"))
    return [
        Reminder(
            EngagementReminder.DRAFT_ENTRIES,
            f"advisor:{advisor.pk}",
            Recipient.of_user(advisor.user),
            last_day,
            {"title": "", "context": "", "date": last_day.isoformat(), "url": url},
        )
        for advisor in advisors
    ]


COLLECTORS = [milestone_reminders, unreviewed_request_reminders, draft_entry_reminders]
