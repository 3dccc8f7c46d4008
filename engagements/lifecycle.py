"""An engagement's life after acceptance: every change of it, in one place.

Each service is atomic, locks the engagement's row, writes one entry into the
engagement's history with who and why (django-simple-history's user and change
reason), and writes the emails to the people concerned into the outbox in the
same transaction. The officer's and advisor's pages, the admin's actions and
tasks all call these; nothing else changes an engagement's status, advisors or
milestone dates.

    planned ──start──▶ active ──pause──▶ paused
       │                 │ ▲───resume──────┘
       │                 │
       └──cancel──▶ cancelled ◀──cancel── (active, paused)

Completion (active → completed) needs what the apps above register with
`register_completion_check`: the outcomes app asks for a decision on every
action option and a final report that the municipality and SKEW confirmed.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.emails import notify_users, send_templated_email
from core.formats import short_date

from .enums import EngagementStatus, EntryStatus, MilestoneKind
from .models import Engagement, EngagementAdvisor, Expense, Milestone, TimeEntry
from .services import officers_of

if TYPE_CHECKING:
    from advisors.models import Advisor
    from core.models import User


class EngagementError(Exception):
    """A change the engagement cannot take, with a reason a person can read."""


# Which status each change starts from, and where it leads.
TRANSITIONS: dict[str, tuple[list[EngagementStatus], EngagementStatus]] = {
    "start": ([EngagementStatus.PLANNED], EngagementStatus.ACTIVE),
    "pause": ([EngagementStatus.ACTIVE], EngagementStatus.PAUSED),
    "resume": ([EngagementStatus.PAUSED], EngagementStatus.ACTIVE),
    "cancel": (EngagementStatus.open(), EngagementStatus.CANCELLED),
    "complete": ([EngagementStatus.ACTIVE], EngagementStatus.COMPLETED),
}

# What completion needs, registered by the apps above (outcomes: a decision on every
# action option, a final report both sides confirmed). Each returns what is missing.
CompletionCheck = Callable[[Engagement], list[str]]
_completion_checks: list[CompletionCheck] = []


def register_completion_check(check: CompletionCheck) -> None:
    if check not in _completion_checks:
        _completion_checks.append(check)


def _locked(engagement: Engagement) -> Engagement:
    return (
        Engagement.objects.select_for_update().select_related("municipality").get(pk=engagement.pk)
    )


def _log(engagement: Engagement, *, by: User | None, why: str) -> None:
    """One entry in the engagement's history: the state after the change, who, and why."""
    engagement._history_user = by  # type: ignore[attr-defined]
    engagement._change_reason = why  # type: ignore[attr-defined]
    engagement.save()


def _current_advisors(engagement: Engagement) -> list[EngagementAdvisor]:
    return list(
        EngagementAdvisor.objects.current()
        .filter(engagement=engagement)
        .select_related("advisor__user")
        .order_by("slot")
    )


def _changed(
    engagement: Engagement,
    *,
    by: User | None,
    describe: Callable[[], str],
    reason: str = "",
    also: Iterable[User] = (),
) -> None:
    """Log the change in the engagement's history and email it to those concerned.

    `describe()` says what changed in the active language: the history is written in
    the portal's language, each email in its recipient's.
    """
    with translation.override(settings.LANGUAGE_CODE):
        _log(engagement, by=by, why=f"{describe()} {reason}".strip())
    people = {officer.pk: officer for officer in officers_of(engagement.municipality)}
    advisors = {a.advisor.user.pk: a.advisor.user for a in _current_advisors(engagement)}
    people |= advisors
    for user in also:
        people[user.pk] = user
    if by is not None:
        people.pop(by.pk, None)  # who made the change knows it
    request = engagement.consultation_request
    for user in people.values():
        if not user.is_active:
            continue
        language = getattr(user, "language", "") or settings.LANGUAGE_CODE
        with translation.override(language):
            change = describe()
        send_templated_email(
            to=[user.email],
            template="engagement_changed",
            language=language,
            context={
                "recipient": user,
                "engagement": engagement,
                "change": change,
                "reason": reason,
                # Each recipient gets the link to the page they can open.
                "path": reverse("workspace:engagement", args=[engagement.pk])
                if user.pk in advisors
                else (request.get_absolute_url() if request else ""),
            },
        )


def _require_reason(reason: str) -> str:
    reason = " ".join(reason.split())
    if not reason:
        raise EngagementError(_("Bitte geben Sie einen Grund an."))
    return reason


# --- Status ---------------------------------------------------------------------------------


