from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecruitmentConfig(AppConfig):
    name = "recruitment"
    verbose_name = _("Ausschreibungen und Bewerbungen")

    def ready(self) -> None:
        # What the base does for this app: retention, the record of processing.
        from core import personal_data, processing, retention  # apps are ready only now

        from . import personal_data as holdings
        from .processing import ENTRIES
        from .services import forget_old_applications

        retention.register(steps={"applications": forget_old_applications})
        processing.register(self.label, ENTRIES)
        personal_data.register(self.label, holdings.HOLDINGS, holdings.MENTIONS)
