"""Reads of events: what the public sees (places left counted in the query), who may
organise an event, and what organisers read about its participants.

Attendance figures are counted in Python from the registrations loaded once for
the page, so a page costs the same number of queries for 10 participants as for
200. "Registered" in the figures means a confirmed registration; waiting list,
unconfirmed and cancelled registrations are not expected at the door.
"""

import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from actors.models import Organisation
from actors.selectors import organisations_published
from core.permissions import Capability, may
from core.text import edit_distance, names_match, normalize_name

from .enums import ParticipantCategory, RegistrationStatus, SessionKind
from .models import Event, EventSession, Registration

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from core.models import User


def with_counts(queryset: QuerySet) -> QuerySet:
    """Annotate `confirmed_count` and `waitlist_count` (one query, whatever the rows)."""
    return queryset.annotate(
        confirmed_count=Count(
            "registrations",
            filter=Q(registrations__status=RegistrationStatus.CONFIRMED),
            distinct=True,
        ),
        waitlist_count=Count(
            "registrations",
            filter=Q(registrations__status=RegistrationStatus.WAITLISTED),
            distinct=True,
        ),
    )


def events_public() -> QuerySet[Event]:
    return with_counts(Event.objects.public().select_related("municipality"))


def events_upcoming() -> QuerySet:
    return events_public().filter(ends_at__gte=timezone.now()).order_by("starts_at")


def events_past() -> QuerySet:
    return events_public().filter(ends_at__lt=timezone.now()).order_by("-starts_at")


def places_left(event: Event) -> int | None:
    """None when the event has no limit; needs `confirmed_count` or counts now."""
    if event.capacity is None:
        return None
    confirmed = getattr(event, "confirmed_count", None)
    if confirmed is None:
        confirmed = event.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
    return max(event.capacity - confirmed, 0)


def session_places_left(event: Event) -> dict[int, int | None]:
    """Places left per workshop with a capacity of its own (one query)."""
    sessions = event.sessions.annotate(
        taken=Count(
            "registrations",
            filter=Q(registrations__status=RegistrationStatus.CONFIRMED),
        )
    )
    return {s.pk: (None if s.capacity is None else max(s.capacity - s.taken, 0)) for s in sessions}


# --- Who may organise an event: SKEW staff, and the advisors of its engagement ------------


def events_managed_by(user: "User | AnonymousUser | None") -> QuerySet:
    """The events whose participants `user` may see, export and check in."""
    if user is None or not user.is_authenticated:
        return Event.objects.none()
    if may(user, Capability.MANAGE_EVENTS):
        return Event.objects.all()
    return Event.objects.filter(
        Q(
            engagement__assignments__advisor__user=user,
            engagement__assignments__left_on__isnull=True,
        ),
        engagement__isnull=False,
    ).distinct()


def can_manage_event(user: "User | AnonymousUser | None", event: Event) -> bool:
    return events_managed_by(user).filter(pk=event.pk).exists()


# --- Participants and attendance, for the organisers --------------------------------------


def name_sort_key(name: str) -> str:
    """Alphabetical as a person expects it: "Ömer" with the O's, "Élodie" with the E's."""
    text = unicodedata.normalize("NFKD", name.casefold())
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def registrations_for_organisers(event: Event) -> QuerySet[Registration]:
    """The event's registrations with what the lists show, in two queries."""
    return event.registrations.select_related("organisation").prefetch_related(
        Prefetch("sessions", queryset=EventSession.objects.order_by("starts_at", "title"))
    )


def checkin_list(event: Event, *, query: str = "") -> list[Registration]:
    """Confirmed registrations for the door, by name; `query` searches name and organisation."""
    registrations = registrations_for_organisers(event).filter(status=RegistrationStatus.CONFIRMED)
    if query:
        registrations = registrations.filter(
            Q(name__icontains=query)
            | Q(organisation__name__icontains=query)
            | Q(organisation_name__icontains=query)
        )
    return sorted(registrations, key=lambda r: name_sort_key(r.name))


def checkin_counts(event: Event) -> dict[str, int]:
    """`confirmed` registrations and how many of them are `attended`, in one query."""
    return event.registrations.aggregate(
        confirmed=Count("pk", filter=Q(status=RegistrationStatus.CONFIRMED)),
        attended=Count("pk", filter=Q(attended=True)),
    )


def organisation_label(registration: Registration) -> str:
    if registration.organisation is not None:
        return registration.organisation.name
    return registration.organisation_name


@dataclass
class Participants:
    confirmed: list[Registration]
    waitlist: list[Registration]  # in the order places are given
    pending_count: int
    cancelled_count: int

    @property
    def attended_count(self) -> int:
        return sum(r.attended for r in self.confirmed)


