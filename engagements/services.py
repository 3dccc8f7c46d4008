"""Every change of a request's state happens here, in one function each.

Views, admin actions and tasks call these; each runs in one transaction, locks
the request row while it decides, logs who did what and when, and raises
`RequestError` with a message a person can read when the step is not allowed.
"""

import datetime
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from advisors.models import Advisor, Pool
from core.emails import notify_users, send_templated_email
from core.models import User
from core.permissions import Capability, may

from .enums import EngagementStatus, EntryStatus, MilestoneKind, RequestStatus
from .models import (
    ConsultationRequest,
    Department,
    Engagement,
    EngagementAdvisor,
    Expense,
    Milestone,
    Municipality,
    MunicipalOfficer,
    RequestMessage,
    RequestStatusChange,
    TimeEntry,
)


class RequestError(Exception):
    """A step on a request that is not allowed, with the reason for a person to read."""


# The only transitions there are; anything else is refused.
TRANSITIONS: dict[str, set[str]] = {
    RequestStatus.DRAFT: {RequestStatus.SUBMITTED, RequestStatus.WITHDRAWN},
    RequestStatus.SUBMITTED: {RequestStatus.IN_REVIEW, RequestStatus.WITHDRAWN},
    RequestStatus.IN_REVIEW: {
        RequestStatus.ACCEPTED,
        RequestStatus.DECLINED,
        RequestStatus.WITHDRAWN,
    },
}


# --- Officers -------------------------------------------------------------------


@dataclass
class NewMunicipality:
    """A municipality named at sign-up because it was not in the list."""

    name: str
    federal_state: str


def _requested_municipality(new: NewMunicipality) -> Municipality:
    """The named municipality: a known one if the name matches, else a request for SKEW."""
    name = " ".join(new.name.split())
    known = Municipality.objects.filter(name__iexact=name, federal_state=new.federal_state).first()
    if known is not None:
        return known
    return Municipality.objects.create(name=name, federal_state=new.federal_state, confirmed=False)


@transaction.atomic
def officer_register(
    *,
    user: User,
    municipality: Municipality | None,
    new_municipality: NewMunicipality | None = None,
    role: str = "",
) -> MunicipalOfficer:
    """Record that a new user acts for a municipality; SKEW confirms it later.

    A municipality that is not in the list (`new_municipality`) is recorded unconfirmed:
    it appears in no public list until SKEW confirms the officer or the municipality.
    """
    if municipality is None:
        if new_municipality is None:
            raise ValueError("officer_register needs a municipality or a new one")
        municipality = _requested_municipality(new_municipality)
    officer, _created = MunicipalOfficer.objects.update_or_create(
        user=user, defaults={"municipality": municipality, "role": role}
    )
    send_templated_email(
        to=[settings.SKEW_TEAM_EMAIL],
        template="officer_registered",
        context={"officer": officer},
    )
    return officer


@transaction.atomic
def officer_confirm(*, officer: MunicipalOfficer, by: User) -> bool:
    """Confirm that the officer belongs to their municipality. False if already confirmed."""
    officer = (
        MunicipalOfficer.objects.select_for_update()
        .select_related("user", "municipality")
        .get(pk=officer.pk)
    )
    if officer.confirmed_at is not None:
        return False
    officer.confirmed_at = timezone.now()
    officer.confirmed_by = by
    officer.save(update_fields=["confirmed_at", "confirmed_by"])
    # Whoever SKEW confirms speaks for a municipality that exists.
    Municipality.objects.filter(pk=officer.municipality_id, confirmed=False).update(confirmed=True)
    notify_users([officer.user], template="officer_confirmed", context={"officer": officer})
    return True


# --- Drafts ---------------------------------------------------------------------


@dataclass
class NewDepartment:
    number: str
    name: str = ""


