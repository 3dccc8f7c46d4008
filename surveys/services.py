"""Surveys: invitations, answers, the SKEW check of open-link answers, results, and what
an answer sends on (a proposal to the directory, an invitation to the meeting).

Every link is signed and carries its row's secret; every email goes through the outbox;
every step that writes runs in one transaction and locks what it decides on.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core import signing
from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from actors.enums import ConsentChannel
from actors.models import ContactPerson, FieldOfAction, Organisation, OrganisationSuggestion
from actors.selectors import OrganisationStatistics, statistics_of
from actors.services import suggestion_submit
from core.emails import send_templated_email
from core.permissions import Capability, may
from engagements.models import EngagementAdvisor
from events.models import Event

from .enums import OpenCheck, Publish, QuestionKind, ResponseStatus
from .models import Invitation, MeetingInvitation, OptOut, Question, Response, Survey

if TYPE_CHECKING:
    from core.models import User


class SurveyError(Exception):
    """A step that is not allowed, with the reason for a person to read."""


ANSWER_SALT = "surveys.answer"
OPT_OUT_SALT = "surveys.opt-out"
REMIND_DAYS_BEFORE_END = 7


# --- Who may see a survey ----------------------------------------------------------------


def may_run(user: User, survey: Survey) -> bool:
    """SKEW (who moderates the directory), and the current advisors of the survey's engagement."""
    if may(user, Capability.MODERATE_DIRECTORY):
        return True
    if survey.engagement_id is None or not user.is_authenticated:
        return False
    return (
        EngagementAdvisor.objects.current()
        .filter(engagement_id=survey.engagement_id, advisor__user=user)
        .exists()
    )


def surveys_for(user: User) -> QuerySet[Survey]:
    surveys = Survey.objects.select_related("municipality", "engagement")
    if may(user, Capability.MODERATE_DIRECTORY):
        return surveys
    engagements = EngagementAdvisor.objects.current().filter(advisor__user=user)
    return surveys.filter(engagement__in=engagements.values("engagement"))


# --- Links -------------------------------------------------------------------------------


def answer_token(response: Response) -> str:
    return signing.dumps({"r": response.pk, "s": response.secret}, salt=ANSWER_SALT, compress=True)


def opt_out_token(email: str) -> str:
    return signing.dumps({"e": email.lower()}, salt=OPT_OUT_SALT, compress=True)


@dataclass
class Opened:
    response: Response | None
    problem: str = ""


def response_from(token: str) -> Opened:
    """The answer a link stands for; a link that is tampered with or too late says why."""
    try:
        data = signing.loads(token, salt=ANSWER_SALT)
    except signing.BadSignature:
        return Opened(None, _("Dieser Link ist unvollständig oder verändert."))
    response = (
        Response.objects.select_related("survey__municipality", "survey__wording")
        .filter(pk=data.get("r"))
        .first()
    )
    if response is None or response.secret != data.get("s"):
        return Opened(None, _("Dieser Link gilt nicht mehr."))
    if not response.survey.is_open():
        return Opened(
            response,
            _(
                "Die Befragung „%(title)s“ ist am %(date)s zu Ende gegangen. "
                "Danke für Ihr Interesse!"
            )
            % {
                "title": response.survey.title,
                "date": response.survey.closes_on.strftime("%d.%m.%Y"),
            },
        )
    return Opened(response)


def email_from_opt_out(token: str) -> str | None:
    try:
        return signing.loads(token, salt=OPT_OUT_SALT)["e"]
    except (signing.BadSignature, KeyError, TypeError):
        return None


def _send(*, to: str, template: str, language: str, context: dict[str, Any]) -> None:
    """A mail with a personal link: secret, never shown in the admin."""
    context = {**context, "opt_out_path": reverse("surveys:opt_out", args=[opt_out_token(to)])}
    send_templated_email(
        to=[to], template=template, context=context, language=language, secret=True
    )


# --- Invitations -------------------------------------------------------------------------


def _address_of(organisation: Organisation, contacts: dict[int, str]) -> str:
    return (organisation.email or contacts.get(organisation.pk, "")).strip()


