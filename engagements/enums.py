from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class RequestStatus(models.TextChoices):
    DRAFT = "draft", _("Entwurf")
    SUBMITTED = "submitted", _("eingereicht")
    IN_REVIEW = "in_review", _("in Prüfung")
    ACCEPTED = "accepted", _("angenommen")
    DECLINED = "declined", _("abgelehnt")
    WITHDRAWN = "withdrawn", _("zurückgezogen")


class EngagementStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("engagement status", "geplant")
    ACTIVE = "active", pgettext_lazy("engagement status", "laufend")
    COMPLETED = "completed", pgettext_lazy("engagement status", "abgeschlossen")
    CANCELLED = "cancelled", pgettext_lazy("engagement status", "abgebrochen")


class MilestoneKind(models.TextChoices):
    RESEARCH = "research", _("Recherche der Akteure")
    NETWORK_MEETING = "network_meeting", _("Informations- und Vernetzungstreffen")
    COUNCIL_PRESENTATION = "council_presentation", _("Vorstellung in Rat oder Integrationsrat")
    FINAL_REPORT = "final_report", _("Abschlussbericht")
    OTHER = "other", _("Sonstiges")


class EntryStatus(models.TextChoices):
    """The life of a time entry or an expense."""

    DRAFT = "draft", _("Entwurf")
    SUBMITTED = "submitted", _("eingereicht")
    APPROVED = "approved", _("freigegeben")
    REIMBURSED = "reimbursed", _("erstattet")


class ExpenseCategory(models.TextChoices):
    FEE = "fee", _("Honorar")
    TRAVEL = "travel", _("Reisekosten")
    MATERIAL = "material", _("Material")
    VENUE = "venue", _("Raummiete")
    OTHER = "other", _("Sonstiges")


# What a correction changes: the fees from hours, or one category of expenses.
HOURS_FEE = "hours"
CORRECTION_CATEGORIES = [(HOURS_FEE, _("Honorar (Stunden)")), *ExpenseCategory.choices]


class ReportStatus(models.TextChoices):
    PENDING = "pending", _("wird erstellt")
    GENERATED = "generated", _("erstellt")
    SENT = "sent", _("versendet")
    FAILED = "failed", _("fehlgeschlagen")