@transaction.atomic
def request_save_draft(
    *,
    officer: MunicipalOfficer,
    data: dict,
    topics: Iterable = (),
    departments: Iterable[Department] = (),
    new_departments: Sequence[NewDepartment] = (),
    community_languages: Iterable = (),
    consultation_request: ConsultationRequest | None = None,
    form_token: uuid.UUID | None = None,
) -> ConsultationRequest:
    """Create or update a draft request of the officer's municipality.

    A form sent twice with the same `form_token` updates the one draft it
    created the first time instead of creating a second.
    """
    if consultation_request is None and form_token is not None:
        consultation_request = ConsultationRequest.objects.filter(
            form_token=form_token, created_by=officer.user
        ).first()
        if consultation_request is not None and not consultation_request.is_editable:
            return consultation_request  # the form that created it was sent again after submitting
    if consultation_request is None:
        consultation_request = ConsultationRequest(
            municipality=officer.municipality, created_by=officer.user, form_token=form_token
        )
    else:
        consultation_request = ConsultationRequest.objects.select_for_update().get(
            pk=consultation_request.pk
        )
        if consultation_request.municipality_id != officer.municipality_id:
            raise RequestError(_("Diese Anfrage gehört zu einer anderen Kommune."))
        if not consultation_request.is_editable:
            raise RequestError(
                _("Die Anfrage ist %(status)s und kann nicht mehr geändert werden.")
                % {"status": consultation_request.get_status_display()}
            )
    for field, value in data.items():
        setattr(consultation_request, field, value)
    try:
        with transaction.atomic():
            consultation_request.save()
    except IntegrityError:
        # The same form arrived twice at the same moment: the first one won.
        consultation_request = ConsultationRequest.objects.get(form_token=form_token)
        return consultation_request
    created = [
        Department.objects.get_or_create(
            municipality=consultation_request.municipality,
            number=item.number.strip(),
            defaults={"name": item.name.strip()},
        )[0]
        for item in new_departments
        if item.number.strip()
    ]
    consultation_request.departments.set([*departments, *created])
    consultation_request.topics.set(topics)
    consultation_request.community_languages.set(community_languages)
    if not consultation_request.status_changes.exists():
        RequestStatusChange.objects.create(
            consultation_request=consultation_request,
            from_status="",
            to_status=RequestStatus.DRAFT,
            changed_by=officer.user,
        )
    return consultation_request


def missing_for_submission(consultation_request: ConsultationRequest) -> dict[str, str]:
    """What a request still lacks before it can be submitted, by field name."""
    missing = {}
    if not consultation_request.goals.strip():
        missing["goals"] = _("Bitte beschreiben Sie die Ziele Ihrer Kommune.")
    if not consultation_request.need.strip():
        missing["need"] = _("Bitte beschreiben Sie den Beratungsbedarf.")
    if not consultation_request.contact_name.strip():
        missing["contact_name"] = _("Bitte nennen Sie eine Ansprechperson.")
    if not consultation_request.contact_email.strip():
        missing["contact_email"] = _("Bitte geben Sie die E-Mail-Adresse der Ansprechperson an.")
    if not consultation_request.costs_confirmed:
        missing["costs_confirmed"] = _(
            "Bitte bestätigen Sie, dass die Kosten bei der SKEW beantragt werden."
        )
    return missing


# --- Transitions ------------------------------------------------------------------


def _transition(
    consultation_request: ConsultationRequest,
    to: str,
    *,
    by: User,
    note: str = "",
    **fields: object,
) -> ConsultationRequest:
    """Move a locked request to `to` (setting `fields` with it), or refuse.

    Must run inside a transaction.
    """
    locked = ConsultationRequest.objects.select_for_update().get(pk=consultation_request.pk)
    if to not in TRANSITIONS.get(locked.status, set()):
        raise RequestError(
            _(
                "Dieser Schritt ist nicht möglich: Die Anfrage ist „%(current)s“ und kann "
                "nicht in den Status „%(target)s“ wechseln."
            )
            % {
                "current": locked.get_status_display(),
                "target": RequestStatus(to).label,
            }
        )
    previous = locked.status
    locked.status = to
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.save(update_fields=["status", "updated_at", *fields])
    RequestStatusChange.objects.create(
        consultation_request=locked, from_status=previous, to_status=to, changed_by=by, note=note
    )
    return locked