def recipients(survey: Survey) -> list[tuple[Organisation, str]]:
    """The organisations of the place known from the directory and from the research findings,
    each with an address; no address twice; none that opted out."""
    organisations = Organisation.objects.filter(
        Q(municipality=survey.municipality)
        | Q(findings__engagement__municipality=survey.municipality)
    ).distinct()
    contacts: dict[int, str] = {}
    for organisation_id, email in (
        ContactPerson.objects.filter(organisation__in=organisations)
        .exclude(email="")
        .order_by("pk")
        .values_list("organisation_id", "email")
    ):
        contacts.setdefault(organisation_id, email)
    opted_out = {email.lower() for email in OptOut.objects.values_list("email", flat=True)}
    found: dict[str, Organisation] = {}
    for organisation in organisations.order_by("name"):
        address = _address_of(organisation, contacts)
        if address and address.lower() not in opted_out:
            found.setdefault(address.lower(), organisation)
    return [(organisation, address) for address, organisation in found.items()]


def _prefilled(survey: Survey, organisation: Organisation | None, language: str) -> Response:
    """A new answer that starts from what the directory knows (to correct, not to retype)."""
    response = Response(survey=survey, organisation=organisation, language=language)
    if organisation is not None:
        response.name = organisation.name
        response.kind = organisation.kind
        response.town = survey.municipality.name
        response.website = organisation.website
        response.scope = organisation.scope
        response.countries_of_origin = organisation.countries_of_origin
        response.countries_of_activity = organisation.countries_of_activity
        response.activities = organisation.description
    return response


@transaction.atomic
def invitations_send(*, survey: Survey) -> int:
    """Invite everyone not invited yet; each address once, in its language. How many now."""
    survey = Survey.objects.select_for_update().select_related("municipality").get(pk=survey.pk)
    if survey.closes_on < timezone.localdate():
        raise SurveyError(
            _("Die Befragung ist zu Ende; es werden keine Einladungen mehr verschickt.")
        )
    invited = {e.lower() for e in survey.invitations.values_list("email", flat=True)}
    sent = 0
    for organisation, email in recipients(survey):
        if email.lower() in invited:
            continue
        language = organisation.language or "de"
        invitation = Invitation.objects.create(
            survey=survey,
            organisation=organisation,
            email=email,
            language=language,
            sent_at=timezone.now(),
        )
        response = _prefilled(survey, organisation, language)
        response.invitation = invitation
        response.save()
        response.fields_of_action.set(organisation.fields_of_action.all())
        _send(
            to=email,
            template="survey_invitation",
            language=language,
            context={
                "survey": survey,
                "organisation": organisation,
                "answer_path": reverse("surveys:answer", args=[answer_token(response)]),
            },
        )
        sent += 1
    return sent


def reminders_send(today: datetime.date | None = None) -> int:
    """A week before the end, remind once those invited who have not answered."""
    today = today or timezone.localdate()
    due = (
        Invitation.objects.filter(
            reminded_at__isnull=True,
            sent_at__isnull=False,
            survey__closes_on__gte=today,
            survey__closes_on__lte=today + datetime.timedelta(days=REMIND_DAYS_BEFORE_END),
        )
        .exclude(response__status=ResponseStatus.SUBMITTED)
        .values_list("pk", flat=True)
    )
    opted_out = {email.lower() for email in OptOut.objects.values_list("email", flat=True)}
    reminded = 0
    for pk in list(due):
        with transaction.atomic():
            invitation = (
                Invitation.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("survey", "response")
                .filter(pk=pk, reminded_at__isnull=True)
                .first()
            )
            if invitation is None or invitation.email.lower() in opted_out:
                continue
            invitation.reminded_at = timezone.now()
            invitation.save(update_fields=["reminded_at"])
            _send(
                to=invitation.email,
                template="survey_reminder",
                language=invitation.language,
                context={
                    "survey": invitation.survey,
                    "answer_path": reverse(
                        "surveys:answer", args=[answer_token(invitation.response)]
                    ),
                },
            )
            reminded += 1
    return reminded


@transaction.atomic
def opt_out(*, email: str) -> bool:
    """No more surveys to this address; True if it is new."""
    _row, created = OptOut.objects.get_or_create(email=email.lower())
    return created


# --- Answering ---------------------------------------------------------------------------


@transaction.atomic
def open_start(*, survey: Survey, language: str) -> Response:
    """An answer through the open link: it counts once SKEW has checked it."""
    if not survey.is_open():
        raise SurveyError(_("Die Befragung ist nicht geöffnet."))
    response = _prefilled(survey, None, language)
    response.town = survey.municipality.name
    response.open_check = OpenCheck.PENDING
    response.save()
    return response


@dataclass
class AnswerData:
    fields: dict[str, Any]
    fields_of_action: Iterable[FieldOfAction] = ()
    answers: Mapping[str, Any] = field(default_factory=dict)


