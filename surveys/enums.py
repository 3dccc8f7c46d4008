from django.db import models
from django.utils.translation import gettext_lazy as _


class QuestionKind(models.TextChoices):
    TEXT = "text", _("Freitext")
    SINGLE = "single", _("eine Antwort wählen")
    MULTIPLE = "multiple", _("mehrere Antworten wählen")
    SCALE = "scale", _("Skala von 1 bis 5")


class ResponseStatus(models.TextChoices):
    DRAFT = "draft", _("angefangen")
    SUBMITTED = "submitted", _("abgeschickt")


class OpenCheck(models.TextChoices):
    """Answers through the open link count only once SKEW has checked them."""

    NOT_NEEDED = "", _("eingeladen")
    PENDING = "pending", _("noch zu prüfen")
    ACCEPTED = "accepted", _("geprüft: zählt")
    REJECTED = "rejected", _("geprüft: zählt nicht")


class Publish(models.TextChoices):
    """What of an answer the organisation agrees to have published in the directory."""

    DESCRIPTION = "description", _("Beschreibung der Aktivitäten")
    FIELDS = "fields", _("Handlungsfelder")
    COUNTRIES = "countries", _("Herkunfts- und Aktivitätsländer")
    WEBSITE = "website", _("Website")
