from django.db import models
from django.utils.translation import gettext_lazy as _


class Effort(models.TextChoices):
    LOW = "low", _("gering")
    MEDIUM = "medium", _("mittel")
    HIGH = "high", _("hoch")


class Decision(models.TextChoices):
    """What the municipality decided on an action option."""

    ADOPTED = "adopted", _("beschlossen")
    PLANNED = "planned", _("geplant")
    NOT_PURSUED = "not_pursued", _("nicht weiterverfolgt")


class Implementation(models.TextChoices):
    """How far an action option was carried out, as the municipality reports it later."""

    IMPLEMENTED = "implemented", _("umgesetzt")
    IN_PROGRESS = "in_progress", _("in Umsetzung")
    NOT_IMPLEMENTED = "not_implemented", _("nicht umgesetzt")