def participants(event: Event) -> Participants:
    confirmed, waitlist, pending, cancelled = [], [], 0, 0
    for registration in registrations_for_organisers(event):
        if registration.status == RegistrationStatus.CONFIRMED:
            confirmed.append(registration)
        elif registration.status == RegistrationStatus.WAITLISTED:
            waitlist.append(registration)
        elif registration.status == RegistrationStatus.PENDING:
            pending += 1
        else:
            cancelled += 1
    confirmed.sort(key=lambda r: name_sort_key(r.name))
    # The waiting list moves up in the order people confirmed their address.
    waitlist.sort(key=lambda r: (r.confirmed_at is None, r.confirmed_at or r.created_at, r.pk))
    return Participants(confirmed, waitlist, pending, cancelled)


# --- Attendance figures ----------------------------------------------------------------


@dataclass
class Tally:
    label: str
    registered: int = 0
    attended: int = 0

    @property
    def share(self) -> int | None:
        """Attended as a percentage of registered, rounded; None when nobody registered."""
        if not self.registered:
            return None
        return round(100 * self.attended / self.registered)

    def count(self, registration: Registration) -> None:
        self.registered += 1
        self.attended += registration.attended


@dataclass
class OrganisationTally(Tally):
    organisation: Organisation | None = None
    directory_url: str = ""  # the public directory entry, when the organisation is published
    typed_names: list[str] = field(default_factory=list)
    suggestion: Organisation | None = None  # a directory organisation a typed name matches


@dataclass
class Attendance:
    total: Tally
    by_category: list[Tally]
    by_organisation: list[OrganisationTally]
    by_session: list[Tally]


def attendance(event: Event, confirmed: list[Registration], *, suggest: bool = False) -> Attendance:
    """The figures for `confirmed` (from `participants`); `suggest` for staff only.

    Suggestions map a typed organisation name onto an organisation of the
    event's municipality, with the same name comparison that finds duplicates.
    """
    total = Tally(_("bestätigte Anmeldungen"))
    categories = {value: Tally(str(label)) for value, label in ParticipantCategory.choices}
    organisations: dict[tuple, OrganisationTally] = {}
    programme = list(event.sessions.all())
    sessions = {s.pk: Tally(s.title) for s in programme}
    workshops = {s.pk for s in programme if s.kind == SessionKind.WORKSHOP}
    # In the order of registration: a typed organisation is named as its first registrant wrote it.
    for registration in sorted(confirmed, key=lambda r: r.pk):
        total.count(registration)
        categories[registration.category].count(registration)
        tally = _organisation_tally(organisations, registration)
        if tally is not None:
            tally.count(registration)
        for session in registration.sessions.all():
            sessions[session.pk].count(registration)

    published = set(
        organisations_published()
        .filter(pk__in=[t.organisation.pk for t in organisations.values() if t.organisation])
        .values_list("pk", flat=True)
    )
    for tally in organisations.values():
        if tally.organisation is not None and tally.organisation.pk in published:
            tally.directory_url = tally.organisation.get_absolute_url()
    if suggest:
        _suggest(event, [t for t in organisations.values() if t.organisation is None])

    return Attendance(
        total=total,
        by_category=[t for t in categories.values() if t.registered],
        by_organisation=sorted(
            organisations.values(), key=lambda t: (-t.attended, -t.registered, t.label.casefold())
        ),
        by_session=[t for pk, t in sessions.items() if pk in workshops or t.registered],
    )


def _organisation_tally(
    organisations: dict[tuple, OrganisationTally], registration: Registration
) -> OrganisationTally | None:
    key: tuple[str, int | str]  # a directory organisation's pk, or a typed name
    if registration.organisation is not None:
        key = ("organisation", registration.organisation.pk)
        label = registration.organisation.name
    elif normalize_name(registration.organisation_name):
        # "Kulturverein e. V." and "kulturverein eV" are one organisation.
        key = ("typed", normalize_name(registration.organisation_name))
        label = registration.organisation_name.strip()
    else:
        return None
    tally = organisations.setdefault(
        key, OrganisationTally(label, organisation=registration.organisation)
    )
    if registration.organisation is None and label not in tally.typed_names:
        tally.typed_names.append(label)
    return tally


def _suggest(event: Event, typed: list[OrganisationTally]) -> None:
    if not typed:
        return
    town = event.municipality.name
    candidates = list(
        Organisation.objects.filter(municipality=event.municipality).only("pk", "name", "slug")
    )
    for tally in typed:
        matches = [
            organisation
            for organisation in candidates
            if any(names_match(name, organisation.name, town) for name in tally.typed_names)
        ]
        key = normalize_name(tally.label)
        tally.suggestion = min(
            matches,
            key=lambda o: (edit_distance(key, normalize_name(o.name)), o.name),
            default=None,
        )
