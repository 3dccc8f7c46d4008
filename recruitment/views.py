"""The public side of building a pool: the pools, their calls, applying and one's application."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_ratelimit.decorators import ratelimit

from advisors.models import Advisor, Pool, Training
from advisors.qualification import attendance_set
from core.permissions import Capability, may

from .forms import ApplicationForm
from .models import Call
from .services import (
    CONFIRM_SALT,
    DECIDED,
    EDITABLE,
    MANAGE_SALT,
    Answers,
    ApplicationError,
    application_confirm,
    application_from,
    application_submit,
    application_update,
    application_withdraw,
    token_for,
)

HONEYPOT = "website"


def application_rate(group, request) -> str:
    return settings.MIGLOBE_REGISTRATION_RATE


def _open_calls():
    now = timezone.now()
    return Call.objects.open(now).order_by("deadline")


def pool_list(request: HttpRequest) -> HttpResponse:
    pools = Pool.objects.prefetch_related(
        Prefetch("calls", queryset=_open_calls(), to_attr="open_calls"), "partners"
    ).order_by("name")
    return render(request, "recruitment/pool_list.html", {"pools": pools})


def pool_detail(request: HttpRequest, slug: str) -> HttpResponse:
    pool = get_object_or_404(Pool.objects.prefetch_related("partners"), slug=slug)
    today = timezone.localdate()
    members = Advisor.objects.members(on=today, pool=pool)
    figures = members.aggregate(
        people=Count("pk", distinct=True),
        towns=Count("home_municipality", distinct=True),
    )
    countries = {
        code
        for value in members.values_list("countries_of_origin", flat=True)
        for code in (value if isinstance(value, list) else str(value).split(","))
        if code
    }
    return render(
        request,
        "recruitment/pool_detail.html",
        {
            "pool": pool,
            "calls": list(_open_calls().filter(pool=pool)),
            "trainings": Training.objects.filter(pool=pool).order_by("starts_on"),
            "figures": figures,
            "countries": len(countries),
        },
    )


def _call(pool_slug: str, slug: str) -> Call:
    return get_object_or_404(
        Call.objects.select_related("pool").prefetch_related("criteria"),
        pool__slug=pool_slug,
        slug=slug,
        published=True,
    )


def _answers(form: ApplicationForm) -> Answers:
    data = form.cleaned_data
    return Answers(
        fields=form.answers_fields(),
        languages=data.get("languages") or [],
        expertise=data.get("expertise") or [],
        cv=data.get("cv"),
    )


@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate=application_rate, method="POST", block=False)
def call_detail(request: HttpRequest, pool_slug: str, slug: str) -> HttpResponse:
    """The call's text and, while it is open, the application form."""
    call = _call(pool_slug, slug)
    context: dict = {"call": call, "pool": call.pool, "is_open": call.is_open()}
    if not context["is_open"]:
        status = 410 if request.method == "POST" else 200
        return render(request, "recruitment/call_detail.html", context, status=status)
    if request.method == "POST":
        form = ApplicationForm(request.POST, request.FILES, call=call)
        if request.POST.get(HONEYPOT):
            return redirect("recruitment:sent", pool_slug=pool_slug, slug=slug)
        if getattr(request, "limited", False):
            form.is_valid()
            form.add_error(None, _("Zu viele Versuche in kurzer Zeit. Bitte warten Sie etwas."))
        elif form.is_valid():
            try:
                application_submit(
                    call=call,
                    answers=_answers(form),
                    language=(get_language() or "de")[:2],
                    form_token=form.cleaned_data.get("form_token"),
                )
            except ApplicationError as error:
                form.add_error(None, str(error))
            else:
                return redirect("recruitment:sent", pool_slug=pool_slug, slug=slug)
        status = 400
    else:
        form = ApplicationForm(call=call, initial={"form_token": uuid.uuid4()})
        status = 200
    context["form"] = form
    return render(request, "recruitment/call_detail.html", context, status=status)


def sent(request: HttpRequest, pool_slug: str, slug: str) -> HttpResponse:
    call = _call(pool_slug, slug)
    return render(request, "recruitment/sent.html", {"call": call})