def officers_of(municipality: Municipality) -> list[User]:
    """The confirmed officers of a municipality, who hear about its requests."""
    return [
        o.user
        for o in MunicipalOfficer.objects.filter(
            municipality=municipality, confirmed_at__isnull=False, user__is_active=True
        ).select_related("user")
    ]


@transaction.atomic
def request_submit(*, consultation_request: ConsultationRequest, by: User) -> ConsultationRequest:
    officer = MunicipalOfficer.objects.filter(user=by).first()
    if officer is None or officer.municipality_id != consultation_request.municipality_id:
        raise RequestError(_("Nur Ansprechpersonen der Kommune können die Anfrage einreichen."))
    if not officer.is_confirmed:
        raise RequestError(
            _(
                "Die SKEW hat noch nicht bestätigt, dass Sie für %(municipality)s sprechen. "
                "Bis dahin können Sie Entwürfe speichern, aber nicht einreichen."
            )
            % {"municipality": consultation_request.municipality}
        )
    missing = missing_for_submission(consultation_request)
    if missing:
        raise RequestError(" ".join(missing.values()))
    consultation_request = _transition(
        consultation_request, RequestStatus.SUBMITTED, by=by, submitted_at=timezone.now()
    )
    send_templated_email(
        to=[settings.SKEW_TEAM_EMAIL],
        template="request_submitted",
        context={"consultation_request": consultation_request},
    )
    return consultation_request


@transaction.atomic
def request_start_review(
    *, consultation_request: ConsultationRequest, by: User
) -> ConsultationRequest:
    return _transition(consultation_request, RequestStatus.IN_REVIEW, by=by)


@transaction.atomic
def request_withdraw(
    *, consultation_request: ConsultationRequest, by: User, reason: str = ""
) -> ConsultationRequest:
    consultation_request = _transition(
        consultation_request, RequestStatus.WITHDRAWN, by=by, note=reason
    )
    if consultation_request.submitted_at:  # SKEW only needs to hear of requests it has seen
        send_templated_email(
            to=[settings.SKEW_TEAM_EMAIL],
            template="request_withdrawn",
            context={"consultation_request": consultation_request, "reason": reason},
        )
    return consultation_request


@transaction.atomic
def request_decline(
    *, consultation_request: ConsultationRequest, by: User, reason: str
) -> ConsultationRequest:
    reason = (reason or "").strip()
    if not reason:
        raise RequestError(_("Eine Ablehnung braucht eine Begründung für die Kommune."))
    consultation_request = _transition(
        consultation_request, RequestStatus.DECLINED, by=by, note=reason, decline_reason=reason
    )
    recipients = officers_of(consultation_request.municipality) or [consultation_request.created_by]
    notify_users(
        recipients,
        template="request_declined",
        context={"consultation_request": consultation_request},
    )
    return consultation_request


# The standard milestones of an engagement, placed as shares of the planned period.
STANDARD_MILESTONES = [
    (MilestoneKind.RESEARCH, 0.4),
    (MilestoneKind.COUNCIL_PRESENTATION, 0.5),
    (MilestoneKind.NETWORK_MEETING, 0.75),
    (MilestoneKind.FINAL_REPORT, 1.0),
]


def _due(start: datetime.date, end: datetime.date, share: float) -> datetime.date:
    return start + datetime.timedelta(days=round((end - start).days * share))


