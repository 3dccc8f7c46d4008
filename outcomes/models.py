"""Action options (Handlungsoptionen): what an engagement proposes to its municipality."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .enums import Decision, Effort, Implementation


class ActionOptionQuerySet(models.QuerySet):
    def undecided(self) -> "ActionOptionQuerySet":
        return self.filter(decision="")


class ActionOption(models.Model):
    """One concrete way the municipality could open its development policy.

    Advisors draft it during the engagement, the officer comments, and at completion
    the municipality records its decision; "not pursued" needs a reason (a database
    rule).
    """

    engagement = models.ForeignKey(
        "engagements.Engagement",
        on_delete=models.CASCADE,
        related_name="action_options",
        verbose_name=_("Beratungseinsatz"),
    )
    title = models.CharField(_("Titel"), max_length=200)
    description = models.TextField(_("Beschreibung"))
    department = models.ForeignKey(
        "engagements.Department",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_options",
        verbose_name=_("zuständige Fachabteilung"),
    )
    field_of_action = models.ForeignKey(
        "actors.FieldOfAction",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_options",
        verbose_name=_("Handlungsfeld"),
    )
    effort = models.CharField(
        _("Aufwand"), max_length=8, choices=Effort.choices, default=Effort.MEDIUM
    )
    organisations = models.ManyToManyField(
        "actors.Organisation",
        blank=True,
        related_name="action_options",
        verbose_name=_("beteiligte Organisationen"),
    )
    findings = models.ManyToManyField(
        "actors.ResearchFinding",
        blank=True,
        related_name="action_options",
        verbose_name=_("Rechercheergebnisse, auf denen sie aufbaut"),
    )
    decision = models.CharField(
        _("Entscheidung der Kommune"), max_length=12, choices=Decision.choices, blank=True
    )
    decision_reason = models.TextField(_("Begründung der Entscheidung"), blank=True)
    decided_at = models.DateTimeField(_("entschieden am"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entschieden von"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("angelegt von"),
    )
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)
    history = HistoricalRecords()

    objects = ActionOptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("Handlungsoption")
        verbose_name_plural = _("Handlungsoptionen")
        ordering = ["engagement", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(decision=Decision.NOT_PURSUED) | ~Q(decision_reason=""),
                name="action_option_not_pursued_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(decision="") | Q(decided_at__isnull=False),
                name="action_option_decision_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ActionOptionComment(models.Model):
    """The officer's (or an advisor's) word on an option, in the order they were written."""

    option = models.ForeignKey(
        ActionOption,
        on_delete=models.CASCADE,
        related_name="comments",
        verbose_name=_("Handlungsoption"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("von"),
    )
    text = models.TextField(_("Kommentar"))
    created_at = models.DateTimeField(_("geschrieben am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Kommentar zu einer Handlungsoption")
        verbose_name_plural = _("Kommentare zu Handlungsoptionen")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.author}: {self.text[:60]}"


class FinalReport(models.Model):
    """One version of an engagement's final report (Abschlussbericht), as a PDF.

    Each generation is a new version; the officer and SKEW confirm a version, and the
    engagement is completed on a version both confirmed. The checksum shows that the
    filed copy is unchanged.
    """

    engagement = models.ForeignKey(
        "engagements.Engagement",
        on_delete=models.PROTECT,
        related_name="final_reports",
        verbose_name=_("Beratungseinsatz"),
    )
    version = models.PositiveSmallIntegerField(_("Version"))
    language = models.CharField(_("Sprache"), max_length=8, choices=settings.LANGUAGES)
    pdf = models.FileField(_("PDF"), upload_to="final-reports/%Y/")
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    created_at = models.DateTimeField(_("erstellt am"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("erstellt von"),
    )
    officer_confirmed_at = models.DateTimeField(
        _("von der Kommune bestätigt am"), null=True, blank=True
    )
    officer_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("von der Kommune bestätigt durch"),
    )
    skew_confirmed_at = models.DateTimeField(_("von der SKEW bestätigt am"), null=True, blank=True)
    skew_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("von der SKEW bestätigt durch"),
    )

    class Meta:
        verbose_name = _("Abschlussbericht")
        verbose_name_plural = _("Abschlussberichte")
        ordering = ["engagement", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["engagement", "version"], name="final_report_version_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.engagement} – v{self.version}"

    @property
    def is_confirmed(self) -> bool:
        return self.officer_confirmed_at is not None and self.skew_confirmed_at is not None


class FollowUp(models.Model):
    """Six or twelve months after completion: what became of the action options?

    The unique rule makes "asked once" a database fact; the reminder is marked in the
    same transaction as its email, so it goes out once too.
    """

    engagement = models.ForeignKey(
        "engagements.Engagement",
        on_delete=models.CASCADE,
        related_name="follow_ups",
        verbose_name=_("Beratungseinsatz"),
    )
    months = models.PositiveSmallIntegerField(
        _("Monate nach Abschluss"), choices=[(6, "6"), (12, "12")]
    )
    sent_at = models.DateTimeField(_("gefragt am"), auto_now_add=True)
    reminded_at = models.DateTimeField(_("erinnert am"), null=True, blank=True)
    answered_at = models.DateTimeField(_("beantwortet am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Nachfrage")
        verbose_name_plural = _("Nachfragen")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["engagement", "months"], name="follow_up_once"),
        ]

    def __str__(self) -> str:
        return f"{self.engagement} – {self.months}"


class FollowUpAnswer(models.Model):
    follow_up = models.ForeignKey(
        FollowUp, on_delete=models.CASCADE, related_name="answers", verbose_name=_("Nachfrage")
    )
    option = models.ForeignKey(
        ActionOption,
        on_delete=models.CASCADE,
        related_name="follow_up_answers",
        verbose_name=_("Handlungsoption"),
    )
    implementation = models.CharField(
        _("Stand der Umsetzung"), max_length=16, choices=Implementation.choices
    )
    note = models.TextField(_("Notiz"), blank=True)

    class Meta:
        verbose_name = _("Antwort auf eine Nachfrage")
        verbose_name_plural = _("Antworten auf Nachfragen")
        ordering = ["follow_up", "option"]
        constraints = [
            models.UniqueConstraint(fields=["follow_up", "option"], name="follow_up_answer_once"),
        ]

    def __str__(self) -> str:
        return f"{self.option}: {self.get_implementation_display()}"
