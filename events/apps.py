from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Veranstaltungen")

    def ready(self) -> None:
        # What the base does for this app: reminders of tomorrow's events, retention, the
        # record of processing.
        from core import personal_data, processing, reminders, retention  # apps are ready only now

        from . import personal_data as holdings
        from .enums import EventReminder
        from .processing import ENTRIES
        from .reminders import COLLECTORS
        from .services import registrations_anonymise

        reminders.register(kinds=EventReminder, collectors=COLLECTORS)
        retention.register(
            steps={"registrations": lambda cutoff, now: registrations_anonymise(now=now)}
        )
        processing.register(self.label, ENTRIES)
        personal_data.register(self.label, holdings.HOLDINGS, holdings.MENTIONS)