def missing_for_submission(response: Response, questions: Iterable[Question]) -> dict[str, str]:
    missing = {}
    if not response.name.strip():
        missing["name"] = _("Bitte nennen Sie den Namen der Organisation.")
    if not response.scope:
        missing["scope"] = _("Bitte geben Sie an, wo Ihre Organisation vor allem aktiv ist.")
    if response.publish and not response.respondent_name.strip():
        missing["respondent_name"] = _("Wer willigt ein? Bitte nennen Sie Ihren Namen.")
    if response.publish and not response.respondent_email.strip():
        missing["respondent_email"] = _("Bitte nennen Sie eine E-Mail-Adresse für Rückfragen.")
    for question in questions:
        if question.required and not response.answers.get(str(question.pk)):
            missing[f"q{question.pk}"] = _("Bitte beantworten Sie diese Frage.")
    return missing


@transaction.atomic
def response_save(*, response: Response, data: AnswerData, submit: bool) -> Response:
    """Save the answer (to continue later), or send it: a second sending updates the first."""
    response = (
        Response.objects.select_for_update(of=("self",))
        .select_related("survey__municipality", "survey__wording")
        .get(pk=response.pk)
    )
    if not response.survey.is_open():
        raise SurveyError(_("Die Befragung ist zu Ende; Antworten sind nicht mehr möglich."))
    for name, value in data.fields.items():
        setattr(response, name, value)
    response.publish_what = [w for w in response.publish_what if w in Publish.values]
    questions = list(response.survey.questions.all())
    response.answers = _clean_answers(questions, data.answers)
    if submit:
        missing = missing_for_submission(response, questions)
        if missing:
            raise SurveyError(" ".join(missing.values()))
        response.status = ResponseStatus.SUBMITTED
        response.submitted_at = response.submitted_at or timezone.now()
        if response.publish:
            response.consent_given_at = timezone.now()
    response.save()
    response.fields_of_action.set(data.fields_of_action)
    if submit and response.publish and response.counts:
        _propose(response)
    return response


def _clean_answers(questions: list[Question], raw: Mapping[str, Any]) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for question in questions:
        value = raw.get(str(question.pk))
        if question.kind == QuestionKind.MULTIPLE:
            chosen = [v for v in (value or []) if v in question.choice_list()]
            if chosen:
                clean[str(question.pk)] = chosen
        elif question.kind == QuestionKind.SINGLE:
            if value in question.choice_list():
                clean[str(question.pk)] = value
        elif question.kind == QuestionKind.SCALE:
            if str(value) in {"1", "2", "3", "4", "5"}:
                clean[str(question.pk)] = int(str(value))
        elif value and str(value).strip():
            clean[str(question.pk)] = str(value).strip()[:4000]
    return clean


def _propose(response: Response) -> OrganisationSuggestion | None:
    """What the organisation agreed to publish, as a proposal in the moderation queue.

    A pending proposal from this answer is brought up to date instead of a second one.
    """
    survey = response.survey
    what = set(response.publish_what)
    data = {
        "name": response.name,
        "kind": response.kind or "migrant_org",
        "municipality": survey.municipality,
        "website": response.website if Publish.WEBSITE in what else "",
        "description": response.activities if Publish.DESCRIPTION in what else "",
        "scope": response.scope,
        "countries_of_origin": response.countries_of_origin if Publish.COUNTRIES in what else [],
        "countries_of_activity": response.countries_of_activity
        if Publish.COUNTRIES in what
        else [],
        "submitter_name": response.respondent_name,
        "submitter_email": response.respondent_email,
        "channel": ConsentChannel.SURVEY,
        "source": _("Befragung „%(title)s“") % {"title": survey.title},
        "message": _("Aus der Befragung „%(title)s“.") % {"title": survey.title},
    }
    fields = list(response.fields_of_action.all()) if Publish.FIELDS in what else []
    pending = response.suggestion if response.suggestion_id else None
    if pending is not None and pending.status == "pending":
        for name, value in data.items():
            setattr(pending, name, value)
        pending.consent_given_at = response.consent_given_at or timezone.now()
        pending.save()
        pending.fields_of_action.set(fields)
        return pending
    suggestion, _created = suggestion_submit(
        data=data,
        wording=survey.wording,
        organisation=response.organisation,
        fields_of_action=fields,
        language=response.language,
    )
    response.suggestion = suggestion
    response.save(update_fields=["suggestion"])
    return suggestion


