from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from . import processing


class CoreConfig(AppConfig):
    """The base floor: user accounts, email, files, working days and the registries.

    It knows no app of the portal; apps register what the base should do for
    them (reminders, retention steps, the admin's to-do list, the record of processing
    activities) in their own AppConfig.ready().
    """

    name = "core"
    verbose_name = _("Benutzerkonten")

    def ready(self) -> None:
        from . import account_data, django_fixes, personal_data  # need the apps loaded
        from .outbox import TODO_ITEMS  # the models need the apps loaded
        from .todo import register

        django_fixes.apply()
        register(*TODO_ITEMS)
        processing.register(self.label, processing.ENTRIES)
        personal_data.register(self.label, account_data.HOLDINGS, account_data.MENTIONS)
