from django.db import models
from django.utils.translation import gettext_lazy as _


class FederalState(models.TextChoices):
    """German federal states; the codes are ISO 3166-2:DE (and the `holidays` subdivisions)."""

    BW = "BW", _("Baden-Württemberg")
    BY = "BY", _("Bayern")
    BE = "BE", _("Berlin")
    BB = "BB", _("Brandenburg")
    HB = "HB", _("Bremen")
    HH = "HH", _("Hamburg")
    HE = "HE", _("Hessen")
    MV = "MV", _("Mecklenburg-Vorpommern")
    NI = "NI", _("Niedersachsen")
    NW = "NW", _("Nordrhein-Westfalen")
    RP = "RP", _("Rheinland-Pfalz")
    SL = "SL", _("Saarland")
    SN = "SN", _("Sachsen")
    ST = "ST", _("Sachsen-Anhalt")
    SH = "SH", _("Schleswig-Holstein")
    TH = "TH", _("Thüringen")


class Gender(models.TextChoices):
    FEMALE = "female", _("weiblich")
    MALE = "male", _("männlich")
    DIVERSE = "diverse", _("divers")
    UNSPECIFIED = "unspecified", _("keine Angabe")


class Availability(models.TextChoices):
    AVAILABLE = "available", _("verfügbar")
    LIMITED = "limited", _("eingeschränkt verfügbar")
    UNAVAILABLE = "unavailable", _("nicht verfügbar")
