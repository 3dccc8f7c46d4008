"""What waits for the SKEW team in the directory: the admin's to-do list (core.todo)."""

from django.utils.translation import gettext_lazy as _

from core.todo import TodoItem

from .enums import SuggestionStatus
from .models import OrganisationSuggestion

ITEMS = [
    TodoItem(
        _("Vorschläge für das Verzeichnis zur Prüfung"),
        lambda: OrganisationSuggestion.objects.filter(status=SuggestionStatus.PENDING),
        {"status__exact": SuggestionStatus.PENDING},
    ),
]
