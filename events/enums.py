from django.db import models
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    NETWORK_MEETING = "network_meeting", _("Vernetzungstreffen")
    INFORMATION_MEETING = "information_meeting", _("Informationsveranstaltung")
    COUNCIL_PRESENTATION = "council_presentation", _("Vorstellung in Rat oder Integrationsrat")
    TRAINING = "training", _("Fortbildung")
    OTHER = "other", _("Sonstige")


class SessionKind(models.TextChoices):
    WELCOME = "welcome", _("Begrüßung")
    TALK = "talk", _("Vortrag")
    WORKSHOP = "workshop", _("Workshop")
    PANEL = "panel", _("Podium")
    BREAK = "break", _("Pause")


class ParticipantCategory(models.TextChoices):
    MIGRANT_ORGANISATION = "migrant_org", _("Migrantenorganisation")
    MUNICIPAL_BODY = "municipal", _("kommunale Einrichtung")
    OTHER_INSTITUTION = "institution", _("sonstige Institution")
    PRIVATE = "private", _("Privatperson")


class RegistrationStatus(models.TextChoices):
    PENDING = "pending", _("unbestätigt")
    CONFIRMED = "confirmed", _("bestätigt")
    WAITLISTED = "waitlisted", _("Warteliste")
    CANCELLED = "cancelled", _("storniert")


class EventReminder(models.TextChoices):
    """Kinds of reminder in the daily digest (events/reminders.py)."""

    EVENT_TOMORROW = "event_tomorrow", _("Veranstaltung morgen")
