"""The public side of events: list, programme, registration and the links in its emails."""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_ratelimit.decorators import ratelimit

from engagements.models import Municipality
from events.filters import EventFilter
from events.forms import HONEYPOT, RegistrationForm
from events.ical import calendar_for
from events.models import Event, EventSession
from events.selectors import events_past, events_public, events_upcoming, places_left
from events.services import (
    RegistrationData,
    RegistrationError,
    registration_cancel,
    registration_confirm,
    registration_create,
    registration_from_cancel_token,
    registration_from_confirm_token,
    registration_open,
)

PAGE_SIZE = 20


def registration_rate(group, request) -> str:
    return settings.MIGLOBE_REGISTRATION_RATE


def event_list(request: HttpRequest) -> HttpResponse:
    past = request.GET.get("when") == "past"
    filterset = EventFilter(request.GET, queryset=events_past() if past else events_upcoming())
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    tab_params = params.copy()
    tab_params.pop("when", None)
    return render(
        request,
        "events/event_list.html",
        {
            "filter": filterset,
            "page": page,
            "past": past,
            "query_string": params.urlencode(),
            "tab_query": tab_params.urlencode(),
        },
    )


def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(
        events_public().prefetch_related(
            Prefetch("sessions", queryset=EventSession.objects.order_by("starts_at", "title"))
        ),
        pk=pk,
    )
    return render(
        request,
        "events/event_detail.html",
        {
            "event": event,
            "places_left": places_left(event),
            "registration_open": registration_open(event),
        },
    )


@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate=registration_rate, method="POST", block=False)
def register(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(events_public(), pk=pk)
    context = {"event": event, "places_left": places_left(event)}
    if not registration_open(event):
        return render(request, "events/register_closed.html", context, status=410)
    if getattr(request, "limited", False):
        return render(request, "events/register_limited.html", context, status=429)
    if request.method == "POST":
        form = RegistrationForm(request.POST, event=event)
        if request.POST.get(HONEYPOT):
            # Bots get the same page as people, and nothing is stored.
            return redirect("events:register_sent", pk=event.pk)
        if form.is_valid():
            data = form.cleaned_data
            try:
                registration_create(
                    event=event,
                    data=RegistrationData(
                        name=data["name"],
                        email=data["email"],
                        category=data["category"],
                        organisation=data["organisation"],
                        organisation_name=data["organisation_name"],
                        sessions=tuple(data.get("sessions") or ()),
                        needs=data["needs"],
                        listed=data["listed"],
                        language=(get_language() or "de")[:2],
                    ),
                )
            except RegistrationError as error:
                form.add_error(None, str(error))
            else:
                return redirect("events:register_sent", pk=event.pk)
    else:
        form = RegistrationForm(event=event)
    context["form"] = form
    return render(request, "events/register_form.html", context)


def register_sent(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(events_public(), pk=pk)
    return render(request, "events/register_sent.html", {"event": event})


def _registration_or_404(token: str, finder):
    try:
        registration = finder(token)
    except RegistrationError as error:
        return None, str(error)
    if registration is None:
        raise Http404
    return registration, ""


@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate=registration_rate, method="POST", block=False)
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button, POST confirms: mail scanners follow links, people press buttons."""
    registration, problem = _registration_or_404(token, registration_from_confirm_token)
    if problem:
        return render(request, "events/link_problem.html", {"problem": problem}, status=410)
    if request.method == "POST" and not getattr(request, "limited", False):
        registration = registration_confirm(registration=registration)
        return render(
            request, "events/registration_state.html", {"registration": registration, "done": True}
        )
    return render(request, "events/registration_confirm.html", {"registration": registration})


@require_http_methods(["GET", "POST"])
def cancel(request: HttpRequest, token: str) -> HttpResponse:
    registration, _problem = _registration_or_404(token, registration_from_cancel_token)
    if request.method == "POST":
        try:
            registration = registration_cancel(registration=registration)
        except RegistrationError as error:
            messages.error(request, str(error))
        return render(request, "events/registration_state.html", {"registration": registration})
    return render(request, "events/registration_cancel.html", {"registration": registration})


def _ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def event_ics(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(Event.objects.public(), pk=pk)
    return _ics_response(calendar_for([event]), f"veranstaltung-{event.pk}.ics")


def feed(request: HttpRequest, municipality_id: int | None = None) -> HttpResponse:
    """Upcoming public events and those of the last half year (calendars keep what they saw)."""
    since = timezone.now() - timedelta(days=183)
    events = Event.objects.public().filter(ends_at__gte=since).order_by("starts_at")
    name = _("MiGlobe – Veranstaltungen")
    if municipality_id is not None:
        municipality = get_object_or_404(Municipality, pk=municipality_id)
        events = events.filter(municipality=municipality)
        name = _("MiGlobe – Veranstaltungen in %(town)s") % {"town": municipality.name}
    return _ics_response(calendar_for(events, name=name), "miglobe.ics")
