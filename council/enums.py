from django.db import models
from django.utils.translation import gettext_lazy as _


class PaperSource(models.TextChoices):
    OPARL = "oparl", _("aus dem Ratsinformationssystem (OParl)")
    MANUAL = "manual", _("von Hand erfasst")


class LeadStatus(models.TextChoices):
    NEW = "new", _("neu")
    RELEVANT = "relevant", _("relevant")
    NOT_RELEVANT = "not_relevant", _("nicht relevant")
