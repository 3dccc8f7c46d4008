from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutcomesConfig(AppConfig):
    """What an engagement leaves behind: action options and the municipality's decisions.

    It sits above engagements, actors and events (an option builds on the
    organisations and findings of the research) and below the workspace.
    """

    name = "outcomes"
    verbose_name = _("Ergebnisse")

    def ready(self) -> None:
        from core import personal_data, processing
        from engagements.lifecycle import register_completion_check  # needs the apps loaded

        from . import personal_data as holdings
        from .processing import ENTRIES
        from .services import missing_for_completion

        register_completion_check(missing_for_completion)
        processing.register(self.label, ENTRIES)
        personal_data.register(self.label, holdings.HOLDINGS, holdings.MENTIONS)