def _transition(
    engagement: Engagement, step: str, *, by: User | None, reason: str = ""
) -> Engagement:
    sources, target = TRANSITIONS[step]
    engagement = _locked(engagement)
    if engagement.status not in sources:
        raise EngagementError(
            _("Der Einsatz ist %(status)s; das geht nur bei: %(allowed)s.")
            % {
                "status": engagement.get_status_display(),
                "allowed": ", ".join(str(status.label) for status in sources),
            }
        )
    old = EngagementStatus(engagement.status)
    engagement.status = target
    if target == EngagementStatus.COMPLETED:
        engagement.completed_on = timezone.localdate()  # the follow-ups count from here
    _changed(
        engagement,
        by=by,
        reason=reason,
        describe=lambda: _("Status: %(old)s → %(new)s.") % {"old": old.label, "new": target.label},
    )
    return engagement


@transaction.atomic
def engagement_start(*, engagement: Engagement, by: User | None) -> Engagement:
    return _transition(engagement, "start", by=by)


@transaction.atomic
def engagement_pause(*, engagement: Engagement, by: User | None, reason: str) -> Engagement:
    return _transition(engagement, "pause", by=by, reason=_require_reason(reason))


@transaction.atomic
def engagement_resume(*, engagement: Engagement, by: User | None) -> Engagement:
    return _transition(engagement, "resume", by=by)


@transaction.atomic
def engagement_complete(*, engagement: Engagement, by: User | None) -> Engagement:
    """Complete the engagement once nothing is missing; the refusal says what is."""
    locked = _locked(engagement)
    missing = [item for check in _completion_checks for item in check(locked)]
    if missing and locked.status in TRANSITIONS["complete"][0]:
        raise EngagementError(
            _("Der Einsatz kann noch nicht abgeschlossen werden: %(missing)s")
            % {"missing": "; ".join(missing)}
        )
    return _transition(locked, "complete", by=by)


@transaction.atomic
def engagement_cancel(*, engagement: Engagement, by: User | None, reason: str) -> Engagement:
    """Cancel with a reason; the advisors' open drafts go to SKEW, who decides on them."""
    reason = _require_reason(reason)
    engagement = _transition(engagement, "cancel", by=by, reason=reason)
    _submit_drafts(engagement, advisor=None, why=_("Einsatz abgebrochen: %s") % reason)
    return engagement


def _submit_drafts(engagement: Engagement, *, advisor: Advisor | None, why: str) -> int:
    """Hand drafts of time and expenses to SKEW, with their history saying why."""
    handed = 0
    for model in (TimeEntry, Expense):
        drafts = model.objects.select_for_update().filter(
            engagement=engagement, status=EntryStatus.DRAFT
        )
        if advisor is not None:
            drafts = drafts.filter(advisor=advisor)
        for entry in drafts:
            entry.status = EntryStatus.SUBMITTED
            entry.submitted_at = timezone.now()
            entry._change_reason = why  # type: ignore[union-attr]
            entry.save(update_fields=["status", "submitted_at"])
            handed += 1
    return handed


# --- Advisors -------------------------------------------------------------------------------


@transaction.atomic
def advisor_assign(
    *, engagement: Engagement, advisor: Advisor, by: User | None, reason: str = ""
) -> EngagementAdvisor:
    """Put an advisor on the engagement: never more than two at once."""
    engagement = _locked(engagement)
    if engagement.status not in EngagementStatus.open():
        raise EngagementError(_("Ein abgeschlossener Einsatz bekommt keine Berater*innen mehr."))
    current = _current_advisors(engagement)
    if any(assignment.advisor_id == advisor.pk for assignment in current):
        raise EngagementError(_("%(advisor)s ist schon in diesem Einsatz.") % {"advisor": advisor})
    free = sorted({1, 2} - {assignment.slot for assignment in current})
    if not free:
        raise EngagementError(
            _("Ein Einsatz hat höchstens zwei Berater*innen: ersetzen Sie eine*n von ihnen.")
        )
    assignment = EngagementAdvisor.objects.create(
        engagement=engagement, advisor=advisor, slot=free[0]
    )
    _changed(
        engagement,
        by=by,
        reason=reason,
        describe=lambda: _("%(advisor)s berät jetzt in diesem Einsatz.") % {"advisor": advisor},
    )
    notify_users(
        [advisor.user],
        template="engagement_assigned",
        context={"engagement": engagement, "consultation_request": engagement.consultation_request},
    )
    return assignment


