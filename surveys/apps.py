from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("Befragungen")

    def ready(self) -> None:
        # What the base does for this app: retention, the record of processing.
        from core import personal_data, processing, retention  # apps are ready only now

        from . import personal_data as holdings
        from .processing import ENTRIES
        from .services import forget_old_respondents

        retention.register(steps={"survey respondents": forget_old_respondents})
        processing.register(self.label, ENTRIES)
        personal_data.register(self.label, holdings.HOLDINGS, holdings.MENTIONS)
