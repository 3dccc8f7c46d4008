from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecruitmentConfig(AppConfig):
    name = "recruitment"
    verbose_name = _("Ausschreibungen und Bewerbungen")

    def ready(self) -> None:
        from core import retention

        from .services import forget_old_applications

        retention.register(steps={"applications": forget_old_applications})
