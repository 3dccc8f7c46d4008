"""Council papers (Vorlagen) from the municipalities' council information systems (OParl),
the engagements they anchor, and the watch that finds papers about the programme's subject."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .enums import LeadStatus, PaperSource


class CouncilSystem(models.Model):
    """A municipality's OParl endpoint: the System URL, and its Body, chosen once."""

    municipality = models.OneToOneField(
        "engagements.Municipality",
        on_delete=models.CASCADE,
        related_name="council_system",
        verbose_name=_("Kommune"),
    )
    system_url = models.URLField(_("OParl-System (URL)"), max_length=500)
    body_url = models.URLField(
        _("Körperschaft (URL)"),
        max_length=500,
        blank=True,
        help_text=_("Leer lassen: beim ersten Abruf wird die einzige Körperschaft gewählt."),
    )
    watch = models.BooleanField(_("täglich nach Stichworten durchsuchen"), default=True)
    # Papers changed since this moment are read on the next run.
    synced_until = models.DateTimeField(_("gelesen bis"), null=True, blank=True)
    # A run that stopped at the page limit goes on from here next time.
    resume_url = models.URLField(_("weiter ab"), max_length=1000, blank=True)
    cycle_started_at = models.DateTimeField(_("Durchgang begonnen"), null=True, blank=True)
    last_run_at = models.DateTimeField(_("letzter Abruf"), null=True, blank=True)
    last_error = models.TextField(_("letzter Fehler"), blank=True)
    last_error_at = models.DateTimeField(_("Fehler am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Ratsinformationssystem")
        verbose_name_plural = _("Ratsinformationssysteme")
        ordering = ["municipality__name"]

    def __str__(self) -> str:
        return f"{self.municipality} ({self.system_url})"


class CouncilPaperQuerySet(models.QuerySet):
    def shown(self) -> CouncilPaperQuerySet:
        """The papers an engagement's pages list: not deleted, with consultations and files.

        Also on the relation: `engagement.council_papers.shown()`, for the apps below
        this one, which read it by the relation's name instead of importing it.
        """
        return self.filter(deleted=False).prefetch_related("consultations", "files")


class CouncilPaper(models.Model):
    """A council paper: imported from OParl, or entered by hand with a link."""

    municipality = models.ForeignKey(
        "engagements.Municipality",
        on_delete=models.CASCADE,
        related_name="council_papers",
        verbose_name=_("Kommune"),
    )
    oparl_id = models.URLField(_("OParl-ID"), max_length=500, blank=True)
    source = models.CharField(
        _("Herkunft"), max_length=8, choices=PaperSource.choices, default=PaperSource.MANUAL
    )
    reference = models.CharField(_("Aktenzeichen"), max_length=80, blank=True)
    name = models.CharField(_("Titel"), max_length=500)
    paper_type = models.CharField(_("Art"), max_length=120, blank=True)
    date = models.DateField(_("Datum"), null=True, blank=True)
    web_url = models.URLField(_("Link"), max_length=500, blank=True)
    modified = models.DateTimeField(_("zuletzt geändert (laut System)"), null=True, blank=True)
    deleted = models.BooleanField(_("im System gelöscht"), default=False)
    engagements = models.ManyToManyField(
        "engagements.Engagement",
        related_name="council_papers",
        verbose_name=_("Beratungseinsätze"),
        blank=True,
    )
    imported_at = models.DateTimeField(_("übernommen am"), auto_now=True)

    objects = CouncilPaperQuerySet.as_manager()

    class Meta:
        verbose_name = _("Ratsvorlage")
        verbose_name_plural = _("Ratsvorlagen")
        ordering = ["-date", "reference"]
        constraints = [
            models.UniqueConstraint(
                fields=["oparl_id"], condition=~models.Q(oparl_id=""), name="paper_oparl_id_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.name}".strip()


class Consultation(models.Model):
    """A paper's passage through a body: which body, which meeting, when, with what result."""

    paper = models.ForeignKey(
        CouncilPaper,
        on_delete=models.CASCADE,
        related_name="consultations",
        verbose_name=_("Ratsvorlage"),
    )
    body = models.CharField(_("Gremium"), max_length=250, blank=True)
    meeting = models.CharField(_("Sitzung"), max_length=250, blank=True)
    date = models.DateField(_("Datum"), null=True, blank=True)
    role = models.CharField(_("Ergebnis oder Rolle"), max_length=250, blank=True)

    class Meta:
        verbose_name = _("Beratung")
        verbose_name_plural = _("Beratungen")
        ordering = ["paper", "date", "pk"]

    def __str__(self) -> str:
        return f"{self.body} {self.date or ''}".strip()


class PaperFile(models.Model):
    paper = models.ForeignKey(
        CouncilPaper, on_delete=models.CASCADE, related_name="files", verbose_name=_("Ratsvorlage")
    )
    name = models.CharField(_("Name"), max_length=300)
    url = models.URLField(_("Link"), max_length=500)

    class Meta:
        verbose_name = _("Datei einer Ratsvorlage")
        verbose_name_plural = _("Dateien von Ratsvorlagen")
        ordering = ["paper", "name"]

    def __str__(self) -> str:
        return self.name


class WatchKeyword(models.Model):
    word = models.CharField(_("Stichwort"), max_length=80, unique=True)

    class Meta:
        verbose_name = _("Stichwort der Ratsbeobachtung")
        verbose_name_plural = _("Stichwörter der Ratsbeobachtung")
        ordering = ["word"]

    def __str__(self) -> str:
        return self.word


class Lead(models.Model):
    """A paper the watch found: a council already discussing the subject."""

    paper = models.OneToOneField(
        CouncilPaper, on_delete=models.CASCADE, related_name="lead", verbose_name=_("Ratsvorlage")
    )
    matched = models.JSONField(_("gefundene Stichwörter"), default=list)
    status = models.CharField(
        _("Einschätzung"), max_length=14, choices=LeadStatus.choices, default=LeadStatus.NEW
    )
    consultation_request = models.ForeignKey(
        "engagements.ConsultationRequest",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gehört zu Anfrage"),
    )
    engagement = models.ForeignKey(
        "engagements.Engagement",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gehört zu Einsatz"),
    )
    approach = models.BooleanField(_("Kommune ansprechen"), default=False)
    note = models.TextField(_("Notiz"), blank=True)
    found_at = models.DateTimeField(_("gefunden am"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("eingeschätzt von"),
    )

    class Meta:
        verbose_name = _("Hinweis aus dem Rat")
        verbose_name_plural = _("Hinweise aus dem Rat")
        ordering = ["-found_at"]

    def __str__(self) -> str:
        return str(self.paper)
