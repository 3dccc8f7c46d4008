"""What waits for the SKEW team in engagements: the admin's to-do list (core.todo)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.todo import TodoItem

from .enums import EntryStatus, ReportStatus, RequestStatus
from .models import (
    ConsultationRequest,
    Expense,
    Milestone,
    Municipality,
    MunicipalOfficer,
    ReimbursementReport,
    TimeEntry,
)

ITEMS = [
    TodoItem.in_status(
        _("Anfragen eingereicht, noch nicht in Prüfung"),
        ConsultationRequest,
        RequestStatus.SUBMITTED,
    ),
    TodoItem.in_status(_("Anfragen in Prüfung"), ConsultationRequest, RequestStatus.IN_REVIEW),
    TodoItem(
        _("Bei der Registrierung genannte Kommunen, noch nicht bestätigt"),
        lambda: Municipality.objects.filter(confirmed=False),
        {"confirmed__exact": "0"},
    ),
    TodoItem(
        _("Ansprechpersonen der Kommunen, noch nicht bestätigt"),
        lambda: MunicipalOfficer.objects.unconfirmed(),
        {"confirmed_at__isempty": "1"},
    ),
    TodoItem.in_status(_("Zeiteinträge zur Freigabe"), TimeEntry, EntryStatus.SUBMITTED),
    TodoItem.in_status(_("Ausgaben zur Freigabe"), Expense, EntryStatus.SUBMITTED),
    TodoItem(
        _("Überfällige Meilensteine"),
        lambda: Milestone.objects.overdue(on=timezone.localdate()),
        {"due": "overdue"},
    ),
    TodoItem.in_status(
        _("Erstattungsberichte, die fehlgeschlagen sind"),
        ReimbursementReport,
        ReportStatus.FAILED,
    ),
]