@transaction.atomic
def request_accept(
    *,
    consultation_request: ConsultationRequest,
    by: User,
    advisors: Sequence[Advisor],
    starts_on: datetime.date,
    ends_on: datetime.date,
    budget: Decimal | None = None,
) -> Engagement:
    """Accept a request in review and open its engagement with one or two advisors.

    Accepting a request that already has its engagement returns that one.
    """
    locked = ConsultationRequest.objects.select_for_update().get(pk=consultation_request.pk)
    existing = Engagement.objects.filter(consultation_request=locked).first()
    if existing is not None:
        return existing
    advisors = list(dict.fromkeys(advisors))
    if not 1 <= len(advisors) <= 2:
        raise RequestError(_("Bitte wählen Sie eine oder zwei Berater*innen aus."))
    if ends_on < starts_on:
        raise RequestError(_("Das Ende des Einsatzes liegt vor seinem Beginn."))
    pool = Pool.objects.filter(federal_state=locked.municipality.federal_state).first()
    if pool is None:
        raise RequestError(
            _("Für %(state)s gibt es keinen MiGlobe-Pool.")
            % {"state": locked.municipality.get_federal_state_display()}
        )
    locked = _transition(locked, RequestStatus.ACCEPTED, by=by)
    engagement = Engagement(
        title=_("Beratungseinsatz %(municipality)s") % {"municipality": locked.municipality},
        municipality=locked.municipality,
        pool=pool,
        consultation_request=locked,
        status=EngagementStatus.PLANNED,
        starts_on=starts_on,
        ends_on=ends_on,
        goals="\n\n".join(part for part in (locked.goals, locked.need) if part),
        budget=budget,
    )
    # The engagement's history starts with who accepted the request.
    engagement._history_user = by  # type: ignore[attr-defined]
    engagement._change_reason = _("Anfrage angenommen.")  # type: ignore[attr-defined]
    engagement.save()
    engagement.departments.set(locked.departments.all())
    for slot, advisor in enumerate(advisors, start=1):
        EngagementAdvisor.objects.create(engagement=engagement, advisor=advisor, slot=slot)
    Milestone.objects.bulk_create(
        Milestone(
            engagement=engagement,
            kind=kind,
            title=str(kind.label),
            due_on=_due(starts_on, ends_on, share),
        )
        for kind, share in STANDARD_MILESTONES
    )
    context = {"consultation_request": locked, "engagement": engagement}
    recipients = officers_of(locked.municipality) or [locked.created_by]
    notify_users(recipients, template="request_accepted", context=context)
    notify_users(
        [a.user for a in Advisor.objects.filter(pk__in=[a.pk for a in advisors])],
        template="engagement_assigned",
        context=context,
    )
    return engagement


# --- Messages -----------------------------------------------------------------------


@transaction.atomic
def request_post_message(
    *,
    consultation_request: ConsultationRequest,
    author: User,
    body: str,
    form_token: uuid.UUID | None = None,
) -> RequestMessage:
    """Add a message to the thread and email the other side. A resent form posts once."""
    body = (body or "").strip()
    if not body:
        raise RequestError(_("Bitte schreiben Sie eine Nachricht."))
    if form_token is not None:
        existing = RequestMessage.objects.filter(form_token=form_token).first()
        if existing is not None:
            return existing
    from_skew = may(author, Capability.REVIEW_REQUESTS)
    if not from_skew and not (
        MunicipalOfficer.objects.confirmed()
        .filter(user=author, municipality_id=consultation_request.municipality_id)
        .exists()
    ):
        raise RequestError(
            _(
                "Nachrichten können Sie schreiben, sobald die SKEW Ihre Zugehörigkeit zur "
                "Kommune bestätigt hat."
            )
        )
    try:
        with transaction.atomic():
            message = RequestMessage.objects.create(
                consultation_request=consultation_request,
                author=author,
                body=body,
                from_skew=from_skew,
                form_token=form_token,
            )
    except IntegrityError:  # the same form at the same moment: the first one won
        return RequestMessage.objects.get(form_token=form_token)
    context = {"consultation_request": consultation_request, "message": message}
    if from_skew:
        recipients = officers_of(consultation_request.municipality) or [
            consultation_request.created_by
        ]
        notify_users(recipients, template="request_message", context=context)
    else:
        send_templated_email(
            to=[settings.SKEW_TEAM_EMAIL], template="request_message", context=context
        )
    return message


