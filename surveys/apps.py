from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("Befragungen")

    def ready(self) -> None:
        from core import retention

        from .services import forget_old_respondents

        retention.register(steps={"survey respondents": forget_old_respondents})
