from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdvisorsConfig(AppConfig):
    name = "advisors"
    verbose_name = _("Berater*innen-Pool")

    def ready(self) -> None:
        # What the base does for this app: its entries in the record of processing.
        from core import personal_data, processing  # apps are ready only now

        from . import personal_data as holdings
        from .processing import ENTRIES

        processing.register(self.label, ENTRIES)
        personal_data.register(self.label, holdings.HOLDINGS, holdings.MENTIONS)
