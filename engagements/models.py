import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from advisors.enums import FederalState
from core.formats import number, short_date
from core.validators import sensible_date

from .enums import (
    CORRECTION_CATEGORIES,
    EngagementStatus,
    EntryStatus,
    ExpenseCategory,
    MilestoneKind,
    ReportStatus,
    RequestStatus,
)
from .validators import validate_country_codes

ags_validator = RegexValidator(
    r"^\d{8}$", _("Der Amtliche Gemeindeschlüssel hat genau acht Ziffern.")
)


class MunicipalityQuerySet(models.QuerySet):
    def confirmed(self) -> "MunicipalityQuerySet":
        """Those SKEW has checked: the only ones shown in public lists and drop-downs."""
        return self.filter(confirmed=True)


class Municipality(models.Model):
    """A German municipality (Kommune): a town, city or district.

    One typed in at sign-up is a request until SKEW confirms it (`confirmed`); until then
    it appears nowhere public, and its officer keeps drafts only.
    """

    name = models.CharField(_("Name"), max_length=120)
    federal_state = models.CharField(_("Bundesland"), max_length=2, choices=FederalState.choices)
    ags = models.CharField(
        _("Amtlicher Gemeindeschlüssel (AGS)"),
        max_length=8,
        unique=True,
        null=True,
        blank=True,
        validators=[ags_validator],
    )
    latitude = models.DecimalField(
        _("Breitengrad"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("Längengrad"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    population = models.PositiveIntegerField(_("Einwohnerzahl"), null=True, blank=True)
    community_countries = models.JSONField(
        _("Herkunftsländer größerer Communities"),
        default=list,
        blank=True,
        help_text=_("ISO-3166-Ländercodes, z. B. MA, GH, TR."),
        validators=[validate_country_codes],
    )
    confirmed = models.BooleanField(
        _("von der SKEW bestätigt"),
        default=True,
        help_text=_(
            "Bei der Registrierung neu genannte Kommunen erscheinen erst danach öffentlich."
        ),
    )

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        verbose_name = _("Kommune")
        verbose_name_plural = _("Kommunen")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "federal_state"], name="municipality_name_unique_per_state"
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="municipality_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="municipality_longitude_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    """A department (Fachabteilung / Amt) of a municipality, e.g. 231."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="departments",
        verbose_name=_("Kommune"),
    )
    number = models.CharField(_("Nummer"), max_length=20)
    name = models.CharField(_("Bezeichnung"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("Fachabteilung")
        verbose_name_plural = _("Fachabteilungen")
        ordering = ["municipality", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "number"], name="department_number_unique_per_municipality"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}".strip()


class MunicipalOfficerQuerySet(models.QuerySet):
    def confirmed(self) -> "MunicipalOfficerQuerySet":
        """Officers SKEW confirmed as speaking for their municipality."""
        return self.filter(confirmed_at__isnull=False)

    def unconfirmed(self) -> "MunicipalOfficerQuerySet":
        return self.filter(confirmed_at__isnull=True)


class MunicipalOfficer(models.Model):
    """A user who acts for a municipality. SKEW confirms that they belong to it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="officer",
        verbose_name=_("Benutzerkonto"),
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="officers",
        verbose_name=_("Kommune"),
    )
    role = models.CharField(_("Funktion"), max_length=200, blank=True)
    phone = models.CharField(_("Telefon"), max_length=40, blank=True)
    confirmed_at = models.DateTimeField(_("bestätigt am"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bestätigt von"),
    )

    objects = MunicipalOfficerQuerySet.as_manager()

    class Meta:
        verbose_name = _("Ansprechperson der Kommune")
        verbose_name_plural = _("Ansprechpersonen der Kommunen")
        ordering = ["municipality", "user__email"]

    def __str__(self) -> str:
        return f"{self.user} ({self.municipality})"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class ConsultationRequest(models.Model):
    """A municipality's request (Beratungsanfrage / Antrag) for an engagement."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="requests",
        verbose_name=_("Kommune"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="consultation_requests",
        verbose_name=_("angelegt von"),
    )
    status = models.CharField(
        _("Status"),
        max_length=12,
        choices=RequestStatus.choices,
        default=RequestStatus.DRAFT,
        db_index=True,
    )
    # Drafts may be incomplete; request_submit() checks that everything is there.
    goals = models.TextField(_("Ziele"), blank=True)
    need = models.TextField(_("Beratungsbedarf"), blank=True)
    topics = models.ManyToManyField(
        "actors.FieldOfAction",
        related_name="requests",
        verbose_name=_("Themen (Handlungsfelder)"),
        blank=True,
    )
    departments = models.ManyToManyField(
        Department,
        related_name="requests",
        verbose_name=_("beteiligte Fachabteilungen"),
        blank=True,
    )
    community_languages = models.ManyToManyField(
        "advisors.Language",
        related_name="requests",
        verbose_name=_("Sprachen der Communities vor Ort"),
        blank=True,
    )
    has_integration_centre = models.BooleanField(
        _("Kommunales Integrationszentrum vorhanden"), default=False
    )
    has_integration_commissioner = models.BooleanField(
        _("Integrationsbeauftragte*r vorhanden"), default=False
    )
    has_integration_council = models.BooleanField(_("Integrationsrat vorhanden"), default=False)
    contact_name = models.CharField(_("Ansprechperson"), max_length=150, blank=True)
    contact_email = models.EmailField(_("E-Mail der Ansprechperson"), blank=True)
    contact_phone = models.CharField(_("Telefon der Ansprechperson"), max_length=40, blank=True)
    preferred_start = models.DateField(
        _("gewünschter Beginn"), null=True, blank=True, validators=[sensible_date]
    )
    preferred_end = models.DateField(
        _("gewünschtes Ende"), null=True, blank=True, validators=[sensible_date]
    )
    costs_confirmed = models.BooleanField(
        _("Kostenerstattung über die SKEW bestätigt"), default=False
    )
    decline_reason = models.TextField(_("Begründung der Ablehnung"), blank=True)
    form_token = models.UUIDField(
        _("Formular-Kennung"),
        unique=True,
        null=True,
        blank=True,
        editable=False,
        help_text=_("Macht ein doppelt abgeschicktes Formular zu einer einzigen Anfrage."),
    )
    submitted_at = models.DateTimeField(_("eingereicht am"), null=True, blank=True)
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)
    updated_at = models.DateTimeField(_("geändert am"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("Beratungsanfrage")
        verbose_name_plural = _("Beratungsanfragen")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(preferred_end__isnull=True)
                | Q(preferred_start__isnull=True)
                | Q(preferred_end__gte=F("preferred_start")),
                name="request_end_not_before_start",
            ),
            models.CheckConstraint(
                condition=~Q(status=RequestStatus.DECLINED) | ~Q(decline_reason=""),
                name="request_declined_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return _("Anfrage %(municipality)s vom %(date)s") % {
            "municipality": self.municipality,
            "date": short_date(self.created_at) if self.created_at else "–",
        }

    def get_absolute_url(self) -> str:
        return reverse("engagements:request_detail", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status == RequestStatus.DRAFT

    @property
    def status_tone(self) -> str:
        return RequestStatus(self.status).tone

    @property
    def is_submitted(self) -> bool:
        return self.status == RequestStatus.SUBMITTED

    @property
    def is_in_review(self) -> bool:
        return self.status == RequestStatus.IN_REVIEW

    @property
    def is_accepted(self) -> bool:
        return self.status == RequestStatus.ACCEPTED

    @property
    def is_declined(self) -> bool:
        return self.status == RequestStatus.DECLINED

    @property
    def can_be_withdrawn(self) -> bool:
        return self.status in RequestStatus.withdrawable()


class RequestStatusChange(models.Model):
    """One step in a request's life: who moved it from which state to which, and when."""

    consultation_request = models.ForeignKey(
        ConsultationRequest,
        on_delete=models.CASCADE,
        related_name="status_changes",
        verbose_name=_("Anfrage"),
    )
    from_status = models.CharField(
        _("vorher"), max_length=12, choices=RequestStatus.choices, blank=True
    )
    to_status = models.CharField(_("nachher"), max_length=12, choices=RequestStatus.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("geändert von"),
    )
    changed_at = models.DateTimeField(_("geändert am"), auto_now_add=True)
    note = models.TextField(_("Notiz"), blank=True)

    class Meta:
        verbose_name = _("Statusänderung")
        verbose_name_plural = _("Statusänderungen")
        ordering = ["changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_from_status_display() or '–'} → {self.get_to_status_display()}"

    @property
    def is_decline(self) -> bool:
        return self.to_status == RequestStatus.DECLINED


class RequestMessage(models.Model):
    """A message in the thread between a municipality and SKEW about a request."""

    consultation_request = models.ForeignKey(
        ConsultationRequest,
        on_delete=models.CASCADE,
        related_name="messages",
        verbose_name=_("Anfrage"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("verfasst von"),
    )
    from_skew = models.BooleanField(_("von der SKEW"), default=False)
    body = models.TextField(_("Nachricht"))
    form_token = models.UUIDField(_("Formular-Kennung"), unique=True, null=True, editable=False)
    created_at = models.DateTimeField(_("geschrieben am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Nachricht")
        verbose_name_plural = _("Nachrichten")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.author}: {self.body[:40]}"


class EngagementQuerySet(models.QuerySet):
    def running(self) -> "EngagementQuerySet":
        """Planned or under way (EngagementStatus.running())."""
        return self.filter(status__in=EngagementStatus.running())


class Engagement(models.Model):
    """An advisory engagement (Beratungseinsatz) of one or two advisors in a municipality."""

    title = models.CharField(_("Titel"), max_length=250)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="engagements",
        verbose_name=_("Kommune"),
    )
    pool = models.ForeignKey(
        "advisors.Pool",
        on_delete=models.PROTECT,
        related_name="engagements",
        verbose_name=_("Pool"),
    )
    consultation_request = models.OneToOneField(
        ConsultationRequest,
        on_delete=models.PROTECT,
        related_name="engagement",
        verbose_name=_("Anfrage"),
        null=True,
        blank=True,
    )
    departments = models.ManyToManyField(
        Department,
        related_name="engagements",
        verbose_name=_("koordinierende Fachabteilungen"),
        blank=True,
    )
    advisors = models.ManyToManyField(
        "advisors.Advisor",
        through="EngagementAdvisor",
        related_name="engagements",
        verbose_name=_("Berater*innen"),
    )
    status = models.CharField(
        _("Status"),
        max_length=12,
        choices=EngagementStatus.choices,
        default=EngagementStatus.PLANNED,
        db_index=True,
    )
    starts_on = models.DateField(_("Beginn"), validators=[sensible_date])
    ends_on = models.DateField(
        _("Ende (geplant)"), null=True, blank=True, validators=[sensible_date]
    )
    completed_on = models.DateField(_("abgeschlossen am"), null=True, blank=True, editable=False)
    goals = models.TextField(_("Ziele"), blank=True)
    council_submission = models.CharField(
        _("Ratsvorlage"),
        max_length=60,
        blank=True,
        help_text=_("z. B. „Vorlage 065/20“, mit der der Rat informiert wurde."),
    )
    budget = models.DecimalField(
        _("bewilligtes Budget (EUR)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[departments])

    objects = EngagementQuerySet.as_manager()

    class Meta:
        verbose_name = _("Beratungseinsatz")
        verbose_name_plural = _("Beratungseinsätze")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="engagement_end_not_before_start",
            ),
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(budget__gte=0),
                name="engagement_budget_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class EngagementAdvisorQuerySet(models.QuerySet):
    def current(self) -> "EngagementAdvisorQuerySet":
        """Advisors on the engagement now; those who left keep their row (and entries)."""
        return self.filter(left_on__isnull=True)


class EngagementAdvisor(models.Model):
    """An advisor on an engagement. The two slots make "at most two at once" a database rule.

    An advisor who leaves keeps the row with the date they left (their entries stay);
    the slot is free for whoever replaces them.
    """

    engagement = models.ForeignKey(
        Engagement,
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name=_("Beratungseinsatz"),
    )
    advisor = models.ForeignKey(
        "advisors.Advisor",
        on_delete=models.PROTECT,
        related_name="assignments",
        verbose_name=_("Berater*in"),
    )
    slot = models.PositiveSmallIntegerField(_("Platz"), choices=[(1, "1"), (2, "2")], default=1)
    assigned_at = models.DateTimeField(_("zugeordnet am"), auto_now_add=True)
    left_on = models.DateField(
        _("ausgeschieden am"), null=True, blank=True, validators=[sensible_date]
    )

    objects = EngagementAdvisorQuerySet.as_manager()

    class Meta:
        verbose_name = _("Berater*in im Einsatz")
        verbose_name_plural = _("Berater*innen im Einsatz")
        ordering = ["engagement", "slot"]
        constraints = [
            models.CheckConstraint(
                condition=Q(slot__in=[1, 2]), name="engagement_advisor_slot_1_or_2"
            ),
            models.UniqueConstraint(
                fields=["engagement", "slot"],
                condition=Q(left_on__isnull=True),
                name="engagement_at_most_two_advisors",
            ),
            models.UniqueConstraint(
                fields=["engagement", "advisor"],
                condition=Q(left_on__isnull=True),
                name="engagement_advisor_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.advisor} – {self.engagement}"


class MilestoneQuerySet(models.QuerySet):
    def open(self) -> "MilestoneQuerySet":
        """Not done yet."""
        return self.filter(done_on__isnull=True)

    def of_running_engagements(self) -> "MilestoneQuerySet":
        return self.filter(engagement__status__in=EngagementStatus.running())

    def overdue(self, *, on: datetime.date) -> "MilestoneQuerySet":
        """Open milestones of running engagements that were due before the day `on`."""
        return self.open().of_running_engagements().filter(due_on__lt=on)


class Milestone(models.Model):
    engagement = models.ForeignKey(
        Engagement,
        on_delete=models.CASCADE,
        related_name="milestones",
        verbose_name=_("Beratungseinsatz"),
    )
    kind = models.CharField(
        _("Art"), max_length=24, choices=MilestoneKind.choices, default=MilestoneKind.OTHER
    )
    title = models.CharField(_("Titel"), max_length=200)
    due_on = models.DateField(_("fällig am"), validators=[sensible_date])
    done_on = models.DateField(_("erledigt am"), null=True, blank=True, validators=[sensible_date])
    note = models.TextField(_("Notiz"), blank=True)

    objects = MilestoneQuerySet.as_manager()

    class Meta:
        verbose_name = _("Meilenstein")
        verbose_name_plural = _("Meilensteine")
        ordering = ["due_on"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_done(self) -> bool:
        return self.done_on is not None


def entry_links(related_name: str) -> tuple[models.ForeignKey, ...]:
    """An entry's engagement, advisor and report, each reached back by `related_name`."""
    return (
        models.ForeignKey(
            Engagement,
            on_delete=models.PROTECT,
            related_name=related_name,
            verbose_name=_("Beratungseinsatz"),
        ),
        models.ForeignKey(
            "advisors.Advisor",
            on_delete=models.PROTECT,
            related_name=related_name,
            verbose_name=_("Berater*in"),
        ),
        models.ForeignKey(
            "ReimbursementReport",
            on_delete=models.PROTECT,
            null=True,
            blank=True,
            related_name=related_name,
            verbose_name=_("Erstattungsbericht"),
        ),
    )


class EntryBase(models.Model):
    """What a time entry and an expense share: who, where, when and how far it got."""

    # engagement, advisor and report: declared by each kind of entry with entry_links(),
    # so that their reverse relations have plain names (time_entries, expenses).
    date = models.DateField(_("Datum"), validators=[sensible_date])
    description = models.TextField(_("Beschreibung"), blank=True)
    status = models.CharField(
        _("Status"),
        max_length=12,
        choices=EntryStatus.choices,
        default=EntryStatus.DRAFT,
        db_index=True,
    )
    submitted_at = models.DateTimeField(_("eingereicht am"), null=True, blank=True)
    approved_at = models.DateTimeField(_("freigegeben am"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("freigegeben von"),
    )
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["-date"]

    @property
    def is_draft(self) -> bool:
        return self.status == EntryStatus.DRAFT

    @property
    def is_submitted(self) -> bool:
        return self.status == EntryStatus.SUBMITTED

    @property
    def is_approved_or_paid(self) -> bool:
        return self.status in (EntryStatus.APPROVED, EntryStatus.REIMBURSED)


class TimeEntry(EntryBase):
    engagement, advisor, report = entry_links("time_entries")
    hours = models.DecimalField(_("Stunden"), max_digits=4, decimal_places=2)
    activity = models.CharField(_("Tätigkeit"), max_length=200)
    history = HistoricalRecords()

    class Meta(EntryBase.Meta):
        verbose_name = _("Zeiteintrag")
        verbose_name_plural = _("Zeiteinträge")
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0) & Q(hours__lte=24), name="time_entry_hours_positive_max_24"
            ),
            models.CheckConstraint(
                condition=~Q(status=EntryStatus.REIMBURSED) | Q(report__isnull=False),
                name="time_entry_reimbursed_has_report",
            ),
        ]

    def __str__(self) -> str:
        return f"{short_date(self.date)} {number(self.hours)} h – {self.activity}"


class Expense(EntryBase):
    engagement, advisor, report = entry_links("expenses")
    category = models.CharField(_("Kategorie"), max_length=12, choices=ExpenseCategory.choices)
    amount = models.DecimalField(_("Betrag (EUR)"), max_digits=10, decimal_places=2)
    receipt = models.FileField(_("Beleg"), upload_to="receipts/%Y/%m/", blank=True)
    history = HistoricalRecords()

    class Meta(EntryBase.Meta):
        verbose_name = _("Ausgabe")
        verbose_name_plural = _("Ausgaben")
        # Receipts show bank details, addresses and what someone bought: only those
        # who check costs see them (core.permissions, "see receipts").
        permissions = [("view_receipt", _("Kann Belege ansehen"))]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="expense_amount_positive"),
            models.CheckConstraint(
                condition=~Q(status=EntryStatus.REIMBURSED) | Q(report__isnull=False),
                name="expense_reimbursed_has_report",
            ),
        ]

    def __str__(self) -> str:
        return f"{short_date(self.date)} {self.get_category_display()} {number(self.amount)} €"


class CostCorrection(models.Model):
    """SKEW's change to costs it has already reimbursed: negative to claim money back.

    A reimbursed entry stays as its report filed it; what SKEW decides later about
    it (a receipt that turned out wrong, hours counted twice, a refund) is a
    correction, which the pool's next report takes as an adjustment line. Staff
    record corrections, so they need no approval; once reported, they are fixed.
    """

    engagement = models.ForeignKey(
        Engagement,
        on_delete=models.PROTECT,
        related_name="corrections",
        verbose_name=_("Beratungseinsatz"),
    )
    date = models.DateField(_("Datum"), default=timezone.localdate, validators=[sensible_date])
    category = models.CharField(_("Kategorie"), max_length=12, choices=CORRECTION_CATEGORIES)
    amount = models.DecimalField(
        _("Betrag (EUR)"),
        max_digits=10,
        decimal_places=2,
        help_text=_("Negativ, wenn zu viel erstattet wurde; positiv für eine Nachzahlung."),
    )
    reason = models.TextField(
        _("Begründung"),
        help_text=_(
            "Erscheint neben dem Betrag im Erstattungsbericht und auf der Seite des Einsatzes "
            "für seine Berater*innen."
        ),
    )
    corrects_time_entry = models.ForeignKey(
        TimeEntry,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("betrifft Zeiteintrag"),
    )
    corrects_expense = models.ForeignKey(
        Expense,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("betrifft Ausgabe"),
    )
    report = models.ForeignKey(
        "ReimbursementReport",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("Erstattungsbericht"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("erfasst von"),
    )
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Kostenkorrektur")
        verbose_name_plural = _("Kostenkorrekturen")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="cost_correction_amount_not_zero"),
            models.CheckConstraint(condition=~Q(reason=""), name="cost_correction_has_reason"),
            models.CheckConstraint(
                condition=Q(corrects_time_entry__isnull=True) | Q(corrects_expense__isnull=True),
                name="cost_correction_one_entry_at_most",
            ),
        ]

    def __str__(self) -> str:
        return f"{short_date(self.date)} {self.get_category_display()} {number(self.amount)} €"

    @property
    def corrected_entry(self):
        return self.corrects_time_entry or self.corrects_expense

    @property
    def corrected_field(self) -> str:
        """The field naming the corrected entry (the one a form error belongs to)."""
        return "corrects_time_entry" if self.corrects_time_entry_id else "corrects_expense"


class FeeRate(models.Model):
    """The hourly fee in force for a pool from a date on (rates are dated records)."""

    pool = models.ForeignKey(
        "advisors.Pool",
        on_delete=models.PROTECT,
        related_name="fee_rates",
        verbose_name=_("Pool"),
    )
    valid_from = models.DateField(_("gültig ab"), validators=[sensible_date])
    hourly_rate = models.DecimalField(_("Stundensatz (EUR)"), max_digits=7, decimal_places=2)

    class Meta:
        verbose_name = _("Honorarsatz")
        verbose_name_plural = _("Honorarsätze")
        ordering = ["pool", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["pool", "valid_from"], name="fee_rate_one_per_day"),
            models.CheckConstraint(condition=Q(hourly_rate__gt=0), name="fee_rate_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.pool}: {self.hourly_rate} €/h ab {short_date(self.valid_from)}"


class ReimbursementReport(models.Model):
    """SKEW's cost-reimbursement report for one pool and period."""

    pool = models.ForeignKey(
        "advisors.Pool",
        on_delete=models.PROTECT,
        related_name="reports",
        verbose_name=_("Pool"),
    )
    period_start = models.DateField(_("Zeitraum von"), validators=[sensible_date])
    period_end = models.DateField(_("Zeitraum bis"), validators=[sensible_date])
    status = models.CharField(
        _("Status"), max_length=12, choices=ReportStatus.choices, default=ReportStatus.PENDING
    )
    total_fees = models.DecimalField(
        _("Honorare (EUR)"), max_digits=12, decimal_places=2, default=Decimal("0")
    )
    total_expenses = models.DecimalField(
        _("Ausgaben (EUR)"), max_digits=12, decimal_places=2, default=Decimal("0")
    )
    total = models.DecimalField(
        _("Summe (EUR)"), max_digits=12, decimal_places=2, default=Decimal("0")
    )
    generated_at = models.DateTimeField(_("erstellt am"), null=True, blank=True)
    sent_at = models.DateTimeField(_("versendet am"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("angefordert von"),
    )
    # The files as they were sent; the checksums show that a filed copy is unchanged.
    pdf = models.FileField(_("PDF"), upload_to="reports/%Y/", blank=True)
    pdf_sha256 = models.CharField(_("SHA-256 des PDF"), max_length=64, blank=True)
    xlsx = models.FileField(_("XLSX"), upload_to="reports/%Y/", blank=True)
    xlsx_sha256 = models.CharField(_("SHA-256 der XLSX-Datei"), max_length=64, blank=True)
    csv = models.FileField(_("CSV"), upload_to="reports/%Y/", blank=True)
    csv_sha256 = models.CharField(_("SHA-256 der CSV-Datei"), max_length=64, blank=True)
    error = models.TextField(_("Fehler"), blank=True)
    email = models.ForeignKey(
        "core.OutboxEmail",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("E-Mail"),
    )
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Erstattungsbericht")
        verbose_name_plural = _("Erstattungsberichte")
        ordering = ["-period_start", "pool"]
        constraints = [
            models.UniqueConstraint(
                fields=["pool", "period_start", "period_end"], name="report_one_per_pool_period"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="report_end_not_before_start"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=ReportStatus.done()) | Q(generated_at__isnull=False),
                name="report_generated_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status=ReportStatus.SENT) | Q(sent_at__isnull=False),
                name="report_sent_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pool} {short_date(self.period_start)}–{short_date(self.period_end)}"

    def get_absolute_url(self) -> str:
        return reverse("admin:engagements_reimbursementreport_change", args=[self.pk])

    @property
    def files(self) -> list[tuple]:
        """(kind, file, SHA-256) of each file written; empty until the report is generated."""
        return [
            (kind, getattr(self, kind), getattr(self, f"{kind}_sha256"))
            for kind in ("pdf", "xlsx", "csv")
            if getattr(self, kind)
        ]
