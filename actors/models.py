import uuid

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from core.formats import short_date
from core.validators import SensibleYear, sensible_date

from .enums import ConsentChannel, FindingSource, OrganisationKind, Scope, SuggestionStatus
from .search import fill_search_columns


class FieldOfAction(models.Model):
    """A field of action (Handlungsfeld) of municipal development policy."""

    slug = models.SlugField(_("Kürzel"), max_length=60, unique=True)
    name_de = models.CharField(_("Name (deutsch)"), max_length=150)
    name_en = models.CharField(_("Name (englisch)"), max_length=150)
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        verbose_name = _("Handlungsfeld")
        verbose_name_plural = _("Handlungsfelder")
        ordering = ["position", "name_de"]

    def __str__(self) -> str:
        return self.name_en if (get_language() or "de").startswith("en") else self.name_de


class Organisation(models.Model):
    """An actor: a migrant organisation or another body engaged in development policy."""

    name = models.CharField(_("Name"), max_length=250)
    slug = models.SlugField(_("Kurzname für Adressen"), max_length=120, unique=True)
    kind = models.CharField(_("Art"), max_length=16, choices=OrganisationKind.choices)
    municipality = models.ForeignKey(
        "engagements.Municipality",
        on_delete=models.PROTECT,
        related_name="organisations",
        verbose_name=_("Kommune"),
    )
    street = models.CharField(_("Straße und Hausnummer"), max_length=200, blank=True)
    postcode = models.CharField(_("PLZ"), max_length=10, blank=True)
    website = models.URLField(_("Website"), blank=True)
    email = models.EmailField(_("E-Mail"), blank=True)
    phone = models.CharField(_("Telefon"), max_length=40, blank=True)
    language = models.CharField(
        _("Sprache für E-Mails"),
        max_length=8,
        choices=settings.LANGUAGES,
        default="de",
        help_text=_("In dieser Sprache schreibt das Portal der Organisation, etwa zu Befragungen."),
    )
    countries_of_origin = CountryField(_("Herkunftsländer"), multiple=True, blank=True)
    countries_of_activity = CountryField(_("Tätigkeitsländer"), multiple=True, blank=True)
    fields_of_action = models.ManyToManyField(
        FieldOfAction,
        related_name="organisations",
        verbose_name=_("Handlungsfelder"),
        blank=True,
    )
    scope = models.CharField(
        _("Wirkungsradius"), max_length=16, choices=Scope.choices, default=Scope.LOCAL
    )
    description = models.TextField(_("Beschreibung"), blank=True)
    founded_year = models.PositiveSmallIntegerField(
        _("Gründungsjahr"), null=True, blank=True, validators=[SensibleYear(1800)]
    )
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)
    updated_at = models.DateTimeField(_("geändert am"), auto_now=True)
    # A stable identifier for open data: the slug may change with the name.
    public_id = models.UUIDField(
        _("öffentliche Kennung"), default=uuid.uuid4, unique=True, editable=False
    )
    # Search columns, derived from the fields above on every save (see search.py).
    # On PostgreSQL a trigger fills search_vector from search_document.
    search_name = models.CharField(max_length=250, blank=True, editable=False, db_index=True)
    search_document = models.TextField(blank=True, editable=False)
    search_vector = SearchVectorField(null=True, editable=False)
    # Written by the database from the active consents, never by Django (migration 0009):
    # whatever a save writes here, the trigger replaces it.
    published = models.BooleanField(_("veröffentlicht"), default=False, editable=False)
    history = HistoricalRecords(
        excluded_fields=[
            "updated_at",
            "search_name",
            "search_document",
            "search_vector",
            "published",
        ]
    )

    class Meta:
        verbose_name = _("Organisation")
        verbose_name_plural = _("Organisationen")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["municipality", "name"]),
            models.Index(
                fields=["name", "id"],
                condition=Q(published=True),
                name="actors_org_published_name",
            ),
            # The directory's facet counts read only this (index-only scans).
            models.Index(
                fields=["scope", "kind", "municipality"],
                include=["id", "countries_of_origin", "countries_of_activity"],
                condition=Q(published=True),
                name="actors_org_published_facets",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        fill_search_columns(self)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_name", "search_document"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("actors:organisation_detail", args=[self.slug])


class ContactPerson(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="contacts",
        verbose_name=_("Organisation"),
    )
    name = models.CharField(_("Name"), max_length=150)
    role = models.CharField(_("Funktion"), max_length=150, blank=True)
    email = models.EmailField(_("E-Mail"), blank=True)
    phone = models.CharField(_("Telefon"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("Kontaktperson")
        verbose_name_plural = _("Kontaktpersonen")
        ordering = ["organisation", "name"]

    def __str__(self) -> str:
        return self.name


class ConsentWording(models.Model):
    """A version of the text people agree to when they allow publication."""

    version = models.CharField(_("Version"), max_length=20, unique=True)
    text_de = models.TextField(_("Wortlaut (deutsch)"))
    text_en = models.TextField(_("Wortlaut (englisch)"), blank=True)
    valid_from = models.DateField(_("gültig ab"), validators=[sensible_date])

    class Meta:
        verbose_name = _("Einwilligungstext")
        verbose_name_plural = _("Einwilligungstexte")
        ordering = ["-valid_from"]

    def __str__(self) -> str:
        return _("Einwilligungstext %(version)s") % {"version": self.version}


class PublicationConsentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(withdrawn_at__isnull=True)


class PublicationConsent(models.Model):
    """A recorded consent to publish an organisation (or one of its contact persons).

    Who agreed, when, through which channel and to which wording. Withdrawing
    sets `withdrawn_at`; the record itself is kept as evidence.
    """

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="consents",
        verbose_name=_("Organisation"),
    )
    contact_person = models.ForeignKey(
        ContactPerson,
        on_delete=models.CASCADE,
        related_name="consents",
        verbose_name=_("Kontaktperson"),
        null=True,
        blank=True,
        help_text=_("Leer: Einwilligung der Organisation selbst."),
    )
    wording = models.ForeignKey(
        ConsentWording,
        on_delete=models.PROTECT,
        related_name="consents",
        verbose_name=_("Wortlaut"),
    )
    given_by = models.CharField(_("erteilt von"), max_length=150)
    given_at = models.DateTimeField(_("erteilt am"), default=timezone.now)
    channel = models.CharField(_("Weg"), max_length=12, choices=ConsentChannel.choices)
    source = models.CharField(
        _("Quelle"),
        max_length=250,
        blank=True,
        help_text=_("Zum Beispiel die Befragung, in der die Einwilligung gegeben wurde."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("erfasst von"),
    )
    withdrawn_at = models.DateTimeField(_("widerrufen am"), null=True, blank=True)

    objects = PublicationConsentQuerySet.as_manager()

    class Meta:
        verbose_name = _("Einwilligung zur Veröffentlichung")
        verbose_name_plural = _("Einwilligungen zur Veröffentlichung")
        ordering = ["-given_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(withdrawn_at__isnull=True, contact_person__isnull=True),
                name="consent_one_active_per_organisation",
            ),
            models.UniqueConstraint(
                fields=["contact_person"],
                condition=Q(withdrawn_at__isnull=True, contact_person__isnull=False),
                name="consent_one_active_per_contact",
            ),
        ]

    def __str__(self) -> str:
        subject = self.contact_person or self.organisation
        return _("Einwilligung %(subject)s (%(date)s)") % {
            "subject": subject,
            "date": short_date(self.given_at),
        }

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None


class OrganisationSuggestion(models.Model):
    """An organisation's proposal of its own entry, or a correction, waiting for SKEW.

    Nothing is published before SKEW approves it; the approval records the
    consent given in the form.
    """

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="suggestions",
        verbose_name=_("zu korrigierende Organisation"),
    )
    status = models.CharField(
        _("Status"),
        max_length=10,
        choices=SuggestionStatus.choices,
        default=SuggestionStatus.PENDING,
        db_index=True,
    )
    name = models.CharField(_("Name"), max_length=250)
    kind = models.CharField(_("Art"), max_length=16, choices=OrganisationKind.choices)
    municipality = models.ForeignKey(
        "engagements.Municipality",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Kommune"),
    )
    website = models.URLField(_("Website"), blank=True)
    description = models.TextField(_("Beschreibung"), blank=True)
    scope = models.CharField(_("Wirkungsradius"), max_length=16, choices=Scope.choices)
    fields_of_action = models.ManyToManyField(
        FieldOfAction, related_name="+", verbose_name=_("Handlungsfelder"), blank=True
    )
    countries_of_origin = CountryField(_("Herkunftsländer"), multiple=True, blank=True)
    countries_of_activity = CountryField(_("Tätigkeitsländer"), multiple=True, blank=True)
    submitter_name = models.CharField(_("Name der einreichenden Person"), max_length=150)
    submitter_email = models.EmailField(_("E-Mail der einreichenden Person"))
    submitter_role = models.CharField(_("Funktion in der Organisation"), max_length=150, blank=True)
    wording = models.ForeignKey(
        ConsentWording,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("zugestimmter Einwilligungstext"),
    )
    consent_given_at = models.DateTimeField(_("Einwilligung erteilt am"), default=timezone.now)
    channel = models.CharField(
        _("Weg"), max_length=12, choices=ConsentChannel.choices, default=ConsentChannel.WEB_FORM
    )
    source = models.CharField(_("Quelle"), max_length=250, blank=True)
    message = models.TextField(_("Nachricht an die SKEW"), blank=True)
    decided_at = models.DateTimeField(_("entschieden am"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entschieden von"),
    )
    created_at = models.DateTimeField(_("eingegangen am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Vorschlag für das Verzeichnis")
        verbose_name_plural = _("Vorschläge für das Verzeichnis")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name


class ResearchFinding(models.Model):
    """An advisor's note on an organisation found during an engagement. Never public."""

    engagement = models.ForeignKey(
        "engagements.Engagement",
        on_delete=models.CASCADE,
        related_name="findings",
        verbose_name=_("Beratungseinsatz"),
    )
    advisor = models.ForeignKey(
        "advisors.Advisor",
        on_delete=models.PROTECT,
        related_name="findings",
        verbose_name=_("Berater*in"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="findings",
        verbose_name=_("Organisation"),
    )
    source = models.CharField(_("Quelle"), max_length=16, choices=FindingSource.choices)
    found_on = models.DateField(
        _("gefunden am"), default=timezone.localdate, validators=[sensible_date]
    )
    notes = models.TextField(_("Notizen"), blank=True)
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Rechercheergebnis")
        verbose_name_plural = _("Rechercheergebnisse")
        ordering = ["-found_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["engagement", "organisation"], name="finding_once_per_engagement"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.engagement})"


class DirectoryVersion(models.Model):
    """One row whose token changes, at commit, with every change the public directory
    shows. Written by database triggers only (migration 0009); actors.directory_cache
    files cached figures under it."""

    id = models.PositiveSmallIntegerField(primary_key=True)
    token = models.CharField(max_length=36)
    xact = models.BigIntegerField(null=True)

    def __str__(self) -> str:
        return self.token
