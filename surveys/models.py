"""A survey of a town's organisations: its questions, invitations, answers and opt-outs."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from actors.enums import OrganisationKind, Scope
from core.validators import sensible_date

from .enums import OpenCheck, QuestionKind, ResponseStatus


def new_secret() -> str:
    return secrets.token_urlsafe(16)


class Survey(models.Model):
    """SKEW's, or an engagement's advisors', survey of the organisations of one place."""

    title = models.CharField(_("Titel"), max_length=200)
    municipality = models.ForeignKey(
        "engagements.Municipality",
        on_delete=models.PROTECT,
        related_name="surveys",
        verbose_name=_("Kommune"),
    )
    engagement = models.ForeignKey(
        "engagements.Engagement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="surveys",
        verbose_name=_("Beratungseinsatz"),
    )
    introduction = models.TextField(_("Einleitung"))
    opens_on = models.DateField(_("ab"), validators=[sensible_date])
    closes_on = models.DateField(_("bis"), validators=[sensible_date])
    minutes = models.PositiveSmallIntegerField(
        _("Dauer in Minuten"), default=10, validators=[MaxValueValidator(120)]
    )
    wording = models.ForeignKey(
        "actors.ConsentWording",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Wortlaut der Einwilligung zur Veröffentlichung"),
    )
    # The open link for organisations nobody knows yet: its address.
    open_key = models.CharField(max_length=32, default=new_secret, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("angelegt von"),
    )
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Befragung")
        verbose_name_plural = _("Befragungen")
        ordering = ["-opens_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=F("opens_on")), name="survey_closes_after_opening"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def is_open(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.opens_on <= today <= self.closes_on


class Question(models.Model):
    """A question of the survey's own, beside the fixed core that maps onto the directory."""

    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="questions", verbose_name=_("Befragung")
    )
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)
    kind = models.CharField(_("Art"), max_length=8, choices=QuestionKind.choices)
    text = models.CharField(_("Frage"), max_length=300)
    choices = models.TextField(
        _("Antworten zur Auswahl"), blank=True, help_text=_("Eine Antwort je Zeile.")
    )
    required = models.BooleanField(_("Pflichtfrage"), default=False)

    class Meta:
        verbose_name = _("Frage")
        verbose_name_plural = _("Fragen")
        ordering = ["survey", "position", "pk"]

    def __str__(self) -> str:
        return self.text

    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]


class Invitation(models.Model):
    """One organisation's personal invitation, by the address it is known under."""

    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("Befragung")
    )
    organisation = models.ForeignKey(
        "actors.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Organisation"),
    )
    email = models.EmailField(_("E-Mail"))
    language = models.CharField(
        _("Sprache"), max_length=8, choices=settings.LANGUAGES, default="de"
    )
    sent_at = models.DateTimeField(_("eingeladen am"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("erinnert am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Einladung")
        verbose_name_plural = _("Einladungen")
        ordering = ["survey", "email"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "email"], name="invitation_once_per_address"),
        ]

    def __str__(self) -> str:
        return self.email


class Response(models.Model):
    """One organisation's answer: the core for the directory, and the survey's own questions."""

    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="responses", verbose_name=_("Befragung")
    )
    invitation = models.OneToOneField(
        Invitation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="response",
        verbose_name=_("Einladung"),
    )
    organisation = models.ForeignKey(
        "actors.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bekannte Organisation"),
    )
    secret = models.CharField(max_length=32, default=new_secret, unique=True, editable=False)
    status = models.CharField(
        _("Status"), max_length=10, choices=ResponseStatus.choices, default=ResponseStatus.DRAFT
    )
    open_check = models.CharField(
        _("Prüfung"), max_length=10, choices=OpenCheck.choices, default="", blank=True
    )
    language = models.CharField(
        _("Sprache"), max_length=8, choices=settings.LANGUAGES, default="de"
    )
    # The fixed core: it maps onto the directory.
    name = models.CharField(_("Name der Organisation"), max_length=250, blank=True)
    kind = models.CharField(
        _("Art der Organisation"), max_length=16, choices=OrganisationKind.choices, blank=True
    )
    town = models.CharField(_("Ort"), max_length=120, blank=True)
    website = models.URLField(_("Website"), blank=True)
    scope = models.CharField(_("Wirkungsradius"), max_length=16, choices=Scope.choices, blank=True)
    fields_of_action = models.ManyToManyField(
        "actors.FieldOfAction", related_name="+", verbose_name=_("Handlungsfelder"), blank=True
    )
    countries_of_origin = CountryField(_("Herkunftsländer"), multiple=True, blank=True)
    countries_of_activity = CountryField(_("Aktivitätsländer"), multiple=True, blank=True)
    activities = models.TextField(_("Aktivitäten"), blank=True)
    members = models.PositiveIntegerField(_("Zahl der Mitglieder"), null=True, blank=True)
    networking = models.BooleanField(_("Interesse an Vernetzung mit der Kommune"), default=False)
    publish = models.BooleanField(_("im Verzeichnis veröffentlichen"), default=False)
    publish_what = models.JSONField(_("was veröffentlicht werden darf"), default=list, blank=True)
    respondent_name = models.CharField(_("Ihr Name"), max_length=150, blank=True)
    respondent_email = models.EmailField(_("Ihre E-Mail-Adresse"), blank=True)
    # The survey's own questions: question pk (as text) -> the answer (text or list).
    answers = models.JSONField(_("Antworten auf die eigenen Fragen"), default=dict, blank=True)
    submitted_at = models.DateTimeField(_("abgeschickt am"), null=True, blank=True)
    consent_given_at = models.DateTimeField(_("eingewilligt am"), null=True, blank=True)
    suggestion = models.ForeignKey(
        "actors.OrganisationSuggestion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Vorschlag fürs Verzeichnis"),
    )
    created_at = models.DateTimeField(_("angefangen am"), auto_now_add=True)
    updated_at = models.DateTimeField(_("geändert am"), auto_now=True)

    class Meta:
        verbose_name = _("Antwort")
        verbose_name_plural = _("Antworten")
        ordering = ["survey", "name"]

    def __str__(self) -> str:
        return self.name or str(_("Antwort ohne Namen"))

    @property
    def counts(self) -> bool:
        """Submitted, and (for the open link) checked by SKEW."""
        return self.status == ResponseStatus.SUBMITTED and self.open_check in (
            OpenCheck.NOT_NEEDED,
            OpenCheck.ACCEPTED,
        )


class OptOut(models.Model):
    """An address that asked for no more surveys: honoured for every later one."""

    email = models.EmailField(_("E-Mail"), unique=True)
    created_at = models.DateTimeField(_("abgemeldet am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Abmeldung von Befragungen")
        verbose_name_plural = _("Abmeldungen von Befragungen")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.email


class MeetingInvitation(models.Model):
    """A respondent invited from the survey to an event: once per event and address."""

    survey = models.ForeignKey(
        Survey,
        on_delete=models.CASCADE,
        related_name="meeting_invitations",
        verbose_name=_("Befragung"),
    )
    event = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, related_name="+", verbose_name=_("Veranstaltung")
    )
    email = models.EmailField(_("E-Mail"))
    sent_at = models.DateTimeField(_("eingeladen am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Einladung zur Veranstaltung")
        verbose_name_plural = _("Einladungen zur Veranstaltung")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "email"], name="meeting_invitation_once_per_address"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} – {self.event}"
