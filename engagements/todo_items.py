"""What waits for the SKEW team in engagements: the admin's to-do list (core.todo)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.todo import TodoItem

from .enums import EntryStatus, ReportStatus, RequestStatus
from .models import (
    ConsultationRequest,
    Expense,
    Milestone,
    MunicipalOfficer,
    ReimbursementReport,
    TimeEntry,
)

ITEMS = [
    TodoItem(
        _("Anfragen eingereicht, noch nicht in Prüfung"),
        lambda: ConsultationRequest.objects.filter(status=RequestStatus.SUBMITTED),
        {"status__exact": RequestStatus.SUBMITTED},
    ),
    TodoItem(
        _("Anfragen in Prüfung"),
        lambda: ConsultationRequest.objects.filter(status=RequestStatus.IN_REVIEW),
        {"status__exact": RequestStatus.IN_REVIEW},
    ),
    TodoItem(
        _("Ansprechpersonen der Kommunen, noch nicht bestätigt"),
        lambda: MunicipalOfficer.objects.unconfirmed(),
        {"confirmed_at__isempty": "1"},
    ),
    TodoItem(
        _("Zeiteinträge zur Freigabe"),
        lambda: TimeEntry.objects.filter(status=EntryStatus.SUBMITTED),
        {"status__exact": EntryStatus.SUBMITTED},
    ),
    TodoItem(
        _("Ausgaben zur Freigabe"),
        lambda: Expense.objects.filter(status=EntryStatus.SUBMITTED),
        {"status__exact": EntryStatus.SUBMITTED},
    ),
    TodoItem(
        _("Überfällige Meilensteine"),
        lambda: Milestone.objects.overdue(on=timezone.localdate()),
        {"due": "overdue"},
    ),
    TodoItem(
        _("Erstattungsberichte, die fehlgeschlagen sind"),
        lambda: ReimbursementReport.objects.filter(status=ReportStatus.FAILED),
        {"status__exact": ReportStatus.FAILED},
    ),
]
