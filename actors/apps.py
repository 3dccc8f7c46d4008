from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActorsConfig(AppConfig):
    name = "actors"
    verbose_name = _("Akteure")

    def ready(self) -> None:
        # What the base does for this app: retention, the admin's to-do list, the record
        # of processing.
        from core import personal_data, processing, retention, todo  # apps are ready only now

        from . import personal_data as holdings
        from . import signals  # noqa: F401 (connects the search document to the fields)
        from .processing import ENTRIES
        from .services import forget_rejected_suggestions
        from .todo_items import ITEMS

        retention.register(steps={"suggestions": forget_rejected_suggestions})
        todo.register(*ITEMS)
        processing.register(self.label, ENTRIES)
        personal_data.register(self.label, holdings.HOLDINGS, holdings.MENTIONS)