def _link_problem(request: HttpRequest) -> HttpResponse:
    return render(request, "recruitment/link_problem.html", status=404)


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button, POST confirms: mail scanners follow links, people press buttons."""
    application = application_from(token, CONFIRM_SALT)
    if application is None:
        return _link_problem(request)
    if request.method == "POST":
        application = application_confirm(application=application)
        messages.success(request, _("Danke! Ihre Bewerbung ist eingegangen."))
        return redirect("recruitment:manage", token=token_for(application, MANAGE_SALT))
    return render(request, "recruitment/confirm.html", {"application": application})


@require_http_methods(["GET", "POST"])
def manage(request: HttpRequest, token: str) -> HttpResponse:
    """The applicant's own application: read it, change it until the deadline, withdraw it."""
    application = application_from(token, MANAGE_SALT)
    if application is None:
        return _link_problem(request)
    call = application.call
    editable = application.status in EDITABLE and call.is_open()
    form = None
    status = 200
    if editable:
        initial = {
            "name": application.name,
            "home_town": application.home_town,
            "countries_of_origin": list(application.countries_of_origin),
            "countries_of_experience": list(application.countries_of_experience),
            "languages": application.languages.all(),
            "expertise": application.expertise.all(),
            "experience": application.experience,
            "motivation": application.motivation,
            "availability": application.availability,
            "gender": application.gender,
            "gender_self": application.gender_self,
            "birth_year": application.birth_year,
        }
        if request.method == "POST":
            form = ApplicationForm(request.POST, request.FILES, call=call, editing=True)
            if form.is_valid():
                try:
                    application_update(application=application, answers=_answers(form))
                except ApplicationError as error:
                    form.add_error(None, str(error))
                else:
                    messages.success(request, _("Ihre Änderungen sind gespeichert."))
                    return redirect("recruitment:manage", token=token)
            status = 400
        else:
            form = ApplicationForm(call=call, editing=True, initial=initial)
    elif request.method == "POST":
        messages.error(request, _("Die Bewerbung kann nicht mehr geändert werden."))
        return redirect("recruitment:manage", token=token)
    return render(
        request,
        "recruitment/manage.html",
        {
            "application": application,
            "call": call,
            "form": form,
            "token": token,
            "may_withdraw": application.status not in DECIDED,
        },
        status=status,
    )


@require_POST
def withdraw(request: HttpRequest, token: str) -> HttpResponse:
    application = application_from(token, MANAGE_SALT)
    if application is None:
        return _link_problem(request)
    try:
        application_withdraw(application=application)
    except ApplicationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Ihre Bewerbung ist zurückgezogen."))
    return redirect("recruitment:manage", token=token)


# --- Seminar attendance (SKEW, also on a phone) -------------------------------------------


def _training_or_404(request: HttpRequest, pk: int) -> Training:
    if not may(request.user, Capability.MANAGE_POOLS):
        raise Http404
    return get_object_or_404(Training.objects.select_related("pool"), pk=pk)


@login_required
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """Who of the pool attended the seminar: one button per person, as at an event's door."""
    training = _training_or_404(request, pk)
    members = list(
        Advisor.objects.members(on=training.starts_on, pool=training.pool)
        .select_related("user")
        .order_by("user__name")
    )
    attended = set(training.completions.values_list("advisor_id", flat=True))
    waived = set(training.waivers.values_list("advisor_id", flat=True))
    return render(
        request,
        "recruitment/attendance.html",
        {
            "training": training,
            "rows": [(a, a.pk in attended, a.pk in waived) for a in members],
            "attended_count": len(attended & {a.pk for a in members}),
        },
    )


@login_required
@require_POST
def attendance_set_view(request: HttpRequest, pk: int, advisor_pk: int) -> HttpResponse:
    training = _training_or_404(request, pk)
    advisor = get_object_or_404(
        Advisor.objects.members(on=training.starts_on, pool=training.pool).select_related("user"),
        pk=advisor_pk,
    )
    present = request.POST.get("attended") == "1"
    changed = attendance_set(training=training, advisor=advisor, attended=present)
    if present:
        said = _("%(name)s war dabei.") if changed else _("%(name)s war schon eingetragen.")
    else:
        said = _("Teilnahme von %(name)s zurückgenommen.")
    messages.success(request, said % {"name": advisor})
    return redirect(reverse("recruitment:attendance", args=[training.pk]) + f"#a{advisor.pk}")
