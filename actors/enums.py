from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    MIGRANT_ORGANISATION = "migrant_org", _("Migrantenorganisation (MSO)")
    ASSOCIATION = "association", _("Verein oder Initiative")
    MUNICIPAL_BODY = "municipal", _("kommunale Einrichtung")
    CHURCH_BASED = "church", _("kirchlicher Träger")
    CHAMBER = "chamber", _("Kammer")
    EDUCATION = "education", _("Bildungseinrichtung")
    OTHER = "other", _("Sonstige")


class Scope(models.TextChoices):
    LOCAL = "local", _("lokal")
    REGIONAL = "regional", _("regional")
    NATIONAL = "national", _("bundesweit")
    INTERNATIONAL = "international", _("international")


class ConsentChannel(models.TextChoices):
    WEB_FORM = "web_form", _("Formular im Portal")
    EMAIL = "email", _("E-Mail")
    PAPER = "paper", _("schriftlich (Papier)")
    IN_PERSON = "in_person", _("persönlich")
    PHONE = "phone", _("telefonisch")
    SURVEY = "survey", _("Befragung im Portal")


class FindingSource(models.TextChoices):
    CONVERSATION = "conversation", _("Gespräch")
    EVENT = "event", _("Veranstaltung")
    WEB = "web", _("Internet")
    REGISTER = "register", _("Vereinsregister")


class SuggestionStatus(models.TextChoices):
    PENDING = "pending", _("wartet auf Prüfung")
    APPROVED = "approved", _("übernommen")
    REJECTED = "rejected", _("abgelehnt")