# --- Advisors' work: milestones, time and expenses --------------------------------


class EntryError(Exception):
    """A change of a time entry or an expense that is not allowed, with a readable reason."""


# A time entry or an expense: each step returns the kind of entry it was given.
EntryT = TypeVar("EntryT", TimeEntry, Expense)


def _locked_entry(entry: EntryT) -> EntryT:
    return type(entry).objects.select_for_update().get(pk=entry.pk)


@transaction.atomic
def entry_save(*, entry: EntryT, advisor: Advisor) -> EntryT:
    """Create or change a draft entry of the advisor's; anything past draft is refused."""
    if entry.pk:
        current = _locked_entry(entry)
        if current.advisor_id != advisor.pk:
            raise EntryError(_("Das ist nicht Ihr Eintrag."))
        if current.status != EntryStatus.DRAFT:
            raise EntryError(
                _("Der Eintrag ist %(status)s und kann nicht mehr geändert werden.")
                % {"status": current.get_status_display()}
            )
    entry.advisor = advisor
    entry.status = EntryStatus.DRAFT
    entry.save()
    return entry


@transaction.atomic
def entry_delete(*, entry: EntryT, advisor: Advisor) -> None:
    current = _locked_entry(entry)
    if current.advisor_id != advisor.pk or current.status != EntryStatus.DRAFT:
        raise EntryError(_("Nur eigene Entwürfe können gelöscht werden."))
    current.delete()


@transaction.atomic
def entry_submit(*, entry: EntryT, advisor: Advisor) -> EntryT:
    current = _locked_entry(entry)
    if current.advisor_id != advisor.pk:
        raise EntryError(_("Das ist nicht Ihr Eintrag."))
    if current.status == EntryStatus.SUBMITTED:
        return current  # sent twice
    if current.status != EntryStatus.DRAFT:
        raise EntryError(
            _("Der Eintrag ist bereits %(status)s.") % {"status": current.get_status_display()}
        )
    current.status = EntryStatus.SUBMITTED
    current.submitted_at = timezone.now()
    current.save(update_fields=["status", "submitted_at"])
    return current


@transaction.atomic
def entry_withdraw(*, entry: EntryT, advisor: Advisor) -> EntryT:
    """Take a submitted entry back into draft, before SKEW has approved it."""
    current = _locked_entry(entry)
    if current.advisor_id != advisor.pk or current.status != EntryStatus.SUBMITTED:
        raise EntryError(_("Nur eingereichte, noch nicht freigegebene Einträge können zurück."))
    current.status = EntryStatus.DRAFT
    current.submitted_at = None
    current.save(update_fields=["status", "submitted_at"])
    return current


@transaction.atomic
def entry_approve(*, entry: EntryT, by: User) -> EntryT:
    current = _locked_entry(entry)
    if current.status == EntryStatus.APPROVED:
        return current
    if current.status != EntryStatus.SUBMITTED:
        raise EntryError(
            _("Nur eingereichte Einträge können freigegeben werden (dieser ist %(status)s).")
            % {"status": current.get_status_display()}
        )
    current.status = EntryStatus.APPROVED
    current.approved_at = timezone.now()
    current.approved_by = by
    current.save(update_fields=["status", "approved_at", "approved_by"])
    return current


@transaction.atomic
def entry_return(*, entry: EntryT, by: User) -> EntryT:
    """SKEW sends a submitted entry back to the advisor as a draft."""
    current = _locked_entry(entry)
    if current.status != EntryStatus.SUBMITTED:
        raise EntryError(_("Nur eingereichte Einträge können zurückgegeben werden."))
    current.status = EntryStatus.DRAFT
    current.submitted_at = None
    current.save(update_fields=["status", "submitted_at"])
    return current
