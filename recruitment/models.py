"""A pool's public call for advisors (Ausschreibung), the applications, and their review."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from core.validators import SensibleYear, sensible_date

from .enums import ApplicantGender, ApplicationStatus


def new_secret() -> str:
    return secrets.token_urlsafe(16)


class CallQuerySet(models.QuerySet):
    def open(self, now=None) -> CallQuerySet:
        now = now or timezone.now()
        return self.filter(published=True, opens_at__lte=now, deadline__gt=now)


class Call(models.Model):
    """A call for applications to a pool: its text, deadline, places and criteria."""

    pool = models.ForeignKey(
        "advisors.Pool", on_delete=models.PROTECT, related_name="calls", verbose_name=_("Pool")
    )
    title = models.CharField(_("Titel"), max_length=200)
    slug = models.SlugField(_("Kurzname für die Adresse"), max_length=80, unique=True)
    text = models.TextField(_("Text der Ausschreibung"))
    asked_for = models.TextField(
        _("Was wir suchen"), blank=True, help_text=_("Voraussetzungen und Erwartungen.")
    )
    places = models.PositiveSmallIntegerField(_("Plätze"), validators=[MinValueValidator(1)])
    opens_at = models.DateTimeField(_("Bewerbung ab"), default=timezone.now)
    deadline = models.DateTimeField(_("Bewerbungsschluss"))
    starts_on = models.DateField(
        _("Mitglied im Pool ab"),
        validators=[sensible_date],
        help_text=_("Wer aufgenommen wird, ist von diesem Tag an Mitglied des Pools."),
    )
    consent_text = models.TextField(
        _("Text der Einwilligung"),
        help_text=_("Wird mit jeder Bewerbung so gespeichert, wie die Person ihn gesehen hat."),
    )
    published = models.BooleanField(_("veröffentlicht"), default=False)
    reviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="calls_to_review",
        verbose_name=_("weitere Gutachter*innen"),
        help_text=_(
            "Menschen der Kooperationspartner, die die SKEW an der Auswahl beteiligt. Sie "
            "sehen nur die Bewerbungen dieser Ausschreibung."
        ),
    )
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)

    objects = CallQuerySet.as_manager()

    class Meta:
        verbose_name = _("Ausschreibung")
        verbose_name_plural = _("Ausschreibungen")
        ordering = ["-deadline"]
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__gt=F("opens_at")), name="call_deadline_after_opening"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("recruitment:call", args=[self.pool.slug, self.slug])

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.published and self.opens_at <= now < self.deadline


class Criterion(models.Model):
    """What reviewers score each application against (1 to 5)."""

    call = models.ForeignKey(
        Call, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("Ausschreibung")
    )
    title = models.CharField(_("Kriterium"), max_length=200)
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        verbose_name = _("Kriterium")
        verbose_name_plural = _("Kriterien")
        ordering = ["call", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["call", "title"], name="criterion_once_per_call"),
        ]

    def __str__(self) -> str:
        return self.title


class Application(models.Model):
    """One person's application to a call; its personal data goes after the retention time."""

    call = models.ForeignKey(
        Call, on_delete=models.PROTECT, related_name="applications", verbose_name=_("Ausschreibung")
    )
    status = models.CharField(
        _("Status"),
        max_length=12,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.UNCONFIRMED,
    )
    name = models.CharField(_("Name"), max_length=150)
    email = models.EmailField(_("E-Mail"))
    language = models.CharField(
        _("Sprache"), max_length=8, choices=settings.LANGUAGES, default="de"
    )
    home_town = models.CharField(_("Wohnort"), max_length=120)
    countries_of_origin = CountryField(_("Herkunftsländer"), multiple=True, blank=True)
    countries_of_experience = CountryField(
        _("Länder, in denen Sie Erfahrung haben"), multiple=True, blank=True
    )
    languages = models.ManyToManyField(
        "advisors.Language", related_name="+", verbose_name=_("Sprachen"), blank=True
    )
    expertise = models.ManyToManyField(
        "actors.FieldOfAction", related_name="+", verbose_name=_("Fachgebiete"), blank=True
    )
    experience = models.TextField(_("Erfahrung in der Entwicklungspolitik"))
    motivation = models.TextField(_("Motivation"))
    availability = models.TextField(_("Verfügbarkeit"))
    cv = models.FileField(_("Lebenslauf (PDF)"), upload_to="applications/%Y/", blank=True)
    gender = models.CharField(
        _("Geschlecht"), max_length=12, choices=ApplicantGender.choices, blank=True
    )
    gender_self = models.CharField(_("Geschlecht, selbst beschrieben"), max_length=60, blank=True)
    birth_year = models.PositiveSmallIntegerField(
        _("Geburtsjahr"), null=True, blank=True, validators=[SensibleYear(1920, at_least_ago=16)]
    )
    consent_text = models.TextField(_("Text der Einwilligung, wie gezeigt"))
    consent_given_at = models.DateTimeField(_("eingewilligt am"))
    confirmed_at = models.DateTimeField(_("E-Mail bestätigt am"), null=True, blank=True)
    # Part of every signed link: a new secret makes the old links stop working.
    secret = models.CharField(max_length=32, default=new_secret, editable=False)
    interview_at = models.DateTimeField(_("Gespräch am"), null=True, blank=True)
    interview_place = models.CharField(_("Ort des Gesprächs"), max_length=200, blank=True)
    decided_at = models.DateTimeField(_("entschieden am"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entschieden von"),
    )
    advisor = models.OneToOneField(
        "advisors.Advisor",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="application",
        verbose_name=_("Berater*in"),
    )
    # The form's one-time token: the same form sent twice makes one application.
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField(_("eingegangen am"), auto_now_add=True)
    updated_at = models.DateTimeField(_("geändert am"), auto_now=True)
    anonymised_at = models.DateTimeField(_("anonymisiert am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Bewerbung")
        verbose_name_plural = _("Bewerbungen")
        ordering = ["call", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "email"],
                condition=~Q(email=""),
                name="application_once_per_call_and_email",
            ),
            models.CheckConstraint(
                condition=Q(birth_year__isnull=True) | Q(birth_year__gte=1900),
                name="application_birth_year_plausible",
            ),
        ]

    def __str__(self) -> str:
        return self.name or str(_("anonymisierte Bewerbung"))

    @property
    def gender_label(self) -> str:
        if self.gender == ApplicantGender.SELF and self.gender_self:
            return self.gender_self
        return str(self.get_gender_display())


class Review(models.Model):
    """One reviewer's scores and comment on one application."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("Bewerbung")
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="application_reviews",
        verbose_name=_("Gutachter*in"),
    )
    comment = models.TextField(_("Kommentar"), blank=True)
    created_at = models.DateTimeField(_("bewertet am"), auto_now_add=True)
    updated_at = models.DateTimeField(_("geändert am"), auto_now=True)

    class Meta:
        verbose_name = _("Bewertung")
        verbose_name_plural = _("Bewertungen")
        ordering = ["application", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "reviewer"], name="review_once_per_reviewer"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} – {self.reviewer}"


class Score(models.Model):
    review = models.ForeignKey(
        Review, on_delete=models.CASCADE, related_name="scores", verbose_name=_("Bewertung")
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.CASCADE, related_name="scores", verbose_name=_("Kriterium")
    )
    value = models.PositiveSmallIntegerField(
        _("Punkte"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )

    class Meta:
        verbose_name = _("Punktzahl")
        verbose_name_plural = _("Punktzahlen")
        constraints = [
            models.UniqueConstraint(
                fields=["review", "criterion"], name="score_once_per_criterion"
            ),
            models.CheckConstraint(condition=Q(value__gte=1, value__lte=5), name="score_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.value}"
