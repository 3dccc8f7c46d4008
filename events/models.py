from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.formats import short_date
from core.validators import sensible_date

from .enums import EventKind, ParticipantCategory, RegistrationStatus, SessionKind


class EventQuerySet(models.QuerySet):
    def public(self) -> "EventQuerySet":
        """Events anyone may see and register for."""
        return self.filter(is_public=True)


class Event(models.Model):
    """A meeting: network or information meeting, council presentation, training."""

    title = models.CharField(_("Titel"), max_length=250)
    kind = models.CharField(_("Art"), max_length=24, choices=EventKind.choices)
    description = models.TextField(_("Beschreibung"), blank=True)
    engagement = models.ForeignKey(
        "engagements.Engagement",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("Beratungseinsatz"),
    )
    municipality = models.ForeignKey(
        "engagements.Municipality",
        on_delete=models.PROTECT,
        related_name="events",
        verbose_name=_("Kommune"),
    )
    organiser = models.CharField(_("Veranstalter"), max_length=250, blank=True)
    venue = models.CharField(_("Ort"), max_length=200)
    venue_address = models.CharField(_("Adresse"), max_length=250, blank=True)
    accessibility = models.TextField(_("Barrierefreiheit"), blank=True)
    starts_at = models.DateTimeField(_("Beginn"), validators=[sensible_date])
    ends_at = models.DateTimeField(_("Ende"), validators=[sensible_date])
    capacity = models.PositiveIntegerField(
        _("Plätze"), null=True, blank=True, help_text=_("Leer: unbegrenzt.")
    )
    registration_deadline = models.DateTimeField(
        _("Anmeldeschluss"), null=True, blank=True, validators=[sensible_date]
    )
    is_public = models.BooleanField(_("öffentlich"), default=True)
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("Veranstaltung")
        verbose_name_plural = _("Veranstaltungen")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=F("starts_at")), name="event_end_not_before_start"
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gt=0),
                name="event_capacity_positive",
            ),
            models.CheckConstraint(
                condition=Q(registration_deadline__isnull=True)
                | Q(registration_deadline__lte=F("ends_at")),
                name="event_deadline_not_after_end",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({short_date(self.starts_at)})"

    def get_absolute_url(self) -> str:
        return reverse("events:detail", args=[self.pk])

    @property
    def places_left(self) -> int | None:
        """None without a limit. Needs the `confirmed_count` that events.selectors'
        with_counts() annotates (it never queries); events.selectors.places_left() counts."""
        if self.capacity is None:
            return None
        return max(self.capacity - self.confirmed_count, 0)

    @property
    def registration_closes_at(self):
        return self.registration_deadline or self.starts_at


class EventSession(models.Model):
    """A part of an event's programme: a talk, a workshop, a welcome."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("Veranstaltung")
    )
    kind = models.CharField(_("Art"), max_length=12, choices=SessionKind.choices)
    title = models.CharField(_("Titel"), max_length=250)
    description = models.TextField(_("Beschreibung"), blank=True)
    speakers = models.CharField(_("Referent*innen"), max_length=400, blank=True)
    room = models.CharField(_("Raum"), max_length=120, blank=True)
    starts_at = models.DateTimeField(_("Beginn"), validators=[sensible_date])
    ends_at = models.DateTimeField(_("Ende"), validators=[sensible_date])
    capacity = models.PositiveIntegerField(_("Plätze"), null=True, blank=True)

    class Meta:
        verbose_name = _("Programmpunkt")
        verbose_name_plural = _("Programmpunkte")
        ordering = ["starts_at", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=F("starts_at")), name="session_end_not_before_start"
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gt=0),
                name="session_capacity_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Registration(models.Model):
    """A person's registration for an event."""

    event = models.ForeignKey(
        Event,
        on_delete=models.CASCADE,
        related_name="registrations",
        verbose_name=_("Veranstaltung"),
    )
    name = models.CharField(_("Name"), max_length=150)
    email = models.EmailField(_("E-Mail"))
    organisation = models.ForeignKey(
        "actors.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="registrations",
        verbose_name=_("Organisation"),
    )
    organisation_name = models.CharField(_("Organisation (Freitext)"), max_length=250, blank=True)
    category = models.CharField(_("Kategorie"), max_length=12, choices=ParticipantCategory.choices)
    sessions = models.ManyToManyField(
        EventSession,
        related_name="registrations",
        verbose_name=_("gewählte Workshops"),
        blank=True,
    )
    needs = models.TextField(_("Barrierefreiheit oder Sprache"), blank=True)
    listed = models.BooleanField(_("auf der Teilnehmendenliste sichtbar"), default=False)
    status = models.CharField(
        _("Status"),
        max_length=12,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.PENDING,
    )
    attended = models.BooleanField(_("teilgenommen"), default=False)
    language = models.CharField(
        _("Sprache"), max_length=8, default="de", help_text=_("Sprache der E-Mails.")
    )
    created_at = models.DateTimeField(_("angemeldet am"), auto_now_add=True)
    confirmed_at = models.DateTimeField(
        _("E-Mail bestätigt am"),
        null=True,
        blank=True,
        help_text=_("Reihenfolge der Warteliste."),
    )
    cancelled_at = models.DateTimeField(_("storniert am"), null=True, blank=True)
    # After the retention period the person is forgotten; what counts for the
    # attendance figures (category, organisation, workshops, attended) stays.
    anonymised_at = models.DateTimeField(_("anonymisiert am"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("eingecheckt am"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("eingecheckt von"),
    )

    class Meta:
        verbose_name = _("Anmeldung")
        verbose_name_plural = _("Anmeldungen")
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"), "event", name="registration_one_per_person_and_event"
            ),
            models.CheckConstraint(
                condition=Q(attended=False) | Q(status=RegistrationStatus.CONFIRMED),
                name="registration_attended_only_if_confirmed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.shown_name} – {self.event.title}"

    @property
    def shown_name(self) -> str:
        """The name, or a note that it was removed after the retention period."""
        return str(_("anonymisiert")) if self.anonymised_at else self.name

    @property
    def is_pending(self) -> bool:
        return self.status == RegistrationStatus.PENDING

    @property
    def is_confirmed(self) -> bool:
        return self.status == RegistrationStatus.CONFIRMED

    @property
    def is_waitlisted(self) -> bool:
        return self.status == RegistrationStatus.WAITLISTED

    @property
    def is_cancelled(self) -> bool:
        return self.status == RegistrationStatus.CANCELLED

    @property
    def shown_email(self) -> str:
        return "" if self.anonymised_at else self.email
