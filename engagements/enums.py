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

    @property
    def tone(self) -> str:
        """How the status badge looks: success, danger, neutral, warning or plain."""
        return {
            RequestStatus.ACCEPTED: "success",
            RequestStatus.DECLINED: "danger",
            RequestStatus.WITHDRAWN: "neutral",
            RequestStatus.DRAFT: "warning",
        }.get(self, "")

    @classmethod
    def withdrawable(cls) -> list["RequestStatus"]:
        """States from which the officer may still withdraw the request."""
        return [cls.DRAFT, cls.SUBMITTED, cls.IN_REVIEW]


class EngagementStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("engagement status", "geplant")
    ACTIVE = "active", pgettext_lazy("engagement status", "laufend")
    PAUSED = "paused", pgettext_lazy("engagement status", "pausiert")
    COMPLETED = "completed", pgettext_lazy("engagement status", "abgeschlossen")
    CANCELLED = "cancelled", pgettext_lazy("engagement status", "abgebrochen")

    @classmethod
    def running(cls) -> list["EngagementStatus"]:
        """Planned or under way: the engagement still needs its advisors and milestones."""
        return [cls.PLANNED, cls.ACTIVE]

    @classmethod
    def open(cls) -> list["EngagementStatus"]:
        """Not finished: running, or paused for a while."""
        return [cls.PLANNED, cls.ACTIVE, cls.PAUSED]


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

    @classmethod
    def open(cls) -> list["EntryStatus"]:
        """Still the advisor's to change or to wait for: not approved yet."""
        return [cls.DRAFT, cls.SUBMITTED]

    @classmethod
    def claimed(cls) -> list["EntryStatus"]:
        """Everything but drafts: what has been claimed from SKEW."""
        return [cls.SUBMITTED, cls.APPROVED, cls.REIMBURSED]


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
    EMPTY = "empty", _("ohne Posten")
    FAILED = "failed", _("fehlgeschlagen")

    @classmethod
    def filed(cls) -> list["ReportStatus"]:
        """A report whose files exist: generated, and perhaps sent."""
        return [cls.GENERATED, cls.SENT]

    @classmethod
    def done(cls) -> list["ReportStatus"]:
        """A report that is made and never written again (an empty one has no files)."""
        return [cls.GENERATED, cls.SENT, cls.EMPTY]


class EngagementReminder(models.TextChoices):
    """Kinds of reminder in the daily digest (engagements/reminders.py)."""

    MILESTONE_IN_14_DAYS = "milestone_14", _("Meilenstein in 14 Tagen fällig")
    MILESTONE_IN_3_DAYS = "milestone_3", _("Meilenstein in 3 Tagen fällig")
    MILESTONE_TODAY = "milestone_0", _("Meilenstein heute fällig")
    MILESTONE_OVERDUE = "milestone_overdue", _("Meilenstein überfällig")
    REQUEST_UNREVIEWED = "request_unreviewed", _("Anfrage nicht geprüft")
    DRAFT_ENTRIES = "draft_entries", _("Entwürfe zum Monatsende")
