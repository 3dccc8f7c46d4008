"""The organisers' side of an event: check-in at the door, participants, exports.

For SKEW staff and the advisors of the event's engagement
(events.selectors.events_managed_by); every other signed-in person gets 404 for the
event, as if it did not exist.
"""

from collections.abc import Callable
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.permissions import Capability, may
from events import exports
from events import selectors as attendance
from events.models import Event
from events.selectors import events_managed_by
from events.services import CheckInError, registration_check_in, registration_undo_check_in

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _event_or_404(request: HttpRequest, pk: int) -> Event:
    return get_object_or_404(events_managed_by(request.user).select_related("municipality"), pk=pk)


def _query(data) -> str:
    return data.get("q", "").strip()[:100]


def _download(content, content_type: str, event: Event, name: str, ext: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    filename = f"{name}-{slugify(event.title)}-{timezone.localdate(event.starts_at)}.{ext}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def checkin(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event_or_404(request, pk)
    query = _query(request.GET)
    counts = attendance.checkin_counts(event)
    return render(
        request,
        "events/checkin.html",
        {
            "event": event,
            "query": query,
            "registrations": attendance.checkin_list(event, query=query),
            "confirmed_count": counts["confirmed"],
            "attended_count": counts["attended"],
        },
    )


def _checkin_step(
    request: HttpRequest, pk: int, registration_pk: int, service: Callable, done: str, same: str
) -> HttpResponse:
    event = _event_or_404(request, pk)
    registration = get_object_or_404(event.registrations, pk=registration_pk)
    query = _query(request.POST)
    try:
        changed = service(registration=registration, by=request.user)
    except CheckInError as error:
        messages.error(request, str(error))
    else:
        message = done if changed else same
        messages.success(request, message % {"name": registration.shown_name})
    url = reverse("events:checkin", args=[event.pk])
    if query:
        url += "?" + urlencode({"q": query})
    return redirect(f"{url}#r{registration.pk}")


@login_required
@require_POST
def check_in(request: HttpRequest, pk: int, registration_pk: int) -> HttpResponse:
    return _checkin_step(
        request,
        pk,
        registration_pk,
        registration_check_in,
        _("%(name)s ist eingecheckt."),
        _("%(name)s war schon eingecheckt."),
    )


@login_required
@require_POST
def undo_check_in(request: HttpRequest, pk: int, registration_pk: int) -> HttpResponse:
    return _checkin_step(
        request,
        pk,
        registration_pk,
        registration_undo_check_in,
        _("Check-in von %(name)s zurückgenommen."),
        _("%(name)s war nicht eingecheckt."),
    )


@login_required
def participants(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event_or_404(request, pk)
    people = attendance.participants(event)
    # Suggestions link into the admin, so only those who may edit organisations there see them.
    suggest = may(request.user, Capability.MODERATE_DIRECTORY)
    return render(
        request,
        "events/participants.html",
        {
            "event": event,
            "people": people,
            "figures": attendance.attendance(event, people.confirmed, suggest=suggest),
            "has_started": event.starts_at <= timezone.now(),
        },
    )


@login_required
def participants_csv(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event_or_404(request, pk)
    content = exports.participants_csv(attendance.participants(event))
    return _download(content, "text/csv; charset=utf-8", event, _("teilnehmende"), "csv")


@login_required
def participants_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event_or_404(request, pk)
    content = exports.participants_xlsx(attendance.participants(event))
    return _download(content, XLSX, event, _("teilnehmende"), "xlsx")


@login_required
def signin_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event_or_404(request, pk)
    content = exports.signin_pdf(event, attendance.participants(event).confirmed)
    return _download(content, "application/pdf", event, _("unterschriftenliste"), "pdf")


@login_required
def attendance_csv(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event_or_404(request, pk)
    figures = attendance.attendance(event, attendance.participants(event).confirmed)
    content = exports.attendance_csv(figures)
    return _download(content, "text/csv; charset=utf-8", event, _("teilnahme"), "csv")
