from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EngagementsConfig(AppConfig):
    name = "engagements"
    verbose_name = _("Beratungseinsätze")

    def ready(self) -> None:
        # What the base does for this app: reminders, retention, the admin's to-do list,
        # the record of processing.
        from core import (  # apps are ready only now
            personal_data,
            processing,
            reminders,
            retention,
            todo,
        )

        from . import personal_data as holdings
        from . import todo_items
        from .enums import EngagementReminder
        from .processing import ENTRIES
        from .reminders import COLLECTORS, kept_reminders

        reminders.register(kinds=EngagementReminder, collectors=COLLECTORS)
        retention.register(keep_reminders=kept_reminders)
        todo.register(*todo_items.ITEMS)
        processing.register(self.label, ENTRIES)
        personal_data.register(self.label, holdings.HOLDINGS, holdings.MENTIONS)
