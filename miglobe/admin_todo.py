"""What waits for the SKEW team: the first thing staff see in the admin.

Each item is a count and a link to the admin list that shows those rows, for
the models the user may view; one query per item, whatever the number of rows.
"""

from dataclasses import dataclass

from django.apps import apps
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Todo:
    label: str
    count: int
    url: str


# (label, model, filter of the rows, the admin list's query string for the same rows)
ITEMS = [
    (
        _("Anfragen eingereicht, noch nicht in Prüfung"),
        "engagements.ConsultationRequest",
        {"status": "submitted"},
        {"status__exact": "submitted"},
    ),
    (
        _("Anfragen in Prüfung"),
        "engagements.ConsultationRequest",
        {"status": "in_review"},
        {"status__exact": "in_review"},
    ),
    (
        _("Ansprechpersonen der Kommunen, noch nicht bestätigt"),
        "engagements.MunicipalOfficer",
        {"confirmed_at__isnull": True},
        {"confirmed_at__isempty": "1"},
    ),
    (
        _("Zeiteinträge zur Freigabe"),
        "engagements.TimeEntry",
        {"status": "submitted"},
        {"status__exact": "submitted"},
    ),
    (
        _("Ausgaben zur Freigabe"),
        "engagements.Expense",
        {"status": "submitted"},
        {"status__exact": "submitted"},
    ),
    (
        _("Vorschläge für das Verzeichnis zur Prüfung"),
        "actors.OrganisationSuggestion",
        {"status": "pending"},
        {"status__exact": "pending"},
    ),
    (
        _("Überfällige Meilensteine"),
        "engagements.Milestone",
        {
            "done_on__isnull": True,
            "due_on__lt": "today",
            "engagement__status__in": ["planned", "active"],
        },
        {"due": "overdue"},
    ),
    (
        _("Erstattungsberichte, die fehlgeschlagen sind"),
        "engagements.ReimbursementReport",
        {"status": "failed"},
        {"status__exact": "failed"},
    ),
]


def todo_items(user) -> list[Todo]:
    """The items with something waiting, for the models `user` may view."""
    today = timezone.localdate()
    items = []
    for label, label_model, filters, query in ITEMS:
        model = apps.get_model(label_model)
        opts = model._meta
        if not user.has_perm(f"{opts.app_label}.view_{opts.model_name}"):
            continue
        rows = {key: today if value == "today" else value for key, value in filters.items()}
        count = model._default_manager.filter(**rows).count()
        if count:
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
            items.append(Todo(label=str(label), count=count, url=f"{url}?{urlencode(query)}"))
    return items
