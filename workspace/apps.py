from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkspaceConfig(AppConfig):
    """The advisor's workspace at /advisor/: engagements, findings, time, expenses, calendar.

    The highest app: it brings together what the apps below hold (advisors,
    engagements, actors, events) for the advisor at work; nothing imports it.
    """

    name = "workspace"
    verbose_name = _("Arbeitsbereich der Berater*innen")
