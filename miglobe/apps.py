from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MiglobeConfig(AppConfig):
    name = "miglobe"
    verbose_name = _("Benutzerkonten")
