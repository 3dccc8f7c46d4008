"""Applying to a call, and SKEW's selection: every change of an application happens here.

Each function runs in one transaction, locks the rows it decides on, and raises
`ApplicationError` with a message a person can read when a step is not allowed.
Emails go through the project's outbox; links that open an application are signed,
carry the application's secret (a new secret kills old links) and are never shown in
the admin.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.core import signing
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from advisors.enums import Gender
from advisors.models import Advisor, PoolMembership
from core.emails import send_templated_email
from core.models import User
from core.permissions import Capability, may
from engagements.models import Municipality

from .enums import ApplicantGender, ApplicationStatus
from .models import Application, Call, Criterion, Review, Score

if TYPE_CHECKING:
    from actors.models import FieldOfAction
    from advisors.models import Language


class ApplicationError(Exception):
    """A step on an application that is not allowed, with the reason for a person to read."""


CONFIRM_SALT = "recruitment.application.confirm"
MANAGE_SALT = "recruitment.application.manage"
CONFIRM_DAYS = 7

# The steps SKEW takes, from where.
TRANSITIONS: dict[str, set[str]] = {
    ApplicationStatus.SHORTLISTED: {ApplicationStatus.RECEIVED},
    ApplicationStatus.INVITED: {ApplicationStatus.RECEIVED, ApplicationStatus.SHORTLISTED},
    ApplicationStatus.ACCEPTED: {ApplicationStatus.SHORTLISTED, ApplicationStatus.INVITED},
    ApplicationStatus.REJECTED: {
        ApplicationStatus.RECEIVED,
        ApplicationStatus.SHORTLISTED,
        ApplicationStatus.INVITED,
    },
}
EDITABLE = {ApplicationStatus.UNCONFIRMED, ApplicationStatus.RECEIVED}
DECIDED = {ApplicationStatus.ACCEPTED, ApplicationStatus.REJECTED, ApplicationStatus.WITHDRAWN}


# --- Signed links ------------------------------------------------------------------------


def token_for(application: Application, salt: str) -> str:
    return signing.dumps({"a": application.pk, "s": application.secret}, salt=salt, compress=True)


def application_from(token: str, salt: str) -> Application | None:
    """The application a link stands for, or None if it is tampered with, stale or too old."""
    max_age = datetime.timedelta(days=CONFIRM_DAYS) if salt == CONFIRM_SALT else None
    try:
        data = signing.loads(token, salt=salt, max_age=max_age)
    except signing.BadSignature:  # includes SignatureExpired
        return None
    application = Application.objects.select_related("call__pool").filter(pk=data.get("a")).first()
    if application is None or application.secret != data.get("s") or application.anonymised_at:
        return None
    return application


def _send(application: Application, template: str, **context: object) -> None:
    """An email to the applicant in their language; a link in it makes it secret."""
    language = application.language or settings.LANGUAGE_CODE
    full = {
        "application": application,
        "call": application.call,
        "manage_path": reverse("recruitment:manage", args=[token_for(application, MANAGE_SALT)]),
        **context,
    }
    send_templated_email(
        to=[application.email], template=template, context=full, language=language, secret=True
    )


# --- The applicant -----------------------------------------------------------------------


@dataclass
class Answers:
    """What the form asks, cleaned."""

    fields: dict[str, object]
    languages: Iterable[Language]
    expertise: Iterable[FieldOfAction]
    cv: UploadedFile | None = None


def _closed(call: Call) -> ApplicationError:
    return ApplicationError(
        _(
            "Die Bewerbungsfrist für „%(call)s“ ist am %(deadline)s abgelaufen; Bewerbungen "
            "sind nicht mehr möglich."
        )
        % {
            "call": call.title,
            "deadline": timezone.localtime(call.deadline).strftime("%d.%m.%Y, %H:%M"),
        }
    )


def _fill(application: Application, answers: Answers) -> None:
    for name, value in answers.fields.items():
        setattr(application, name, value)
    if application.gender != ApplicantGender.SELF:
        application.gender_self = ""
    if answers.cv is not None:
        old = application.cv.name if application.cv else ""
        application.cv.save(f"lebenslauf-{uuid.uuid4().hex[:12]}.pdf", answers.cv, save=False)
        if old:
            # The old file goes only once the new row is committed.
            storage, name = application.cv.storage, old
            transaction.on_commit(lambda: storage.delete(name))
    application.save()
    application.languages.set(answers.languages)
    application.expertise.set(answers.expertise)


def application_submit(
    *, call: Call, answers: Answers, language: str, form_token: uuid.UUID | None = None
) -> Application:
    """A new application; the applicant confirms their address by the link we send.

    The same form sent twice (`form_token`) makes one application. An address that
    already applied gets its link again and a message, never a second application.
    """
    call = Call.objects.select_related("pool").get(pk=call.pk)
    if form_token is not None:
        sent_before = Application.objects.filter(call=call, form_token=form_token).first()
        if sent_before is not None:
            return sent_before
    if not call.is_open():
        raise _closed(call)
    email = str(answers.fields["email"]).strip()
    existing = Application.objects.filter(call=call, email__iexact=email).first()
    if existing is not None:
        with transaction.atomic():  # the link goes out although the form is refused
            _send(existing, "application_again")
        raise ApplicationError(
            _(
                "Mit dieser E-Mail-Adresse gibt es schon eine Bewerbung auf diese "
                "Ausschreibung. Wir haben Ihnen den Link, mit dem Sie sie ändern können, "
                "noch einmal geschickt."
            )
        )
    application = Application(
        call=call,
        language=language,
        consent_text=call.consent_text,
        consent_given_at=timezone.now(),
        form_token=form_token,
    )
    try:
        with transaction.atomic():
            _fill(application, answers)
            _send(
                application,
                "application_confirm",
                confirm_path=reverse(
                    "recruitment:confirm", args=[token_for(application, CONFIRM_SALT)]
                ),
                days=CONFIRM_DAYS,
            )
    except IntegrityError as error:
        if application.cv:
            application.cv.storage.delete(application.cv.name)  # no file without its row
        # The same form, or the same address, at the same moment: the first one won.
        if form_token is not None:
            first = Application.objects.filter(call=call, form_token=form_token).first()
            if first is not None:
                return first
        raise ApplicationError(
            _("Mit dieser E-Mail-Adresse gibt es schon eine Bewerbung auf diese Ausschreibung.")
        ) from error
    return application


@transaction.atomic
def application_confirm(*, application: Application) -> Application:
    """The applicant's address is theirs: the application counts. Twice is once."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status == ApplicationStatus.UNCONFIRMED:
        application.status = ApplicationStatus.RECEIVED
        application.confirmed_at = timezone.now()
        application.save(update_fields=["status", "confirmed_at", "updated_at"])
        _send(application, "application_received")
    return application