@transaction.atomic
def advisor_leave(
    *, engagement: Engagement, advisor: Advisor, by: User | None, reason: str
) -> EngagementAdvisor:
    """The advisor leaves today: their pages close, their entries stay, drafts go to SKEW."""
    reason = _require_reason(reason)
    engagement = _locked(engagement)
    assignment = next(
        (a for a in _current_advisors(engagement) if a.advisor_id == advisor.pk), None
    )
    if assignment is None:
        raise EngagementError(_("%(advisor)s ist nicht in diesem Einsatz.") % {"advisor": advisor})
    assignment.left_on = timezone.localdate()
    assignment.save(update_fields=["left_on"])
    _submit_drafts(
        engagement,
        advisor=advisor,
        why=_("Aus dem Einsatz ausgeschieden: %s") % reason,
    )
    _changed(
        engagement,
        by=by,
        reason=reason,
        also=[advisor.user],
        describe=lambda: (
            _("%(advisor)s berät nicht mehr in diesem Einsatz.") % {"advisor": advisor}
        ),
    )
    return assignment


@transaction.atomic
def advisor_replace(
    *,
    engagement: Engagement,
    leaving: Advisor,
    joining: Advisor,
    by: User | None,
    reason: str,
) -> EngagementAdvisor:
    """One advisor leaves today and another takes the place, in one step."""
    advisor_leave(engagement=engagement, advisor=leaving, by=by, reason=reason)
    return advisor_assign(engagement=engagement, advisor=joining, by=by, reason=reason)


# --- Milestones ----------------------------------------------------------------------------


def _check_open(engagement: Engagement) -> None:
    if engagement.status not in EngagementStatus.open():
        raise EngagementError(
            _("Der Einsatz ist %(status)s; seine Meilensteine stehen fest.")
            % {"status": engagement.get_status_display()}
        )


def _check_due(engagement: Engagement, due_on: datetime.date) -> None:
    if due_on < engagement.starts_on:
        raise EngagementError(
            _("Der Termin liegt vor dem Beginn des Einsatzes (%(start)s).")
            % {"start": short_date(engagement.starts_on)}
        )


@transaction.atomic
def milestone_add(
    *,
    engagement: Engagement,
    by: User | None,
    title: str,
    due_on: datetime.date,
    kind: str = MilestoneKind.OTHER,
) -> Milestone:
    engagement = _locked(engagement)
    if engagement.status not in EngagementStatus.open():
        raise EngagementError(_("Ein beendeter Einsatz bekommt keine Meilensteine mehr."))
    title = " ".join(title.split())
    if not title:
        raise EngagementError(_("Bitte geben Sie dem Meilenstein einen Titel."))
    _check_due(engagement, due_on)
    milestone = Milestone.objects.create(
        engagement=engagement, kind=kind, title=title, due_on=due_on
    )
    _changed(
        engagement,
        by=by,
        describe=lambda: (
            _("Neuer Meilenstein „%(title)s“, fällig am %(date)s.")
            % {"title": title, "date": short_date(due_on)}
        ),
    )
    return milestone


@transaction.atomic
def milestone_move(
    *, milestone: Milestone, by: User | None, due_on: datetime.date, reason: str
) -> Milestone:
    """A new date for an open milestone, with the reason; everyone concerned hears of it."""
    reason = _require_reason(reason)
    engagement = _locked(milestone.engagement)
    milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
    _check_open(engagement)
    if milestone.is_done:
        raise EngagementError(_("Ein erledigter Meilenstein wird nicht mehr verschoben."))
    _check_due(engagement, due_on)
    if due_on == milestone.due_on:
        raise EngagementError(_("Das ist schon der Termin des Meilensteins."))
    old = milestone.due_on
    milestone.due_on = due_on
    milestone.save(update_fields=["due_on"])
    title = milestone.title
    _changed(
        engagement,
        by=by,
        reason=reason,
        describe=lambda: (
            _("Meilenstein „%(title)s“ verschoben: %(old)s → %(new)s.")
            % {"title": title, "old": short_date(old), "new": short_date(due_on)}
        ),
    )
    return milestone


@transaction.atomic
def milestone_complete(
    *, milestone: Milestone, by: User | None, done_on: datetime.date, note: str = ""
) -> Milestone:
    """Mark a milestone done (not in the future); everyone concerned hears of it."""
    engagement = _locked(milestone.engagement)
    milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
    _check_open(engagement)
    if done_on > timezone.localdate():
        raise EngagementError(_("Ein Meilenstein kann nicht in der Zukunft erledigt sein."))
    _check_due(engagement, done_on)
    milestone.done_on = done_on
    if note:
        milestone.note = note
    milestone.save(update_fields=["done_on", "note"])
    title = milestone.title
    _changed(
        engagement,
        by=by,
        reason=note,
        describe=lambda: (
            _("Meilenstein „%(title)s“ erledigt am %(date)s.")
            % {"title": title, "date": short_date(done_on)}
        ),
    )
    return milestone
