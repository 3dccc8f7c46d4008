from django.db import models
from django.utils.translation import gettext_lazy as _


class ApplicationStatus(models.TextChoices):
    """The life of an application, from the form to SKEW's decision."""

    UNCONFIRMED = "unconfirmed", _("E-Mail noch nicht bestätigt")
    RECEIVED = "received", _("eingegangen")
    SHORTLISTED = "shortlisted", _("in der engeren Wahl")
    INVITED = "invited", _("zum Gespräch eingeladen")
    ACCEPTED = "accepted", _("aufgenommen")
    REJECTED = "rejected", _("abgesagt")
    WITHDRAWN = "withdrawn", _("zurückgezogen")

    @classmethod
    def in_selection(cls) -> list["ApplicationStatus"]:
        """Still in the running: what reviewers look at."""
        return [cls.RECEIVED, cls.SHORTLISTED, cls.INVITED]

    @classmethod
    def chosen(cls) -> list["ApplicationStatus"]:
        """The shortlist as the pool-in-view panel counts it."""
        return [cls.SHORTLISTED, cls.INVITED, cls.ACCEPTED]


class ApplicantGender(models.TextChoices):
    FEMALE = "female", _("weiblich")
    MALE = "male", _("männlich")
    DIVERSE = "diverse", _("divers")
    SELF = "self", _("selbst beschrieben")
    UNSPECIFIED = "", _("keine Angabe")
