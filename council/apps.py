from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CouncilConfig(AppConfig):
    name = "council"
    verbose_name = _("Ratsinformation")

    def ready(self) -> None:
        # What the base does for this app: its entries in the record of processing.
        from core import processing  # apps are ready only now

        from .processing import ENTRIES

        processing.register(self.label, ENTRIES)
