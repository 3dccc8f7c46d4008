"""Six and twelve months after completion: the municipality is asked what became of it.

A daily task asks each completed engagement's officers once per point in time
(an email with a signed link that needs no password and is valid for
FOLLOW_UP_DAYS days), reminds them once after REMIND_AFTER_DAYS if nobody has
answered, and the answers are kept with their date. The question, the reminder
and their emails are each one transaction, so nothing is asked twice.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.emails import notify_users
from engagements.enums import EngagementStatus
from engagements.models import Engagement
from engagements.services import officers_of

from .enums import Decision, Implementation
from .models import ActionOption, FollowUp, FollowUpAnswer

if TYPE_CHECKING:
    from collections.abc import Mapping

SALT = "outcomes.follow-up"
POINTS = (6, 12)  # months after completion
FOLLOW_UP_DAYS = 60  # how long a link works
REMIND_AFTER_DAYS = 14


class FollowUpError(Exception):
    """A follow-up link or answer that cannot be taken, with a readable reason."""


def months_later(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (the month's last day where it is shorter)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def token_for(follow_up: FollowUp) -> str:
    return signing.dumps({"f": follow_up.pk}, salt=SALT)


def link_for(follow_up: FollowUp) -> str:
    return reverse("outcomes:follow_up", args=[token_for(follow_up)])


@dataclass
class Opened:
    follow_up: FollowUp | None
    problem: str = ""  # why the link does not open a form: expired, broken, answered


def open_link(token: str) -> Opened:
    try:
        data = signing.loads(token, salt=SALT, max_age=datetime.timedelta(days=FOLLOW_UP_DAYS))
    except signing.SignatureExpired:
        return Opened(
            None,
            _(
                "Dieser Link ist abgelaufen: er galt %(days)s Tage. Schreiben Sie der SKEW, "
                "wenn Sie noch antworten möchten."
            )
            % {"days": FOLLOW_UP_DAYS},
        )
    except signing.BadSignature:
        return Opened(None, _("Dieser Link ist unvollständig oder verändert worden."))
    follow_up = (
        FollowUp.objects.select_related("engagement__municipality").filter(pk=data.get("f")).first()
    )
    if follow_up is None:
        return Opened(None, _("Zu diesem Link gibt es keine Nachfrage mehr."))
    if follow_up.answered_at is not None:
        return Opened(
            follow_up,
            _("Diese Nachfrage wurde am %(date)s beantwortet. Vielen Dank!")
            % {"date": timezone.localtime(follow_up.answered_at).strftime("%d.%m.%Y")},
        )
    return Opened(follow_up)


def options_asked(follow_up: FollowUp) -> list[ActionOption]:
    """The options the municipality meant to carry out: adopted or planned."""
    return list(
        ActionOption.objects.filter(
            engagement_id=follow_up.engagement_id,
            decision__in=[Decision.ADOPTED, Decision.PLANNED],
        ).order_by("created_at", "pk")
    )


def _email(follow_up: FollowUp, *, reminder: bool) -> None:
    notify_users(
        officers_of(follow_up.engagement.municipality),
        template="follow_up",
        context={
            "engagement": follow_up.engagement,
            "follow_up": follow_up,
            "path": link_for(follow_up),
            "reminder": reminder,
            "days": FOLLOW_UP_DAYS,
        },
    )


def ask_due(today: datetime.date | None = None, now: datetime.datetime | None = None) -> int:
    """Ask every follow-up that is due and not asked yet, and remind once; how many emails."""
    today = today or timezone.localdate()
    now = now or timezone.now()
    written = 0
    completed = Engagement.objects.filter(
        status=EngagementStatus.COMPLETED, completed_on__isnull=False
    ).select_related("municipality")
    for months in POINTS:
        # Only those not asked yet: the daily run does not grow with the years behind it.
        for engagement in completed.exclude(follow_ups__months=months):
            if months_later(engagement.completed_on, months) > today:
                continue
            try:
                with transaction.atomic():
                    follow_up = FollowUp.objects.create(engagement=engagement, months=months)
                    follow_up.sent_at = now
                    follow_up.save(update_fields=["sent_at"])
                    _email(follow_up, reminder=False)
            except IntegrityError:
                continue  # another run asked it a moment ago
            written += 1
    written += _remind(now)
    return written


def _remind(now: datetime.datetime) -> int:
    reminded = 0
    due = FollowUp.objects.filter(
        answered_at__isnull=True,
        reminded_at__isnull=True,
        sent_at__lte=now - datetime.timedelta(days=REMIND_AFTER_DAYS),
        sent_at__gt=now - datetime.timedelta(days=FOLLOW_UP_DAYS),
    ).values_list("pk", flat=True)
    for pk in list(due):
        with transaction.atomic():
            follow_up = (
                FollowUp.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("engagement__municipality")
                .filter(pk=pk, reminded_at__isnull=True, answered_at__isnull=True)
                .first()
            )
            if follow_up is None:
                continue
            follow_up.reminded_at = now
            follow_up.save(update_fields=["reminded_at"])
            _email(follow_up, reminder=True)
            reminded += 1
    return reminded


@transaction.atomic
def answer(*, follow_up: FollowUp, answers: Mapping[int, tuple[str, str]]) -> FollowUp:
    """Keep the answers (option pk → implementation, note) with their date; once only."""
    follow_up = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    if follow_up.answered_at is not None:
        raise FollowUpError(_("Diese Nachfrage ist schon beantwortet."))
    asked = {option.pk: option for option in options_asked(follow_up)}
    if set(answers) != set(asked):
        raise FollowUpError(_("Bitte geben Sie zu jeder Handlungsoption den Stand an."))
    for pk, (implementation, note) in answers.items():
        if implementation not in Implementation.values:
            raise FollowUpError(_("Bitte geben Sie zu jeder Handlungsoption den Stand an."))
        FollowUpAnswer.objects.create(
            follow_up=follow_up, option=asked[pk], implementation=implementation, note=note.strip()
        )
    follow_up.answered_at = timezone.now()
    follow_up.save(update_fields=["answered_at"])
    return follow_up
