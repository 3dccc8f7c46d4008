import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from core.validators import SensibleYear, sensible_date

from .enums import Availability, FederalState, Gender


class Language(models.Model):
    """A language an advisor speaks (ISO 639-1 code where one exists)."""

    code = models.CharField(_("Code"), max_length=12, unique=True)
    name_de = models.CharField(_("Name (deutsch)"), max_length=80)
    name_en = models.CharField(_("Name (englisch)"), max_length=80)

    class Meta:
        verbose_name = _("Sprache")
        verbose_name_plural = _("Sprachen")
        ordering = ["name_de"]

    def __str__(self) -> str:
        return self.name_en if (get_language() or "de").startswith("en") else self.name_de


class Pool(models.Model):
    """The advisors of one federal state."""

    name = models.CharField(_("Name"), max_length=120)
    federal_state = models.CharField(
        _("Bundesland"), max_length=2, choices=FederalState.choices, unique=True
    )
    established = models.DateField(
        _("aufgebaut seit"), null=True, blank=True, validators=[sensible_date]
    )
    slug = models.SlugField(_("Kurzname für die Adresse"), max_length=60, unique=True)
    description = models.TextField(_("Beschreibung"), blank=True)

    class Meta:
        verbose_name = _("Pool")
        verbose_name_plural = _("Pools")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)[:60]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("recruitment:pool", args=[self.slug])


class PartnerOrganisation(models.Model):
    """An organisation that runs a pool together with SKEW (e.g. FSI, Eine Welt Netz NRW)."""

    pool = models.ForeignKey(
        Pool, on_delete=models.CASCADE, related_name="partners", verbose_name=_("Pool")
    )
    name = models.CharField(_("Name"), max_length=200)
    city = models.CharField(_("Ort"), max_length=100, blank=True)
    website = models.URLField(_("Website"), blank=True)

    class Meta:
        verbose_name = _("Kooperationspartner")
        verbose_name_plural = _("Kooperationspartner")
        ordering = ["pool", "name"]
        constraints = [
            models.UniqueConstraint(fields=["pool", "name"], name="partner_unique_per_pool"),
        ]

    def __str__(self) -> str:
        return self.name


def current_membership(on: datetime.date, prefix: str = "") -> Q:
    """A pool membership that holds on the day `on` (fields under `prefix`)."""
    return Q(**{f"{prefix}joined_on__lte": on}) & (
        Q(**{f"{prefix}left_on__isnull": True}) | Q(**{f"{prefix}left_on__gt": on})
    )


class AdvisorQuerySet(models.QuerySet):
    def members(self, *, on: datetime.date, **pool: object) -> "AdvisorQuerySet":
        """Advisors who are members on the day `on` of the pools that `pool` filters
        (`pool=…`, `pool__federal_state=…`); each advisor once."""
        membership = current_membership(on, "memberships__")
        pool_filter = {f"memberships__{key}": value for key, value in pool.items()}
        return self.filter(membership, **pool_filter).distinct()


