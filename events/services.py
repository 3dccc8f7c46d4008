"""Registration for an event: register, confirm by email, waiting list, cancel, promote.

A place is taken when the person confirms their email address, not when they
fill in the form, so nobody can hold places for others. Confirming and
cancelling lock the event's row first: two people confirming for the last
place are served one after the other, and only one of them gets it.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import CharField, QuerySet, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.emails import send_templated_email
from core.models import User
from core.outbox import Attachment

from .enums import ParticipantCategory, RegistrationStatus
from .ical import calendar_for
from .models import Event, Registration
from .selectors import places_left, session_places_left

CONFIRM_SALT = "events.registration.confirm"
CANCEL_SALT = "events.registration.cancel"
CONFIRM_MAX_AGE = 48 * 60 * 60  # seconds a confirmation link stays valid


class RegistrationError(Exception):
    """A registration step that cannot be done; the message is for the person."""


# --- Links in emails -----------------------------------------------------------------


def confirm_token(registration: Registration) -> str:
    # The email is part of what is signed: a link for an old address stops working.
    return signing.dumps(
        {"r": registration.pk, "e": registration.email.lower()}, salt=CONFIRM_SALT, compress=True
    )


def cancel_token(registration: Registration) -> str:
    return signing.dumps(
        {"r": registration.pk, "e": registration.email.lower()}, salt=CANCEL_SALT, compress=True
    )


def _from_token(token: str, *, salt: str, max_age: int | None) -> Registration | None:
    """The registration a link points to; None for a forged link, RegistrationError if old."""
    try:
        data = signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired as error:
        raise RegistrationError(
            _(
                "Dieser Bestätigungslink ist abgelaufen. Bitte melden Sie sich erneut an; "
                "Sie erhalten dann einen neuen Link."
            )
        ) from error
    except signing.BadSignature:
        return None
    registration = (
        Registration.objects.select_related("event", "event__municipality")
        .filter(pk=data.get("r"))
        .first()
    )
    if registration is None or registration.email.lower() != data.get("e"):
        return None
    return registration


def registration_from_confirm_token(token: str) -> Registration | None:
    return _from_token(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)


def registration_from_cancel_token(token: str) -> Registration | None:
    return _from_token(token, salt=CANCEL_SALT, max_age=None)


# --- Emails ------------------------------------------------------------------------------


def _email(
    registration: Registration, template: str, *, with_calendar: bool = False, **extra: object
) -> None:
    event = registration.event
    attachments: list[Attachment] = []
    if with_calendar:
        attachments.append(
            {
                "name": "veranstaltung.ics",
                "content": calendar_for([event]).decode(),
                "mimetype": "text/calendar",
            }
        )
    send_templated_email(
        to=[registration.email],
        template=template,
        context={
            "registration": registration,
            "event": event,
            "confirm_path": reverse("events:confirm", args=[confirm_token(registration)]),
            "cancel_path": reverse("events:cancel", args=[cancel_token(registration)]),
            **extra,
        },
        language=registration.language,
        attachments=attachments,
    )


# --- Registering ------------------------------------------------------------------------


def registration_open(event: Event, now: datetime | None = None) -> bool:
    return (now or timezone.now()) <= event.registration_closes_at


@dataclass
class RegistrationData:
    name: str
    email: str
    category: str
    organisation: object = None  # actors.Organisation or None
    organisation_name: str = ""
    sessions: tuple = ()
    needs: str = ""
    listed: bool = False
    language: str = "de"


@transaction.atomic
def registration_create(*, event: Event, data: RegistrationData) -> Registration:
    """Record a registration and email the confirmation link.

    Registering twice with the same address changes the existing registration
    instead of adding one (a double submit, or someone correcting their
    details); the page says the same in every case, so it tells nobody whether
    an address is registered already.
    """
    if not registration_open(event):
        raise RegistrationError(_("Die Anmeldung für diese Veranstaltung ist geschlossen."))
    fields = {
        "name": data.name,
        "category": data.category,
        "organisation": data.organisation,
        "organisation_name": "" if data.organisation else data.organisation_name,
        "needs": data.needs,
        "listed": data.listed,
        "language": data.language,
    }
    try:
        with transaction.atomic():  # a savepoint: the existing row is then locked below
            registration = Registration.objects.create(event=event, email=data.email, **fields)
    except IntegrityError:
        registration = (
            Registration.objects.select_for_update()
            .select_related("event")
            .get(event=event, email__iexact=data.email)
        )
        if registration.status in (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED):
            # Already in: say so by email, change nothing behind the person's back.
            _email(registration, "registration_exists")
            return registration
        for name, value in fields.items():
            setattr(registration, name, value)
        registration.status = RegistrationStatus.PENDING
        registration.cancelled_at = None
        registration.confirmed_at = None
        registration.created_at = timezone.now()  # a new link, a new 48 hours
        registration.save()
    registration.sessions.set(data.sessions)
    _email(registration, "registration_confirm")
    return registration


def _available_sessions(registration: Registration) -> tuple[list, list]:
    """The chosen workshops that still have room, and those that are full."""
    left = session_places_left(registration.event)
    chosen = list(registration.sessions.all())
    kept = [s for s in chosen if (places := left.get(s.pk)) is None or places > 0]
    full = [s for s in chosen if s not in kept]
    return kept, full


@transaction.atomic
def registration_confirm(*, registration: Registration) -> Registration:
    """Confirm the email address: a place if one is free, else the waiting list.

    A link works once: a registration that is no longer pending is returned
    unchanged (the page then says what state it is in).
    """
    event = Event.objects.select_for_update().get(pk=registration.event_id)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    registration.event = event
    if registration.status != RegistrationStatus.PENDING:
        return registration
    registration.confirmed_at = timezone.now()
    left = places_left(event)
    if left is None or left > 0:
        _give_place(registration)
    else:
        registration.status = RegistrationStatus.WAITLISTED
        registration.save(update_fields=["status", "confirmed_at"])
        _email(registration, "registration_waitlisted")
    return registration


def _give_place(registration: Registration, *, promoted: bool = False) -> None:
    kept, full = _available_sessions(registration)
    registration.status = RegistrationStatus.CONFIRMED
    registration.save(update_fields=["status", "confirmed_at"])
    if full:
        registration.sessions.set(kept)
    _email(
        registration,
        "registration_promoted" if promoted else "registration_confirmed",
        with_calendar=True,
        full_sessions=full,
        sessions=kept,
    )


@transaction.atomic
def registration_cancel(*, registration: Registration) -> Registration:
    """Cancel; a freed place goes to the first on the waiting list, who is told."""
    event = Event.objects.select_for_update().get(pk=registration.event_id)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    registration.event = event
    if registration.status == RegistrationStatus.CANCELLED:
        return registration
    if registration.attended:
        raise RegistrationError(
            _("Diese Anmeldung ist bereits eingecheckt und kann nicht mehr storniert werden.")
        )
    held_place = registration.status == RegistrationStatus.CONFIRMED
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["status", "cancelled_at"])
    _email(registration, "registration_cancelled")
    if held_place:
        promote_from_waitlist(event=event)
    return registration


@transaction.atomic
def places_added(*, event: Event) -> list[Registration]:
    """After the capacity was raised: the waiting list moves up, as far as places allow."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    return promote_from_waitlist(event=event)