@transaction.atomic
def application_update(*, application: Application, answers: Answers) -> Application:
    """The applicant changes their application, until the deadline and before any decision."""
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("call")
        .get(pk=application.pk)
    )
    if application.status not in EDITABLE:
        raise ApplicationError(
            _("Die Bewerbung ist %(status)s und kann nicht mehr geändert werden.")
            % {"status": application.get_status_display()}
        )
    if not application.call.is_open():
        raise _closed(application.call)
    answers.fields.pop("email", None)  # the address is what the links are sent to
    _fill(application, answers)
    return application


@transaction.atomic
def application_withdraw(*, application: Application) -> Application:
    """The applicant withdraws, at any time before SKEW has decided; the links stop working."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status in DECIDED:
        raise ApplicationError(
            _("Die Bewerbung ist %(status)s.") % {"status": application.get_status_display()}
        )
    application.status = ApplicationStatus.WITHDRAWN
    application.save(update_fields=["status", "updated_at"])
    _send(application, "application_withdrawn")
    return application


# --- Reviewers ---------------------------------------------------------------------------


def may_review(user: User, call: Call) -> bool:
    """SKEW's recruiters, and the partners' people SKEW named for this call."""
    if may(user, Capability.RECRUIT):
        return True
    return bool(
        user.is_authenticated
        and user.is_active
        and user.is_staff
        and call.reviewers.filter(pk=user.pk).exists()
    )


@transaction.atomic
def review_save(
    *, application: Application, reviewer: User, scores: Mapping[int, int], comment: str = ""
) -> Review:
    """The reviewer's scores (1 to 5 for every criterion of the call) and comment."""
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("call")
        .get(pk=application.pk)
    )
    if not may_review(reviewer, application.call):
        raise ApplicationError(
            _("Sie sind für diese Ausschreibung nicht als Gutachter*in benannt.")
        )
    if application.status not in ApplicationStatus.in_selection():
        raise ApplicationError(
            _("Die Bewerbung ist %(status)s; sie wird nicht mehr bewertet.")
            % {"status": application.get_status_display()}
        )
    criteria = list(Criterion.objects.filter(call=application.call))
    if {c.pk for c in criteria} != set(scores) or not all(1 <= v <= 5 for v in scores.values()):
        raise ApplicationError(_("Bitte vergeben Sie für jedes Kriterium 1 bis 5 Punkte."))
    review, _created = Review.objects.update_or_create(
        application=application, reviewer=reviewer, defaults={"comment": comment.strip()}
    )
    for criterion in criteria:
        Score.objects.update_or_create(
            review=review, criterion=criterion, defaults={"value": scores[criterion.pk]}
        )
    return review