class Advisor(models.Model):
    """A MiGlobe advisor (Berater*in) with a migration background."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="advisor",
        verbose_name=_("Benutzerkonto"),
    )
    gender = models.CharField(
        _("Geschlecht"), max_length=12, choices=Gender.choices, default=Gender.UNSPECIFIED
    )
    birth_year = models.PositiveSmallIntegerField(
        _("Geburtsjahr"), null=True, blank=True, validators=[SensibleYear(1920, at_least_ago=16)]
    )
    home_municipality = models.ForeignKey(
        "engagements.Municipality",
        on_delete=models.PROTECT,
        related_name="resident_advisors",
        verbose_name=_("Wohnort"),
        null=True,
        blank=True,
    )
    countries_of_origin = CountryField(_("Herkunftsländer"), multiple=True, blank=True)
    languages = models.ManyToManyField(
        Language, related_name="advisors", verbose_name=_("Sprachen"), blank=True
    )
    expertise = models.ManyToManyField(
        "actors.FieldOfAction",
        related_name="advisors",
        verbose_name=_("Expertise (Handlungsfelder)"),
        blank=True,
    )
    expertise_notes = models.TextField(_("weitere Expertise"), blank=True)
    availability = models.CharField(
        _("Verfügbarkeit"),
        max_length=12,
        choices=Availability.choices,
        default=Availability.AVAILABLE,
    )
    available_from = models.DateField(
        _("verfügbar ab"), null=True, blank=True, validators=[sensible_date]
    )
    max_engagements = models.PositiveSmallIntegerField(
        _("höchstens gleichzeitig laufende Einsätze"), default=2
    )
    phone = models.CharField(_("Telefon"), max_length=40, blank=True)
    notes = models.TextField(_("interne Notizen"), blank=True)
    # Raised when the advisor renews their calendar address: older addresses stop working.
    calendar_version = models.PositiveIntegerField(
        _("Version der Kalenderadresse"), default=0, editable=False
    )
    pools = models.ManyToManyField(
        Pool, through="PoolMembership", related_name="advisors", verbose_name=_("Pools")
    )
    trainings = models.ManyToManyField(
        "Training",
        through="TrainingCompletion",
        related_name="advisors",
        verbose_name=_("Fortbildungen"),
    )

    objects = AdvisorQuerySet.as_manager()

    class Meta:
        verbose_name = _("Berater*in")
        verbose_name_plural = _("Berater*innen")
        ordering = ["user__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(birth_year__isnull=True) | Q(birth_year__gte=1900),
                name="advisor_birth_year_plausible",
            ),
        ]

    def __str__(self) -> str:
        return str(self.user)

    @property
    def name(self) -> str:
        return str(self.user)


class PoolMembership(models.Model):
    advisor = models.ForeignKey(
        Advisor, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("Berater*in")
    )
    pool = models.ForeignKey(
        Pool, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("Pool")
    )
    joined_on = models.DateField(_("Mitglied seit"), validators=[sensible_date])
    left_on = models.DateField(
        _("ausgeschieden am"), null=True, blank=True, validators=[sensible_date]
    )

    class Meta:
        verbose_name = _("Pool-Mitgliedschaft")
        verbose_name_plural = _("Pool-Mitgliedschaften")
        ordering = ["pool", "-joined_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("joined_on")),
                name="membership_left_not_before_joined",
            ),
            models.UniqueConstraint(
                fields=["advisor", "pool"],
                condition=Q(left_on__isnull=True),
                name="membership_one_open_per_pool",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.advisor} – {self.pool}"


class Training(models.Model):
    """A qualification seminar of a pool (e.g. one of the six BW weekends)."""

    pool = models.ForeignKey(
        Pool, on_delete=models.PROTECT, related_name="training_set", verbose_name=_("Pool")
    )
    title = models.CharField(_("Titel"), max_length=200)
    topic = models.TextField(_("Inhalte"), blank=True)
    starts_on = models.DateField(_("Beginn"), validators=[sensible_date])
    ends_on = models.DateField(_("Ende"), validators=[sensible_date])
    location = models.CharField(_("Ort"), max_length=120, blank=True)
    mandatory = models.BooleanField(
        _("Pflicht"),
        default=True,
        help_text=_("Qualifiziert ist, wer jede Pflicht-Fortbildung besucht hat oder befreit ist."),
    )

    class Meta:
        verbose_name = _("Fortbildung")
        verbose_name_plural = _("Fortbildungen")
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="training_end_not_before_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class TrainingCompletion(models.Model):
    advisor = models.ForeignKey(
        Advisor,
        on_delete=models.CASCADE,
        related_name="training_completions",
        verbose_name=_("Berater*in"),
    )
    training = models.ForeignKey(
        Training,
        on_delete=models.PROTECT,
        related_name="completions",
        verbose_name=_("Fortbildung"),
    )
    completed_on = models.DateField(_("abgeschlossen am"), validators=[sensible_date])

    class Meta:
        verbose_name = _("abgeschlossene Fortbildung")
        verbose_name_plural = _("abgeschlossene Fortbildungen")
        ordering = ["completed_on"]
        constraints = [
            models.UniqueConstraint(fields=["advisor", "training"], name="training_completed_once"),
        ]

    def __str__(self) -> str:
        return f"{self.advisor} – {self.training}"


class TrainingWaiver(models.Model):
    """SKEW exempts an advisor from a mandatory seminar, with the reason (e.g. prior study)."""

    advisor = models.ForeignKey(
        Advisor,
        on_delete=models.CASCADE,
        related_name="training_waivers",
        verbose_name=_("Berater*in"),
    )
    training = models.ForeignKey(
        Training, on_delete=models.PROTECT, related_name="waivers", verbose_name=_("Fortbildung")
    )
    reason = models.TextField(_("Grund"))
    waived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("befreit von"),
    )
    waived_at = models.DateTimeField(_("befreit am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Befreiung von einer Fortbildung")
        verbose_name_plural = _("Befreiungen von Fortbildungen")
        ordering = ["-waived_at"]
        constraints = [
            models.UniqueConstraint(fields=["advisor", "training"], name="training_waived_once"),
            models.CheckConstraint(condition=~Q(reason=""), name="training_waiver_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.advisor} – {self.training}"
