"""What waits for the SKEW team in the directory: the admin's to-do list (core.todo)."""

from django.utils.translation import gettext_lazy as _

from core.todo import TodoItem

from .enums import SuggestionStatus
from .models import OrganisationSuggestion

ITEMS = [
    TodoItem.in_status(
        _("Vorschläge für das Verzeichnis zur Prüfung"),
        OrganisationSuggestion,
        SuggestionStatus.PENDING,
    ),
]