def reviews_visible_to(application: Application, user: User) -> list[Review]:
    """Others' reviews, once the user has given their own (so nobody follows the crowd)."""
    reviews = list(
        application.reviews.select_related("reviewer").prefetch_related("scores__criterion")
    )
    if not any(review.reviewer_id == user.pk for review in reviews):
        return []
    return reviews


# --- SKEW's decisions --------------------------------------------------------------------


def _move(application: Application, to: str, *, by: User, **fields: object) -> Application:
    locked = (
        Application.objects.select_for_update(of=("self",))
        .select_related("call__pool")
        .get(pk=application.pk)
    )
    if not may(by, Capability.RECRUIT):
        raise ApplicationError(_("Über Bewerbungen entscheidet die SKEW."))
    if locked.status not in TRANSITIONS[to]:
        raise ApplicationError(
            _("Die Bewerbung ist %(current)s; „%(target)s“ geht von dort nicht.")
            % {
                "current": locked.get_status_display(),
                "target": ApplicationStatus(to).label,
            }
        )
    locked.status = to
    for name, value in fields.items():
        setattr(locked, name, value)
    if to in DECIDED:
        locked.decided_at, locked.decided_by = timezone.now(), by
    locked.save()
    return locked


@transaction.atomic
def application_shortlist(*, application: Application, by: User) -> Application:
    return _move(application, ApplicationStatus.SHORTLISTED, by=by)


@transaction.atomic
def application_invite(
    *, application: Application, by: User, at: datetime.datetime, place: str
) -> Application:
    """Invite to an interview: the date and the place go into the email."""
    place = " ".join(place.split())
    if not place:
        raise ApplicationError(_("Bitte geben Sie an, wo das Gespräch stattfindet."))
    if at <= timezone.now():
        raise ApplicationError(_("Das Gespräch muss in der Zukunft liegen."))
    application = _move(
        application, ApplicationStatus.INVITED, by=by, interview_at=at, interview_place=place
    )
    _send(application, "application_invited")
    return application


@transaction.atomic
def application_reject(*, application: Application, by: User, message: str = "") -> Application:
    """A kind no, with SKEW's own words if given."""
    application = _move(application, ApplicationStatus.REJECTED, by=by)
    _send(application, "application_rejected", message=message.strip())
    return application


