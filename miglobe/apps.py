from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from . import staff_groups


class MiglobeConfig(AppConfig):
    """The top floor: settings, URLs, Celery, the periodic schedules and the demo world.

    An app only for its management commands and the data migration that writes
    the site and the schedules; it has no models.
    """

    name = "miglobe"
    verbose_name = _("Portal")

    def ready(self) -> None:
        staff_groups.connect(self)