def promote_from_waitlist(*, event: Event) -> list[Registration]:
    """Fill free places from the waiting list, first come first served (caller holds the lock)."""
    promoted: list[Registration] = []
    if event.starts_at <= timezone.now():
        return promoted  # nobody is called in after the doors opened
    while True:
        left = places_left(event)
        if left is not None and left <= 0:
            break
        waiting = (
            event.registrations.select_for_update()
            .filter(status=RegistrationStatus.WAITLISTED)
            .order_by("confirmed_at", "pk")
            .first()
        )
        if waiting is None:
            break
        waiting.event = event
        _give_place(waiting, promoted=True)
        promoted.append(waiting)
    return promoted


def registrations_purge_unconfirmed(*, now: datetime | None = None) -> int:
    """Delete registrations whose confirmation link has expired: unconfirmed data is not kept."""
    cutoff = (now or timezone.now()) - timedelta(seconds=CONFIRM_MAX_AGE)
    deleted, _ = Registration.objects.filter(
        status=RegistrationStatus.PENDING, created_at__lt=cutoff
    ).delete()
    return deleted


def registrations_anonymise(*, now: datetime | None = None) -> int:
    """Forget who registered for events that ended longer ago than the retention period.

    Name, email address and needs go; category, organisation, workshops and
    attendance stay, so the event's figures do not change. Returns how many
    registrations were anonymised; running it again changes nothing.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.MIGLOBE_PERSONAL_DATA_RETENTION_DAYS)
    due = Registration.objects.filter(event__ends_at__lt=cutoff, anonymised_at__isnull=True)
    return registrations_forget(due, now=now)


def registrations_forget(registrations: QuerySet[Registration], *, now: datetime) -> int:
    """Anonymise these registrations (retention, or a person's erasure): name, address and
    needs go; category, organisation, workshops and attendance stay for the figures."""
    ids = list(registrations.filter(anonymised_at__isnull=True).values_list("pk", flat=True))
    if not ids:
        return 0
    registrations = Registration.objects.filter(pk__in=ids)
    registrations.update(
        name="",
        # Unique per event, and an address no mail server accepts (RFC 2606).
        email=Concat(Value("anonym-"), Cast("pk", CharField()), Value("@example.invalid")),
        needs="",
        listed=False,
        anonymised_at=now,
    )
    # What a private person typed as "organisation" may be their own name.
    registrations.filter(category=ParticipantCategory.PRIVATE).update(organisation_name="")
    # The admin's history names each registration it changed ("Name – Event").
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Registration),
        object_id__in=[str(pk) for pk in ids],
    ).update(object_repr=str(_("anonymisierte Anmeldung")))
    return len(ids)


# --- Check-in at the door ----------------------------------------------------------------
# Marking a confirmed registration as attended, and taking it back. Both steps lock the
# registration's row and are idempotent: two organisers tapping the same person at once,
# or one tapping twice, record one check-in, with the time and the person of the first tap.


class CheckInError(Exception):
    """A check-in that is not allowed, with the reason for a person to read."""


def _locked(registration: Registration) -> Registration:
    locked = Registration.objects.select_for_update().get(pk=registration.pk)
    if locked.anonymised_at:
        # Only the figures are left of it, and they stay as they were.
        raise CheckInError(
            _("Diese Anmeldung ist anonymisiert; ihre Teilnahme bleibt, wie sie war.")
        )
    return locked


def _copy_check_in(source: Registration, target: Registration) -> None:
    # The caller's object shows the state in the database afterwards.
    target.attended = source.attended
    target.checked_in_at = source.checked_in_at
    target.checked_in_by_id = source.checked_in_by_id


@transaction.atomic
def registration_check_in(*, registration: Registration, by: User) -> bool:
    """Mark the person as attended; False when they were already checked in."""
    locked = _locked(registration)
    if locked.status != RegistrationStatus.CONFIRMED:
        raise CheckInError(
            _(
                "%(name)s kann nicht eingecheckt werden: Nur bestätigte Anmeldungen "
                "können eingecheckt werden (Status: %(status)s)."
            )
            % {"name": locked.name, "status": locked.get_status_display()}
        )
    changed = not locked.attended
    if changed:
        locked.attended = True
        locked.checked_in_at = timezone.now()
        locked.checked_in_by = by
        locked.save(update_fields=["attended", "checked_in_at", "checked_in_by"])
    _copy_check_in(locked, registration)
    return changed


@transaction.atomic
def registration_undo_check_in(*, registration: Registration, by: User) -> bool:
    """Take a check-in back (a wrong tap); False when the person was not checked in.

    `by` is not stored: the check-in's own fields are emptied, and both steps are called alike.
    """
    locked = _locked(registration)
    changed = locked.attended
    if changed:
        locked.attended = False
        locked.checked_in_at = None
        locked.checked_in_by = None
        locked.save(update_fields=["attended", "checked_in_at", "checked_in_by"])
    _copy_check_in(locked, registration)
    return changed