def _home(application: Application) -> Municipality | None:
    town = " ".join(application.home_town.split())
    return (
        Municipality.objects.filter(
            name__iexact=town, federal_state=application.call.pool.federal_state
        ).first()
        or Municipality.objects.filter(name__iexact=town).first()
    )


GENDERS = {
    ApplicantGender.FEMALE: Gender.FEMALE,
    ApplicantGender.MALE: Gender.MALE,
    ApplicantGender.DIVERSE: Gender.DIVERSE,
}


@transaction.atomic
def application_accept(*, application: Application, by: User) -> Advisor:
    """Take the applicant into the pool: their advisor record and membership from the call's
    start, from what they wrote (nothing typed twice), and an invitation to set a password."""
    application = _move(application, ApplicationStatus.ACCEPTED, by=by)
    call = application.call
    user = User.objects.filter(email__iexact=application.email).first()
    if user is None:
        user = User(email=application.email, name=application.name, language=application.language)
        user.set_unusable_password()
        user.save()
    EmailAddress.objects.get_or_create(
        user=user,
        email__iexact=application.email,
        defaults={"email": application.email, "verified": True, "primary": True},
    )
    advisor = Advisor.objects.filter(user=user).first()
    if advisor is None:
        advisor = Advisor.objects.create(
            user=user,
            gender=GENDERS.get(ApplicantGender(application.gender), Gender.UNSPECIFIED),
            birth_year=application.birth_year,
            home_municipality=_home(application),
            countries_of_origin=[str(country) for country in application.countries_of_origin],  # type: ignore[misc]
            expertise_notes=application.experience[:2000],
        )
        advisor.languages.set(application.languages.all())
        advisor.expertise.set(application.expertise.all())
    if not PoolMembership.objects.filter(advisor=advisor, pool=call.pool, left_on=None).exists():
        PoolMembership.objects.create(advisor=advisor, pool=call.pool, joined_on=call.starts_on)
    application.advisor = advisor
    application.save(update_fields=["advisor"])
    password_path = reverse(
        "account_reset_password_from_key",
        kwargs={
            "uidb36": user_pk_to_url_str(user),
            "key": default_token_generator.make_token(user),
        },
    )
    _send(application, "application_accepted", password_path=password_path)
    return advisor


# --- Retention ---------------------------------------------------------------------------


def months_before(moment: datetime.datetime, months: int) -> datetime.datetime:
    """The same day `months` earlier (the month's last day where that month is shorter)."""
    total = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(total, 12)
    month += 1
    following = datetime.date(year + (month == 12), month % 12 + 1, 1)
    last_day = (following - datetime.timedelta(days=1)).day
    return moment.replace(year=year, month=month, day=min(moment.day, last_day))


def forget_old_applications(cutoff: datetime.datetime, now: datetime.datetime) -> int:
    """Applications not accepted lose their personal data and CV some months after the call
    closed; status and call stay for the call's counts."""
    closed_before = months_before(now, settings.MIGLOBE_APPLICATION_RETENTION_MONTHS)
    old = Application.objects.filter(
        call__deadline__lt=closed_before, anonymised_at__isnull=True
    ).exclude(status=ApplicationStatus.ACCEPTED)
    count = 0
    for application in old.iterator():
        application_forget(application, now=now)
        count += 1
    return count


@transaction.atomic
def application_forget(application: Application, *, now: datetime.datetime) -> None:
    """The application loses the applicant's data and CV; status and call stay."""
    if application.cv:
        transaction.on_commit(partial(application.cv.storage.delete, application.cv.name))
    Review.objects.filter(application=application).update(comment="")
    application.languages.clear()
    application.expertise.clear()
    Application.objects.filter(pk=application.pk).update(
        name="",
        email="",
        home_town="",
        countries_of_origin="",
        countries_of_experience="",
        experience="",
        motivation="",
        availability="",
        cv="",
        gender="",
        gender_self="",
        birth_year=None,
        interview_place="",
        secret=uuid.uuid4().hex,
        anonymised_at=now,
    )