@transaction.atomic
def open_check_decide(*, response: Response, accept: bool, by: User) -> Response:
    """SKEW's check of an open-link answer: accepted answers count (and may be proposed)."""
    response = Response.objects.select_for_update().select_related("survey").get(pk=response.pk)
    if not may(by, Capability.MODERATE_DIRECTORY):
        raise SurveyError(_("Antworten über den offenen Link prüft die SKEW."))
    if response.open_check != OpenCheck.PENDING:
        raise SurveyError(_("Diese Antwort ist schon geprüft oder kam mit einer Einladung."))
    response.open_check = OpenCheck.ACCEPTED if accept else OpenCheck.REJECTED
    response.save(update_fields=["open_check", "updated_at"])
    if accept and response.status == ResponseStatus.SUBMITTED and response.publish:
        _propose(response)
    return response


# --- Results -----------------------------------------------------------------------------


@dataclass
class Results:
    survey: Survey
    invited: int
    answered: int
    pending_checks: int
    stats: OrganisationStatistics
    responses: list[Response]

    @property
    def rate(self) -> float:
        return 100 * self.answered / self.invited if self.invited else 0.0


def results(survey: Survey) -> Results:
    """The survey's figures from the answers that count, in a fixed number of queries."""
    responses = [
        r
        for r in survey.responses.filter(status=ResponseStatus.SUBMITTED)
        .prefetch_related("fields_of_action")
        .order_by("name")
        if r.counts
    ]
    entries = [
        (
            r.scope,
            {f.pk for f in r.fields_of_action.all()},
            {str(c) for c in r.countries_of_origin} | {str(c) for c in r.countries_of_activity},
        )
        for r in responses
    ]
    invited = survey.invitations.count()
    answered_invited = sum(1 for r in responses if r.invitation_id)
    return Results(
        survey=survey,
        invited=invited,
        answered=answered_invited if invited else len(responses),
        pending_checks=survey.responses.filter(
            status=ResponseStatus.SUBMITTED, open_check=OpenCheck.PENDING
        ).count(),
        stats=statistics_of(entries),
        responses=responses,
    )


# --- Into the meeting --------------------------------------------------------------------


@transaction.atomic
def invite_to_event(*, survey: Survey, event: Event, only_interested: bool) -> int:
    """Invite those who answered (or only those interested in networking) to an event of the
    same municipality, with its registration link; each address once per event."""
    if event.municipality_id != survey.municipality_id:
        raise SurveyError(_("Die Veranstaltung findet in einer anderen Kommune statt."))
    if event.starts_at <= timezone.now():
        raise SurveyError(_("Die Veranstaltung hat schon begonnen."))
    already = {e.lower() for e in MeetingInvitation.objects.filter(event=event).values_list(
        "email", flat=True
    )}  # fmt: skip
    opted_out = {email.lower() for email in OptOut.objects.values_list("email", flat=True)}
    sent = 0
    for response in results(survey).responses:
        if only_interested and not response.networking:
            continue
        email = (
            response.respondent_email or (response.invitation.email if response.invitation else "")
        ).strip()
        if not email or email.lower() in already or email.lower() in opted_out:
            continue
        MeetingInvitation.objects.create(survey=survey, event=event, email=email)
        already.add(email.lower())
        _send(
            to=email,
            template="survey_meeting",
            language=response.language,
            context={
                "survey": survey,
                "event": event,
                "register_path": reverse("events:register", args=[event.pk]),
            },
        )
        sent += 1
    return sent


# --- Retention ---------------------------------------------------------------------------


def forget_old_respondents(cutoff: datetime.datetime, now: datetime.datetime) -> int:
    """After the retention time from a survey's end, the people behind the answers go: the
    respondents' names and addresses, the invitations' addresses; what the organisations
    answered stays for the figures."""
    closed = Survey.objects.filter(closes_on__lt=timezone.localdate(cutoff))
    with transaction.atomic():
        responses = (
            Response.objects.filter(survey__in=closed)
            .exclude(respondent_name="", respondent_email="")
            .update(respondent_name="", respondent_email="")
        )
        Invitation.objects.filter(survey__in=closed).exclude(email="").update(
            email=models.functions.Concat(
                models.Value("entfernt-"),
                models.functions.Cast("pk", models.CharField()),
                models.Value("@invalid"),
                output_field=models.EmailField(),
            )
        )
        MeetingInvitation.objects.filter(survey__in=closed).delete()
    return responses
