"""Answering a survey (no account), and the survey's page for SKEW and the engagement's advisors."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_ratelimit.decorators import ratelimit

from actors.selectors import statistics_sections
from actors.services import current_wording
from core.permissions import Capability, may
from core.spreadsheets import xlsx_bytes
from engagements.models import EngagementAdvisor

from .enums import OpenCheck, Publish, ResponseStatus
from .forms import AnswerForm, MeetingForm, QuestionFormSet, SurveyForm
from .models import Survey
from .services import (
    AnswerData,
    SurveyError,
    answer_token,
    email_from_opt_out,
    invitations_send,
    invite_to_event,
    may_run,
    open_start,
    opt_out,
    response_from,
    response_save,
    results,
)

HONEYPOT = "homepage"


def open_rate(group, request) -> str:
    return settings.MIGLOBE_REGISTRATION_RATE


# --- Answering ---------------------------------------------------------------------------


def _published_preview(response) -> list[tuple[str, str]]:
    """What the directory would show, from what is saved: the organisation sees it first."""
    if not response.publish:
        return []
    what = set(response.publish_what)
    rows = [
        (_("Name"), response.name),
        (_("Ort"), response.town),
        (_("Wirkungsradius"), response.get_scope_display()),
    ]
    if Publish.DESCRIPTION in what:
        rows.append((_("Beschreibung"), response.activities))
    if Publish.FIELDS in what:
        rows.append(
            (_("Handlungsfelder"), ", ".join(str(f) for f in response.fields_of_action.all()))
        )
    if Publish.COUNTRIES in what:
        codes = list(response.countries_of_origin) + list(response.countries_of_activity)
        rows.append((_("Länder"), ", ".join(dict.fromkeys(str(c.name) for c in codes))))
    if Publish.WEBSITE in what:
        rows.append((_("Website"), response.website))
    return [(label, value) for label, value in rows if value]


@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, token: str) -> HttpResponse:
    """The organisation's answer: saved to continue later, or sent (a second send updates)."""
    opened = response_from(token)
    if opened.response is None or opened.problem:
        status = 410 if opened.response is not None else 404
        return render(request, "surveys/link_problem.html", {"problem": opened.problem},
                      status=status)  # fmt: skip
    response = opened.response
    survey = response.survey
    questions = list(survey.questions.all())
    consent_text = survey.wording.text_de if (get_language() or "de").startswith("de") else (
        survey.wording.text_en or survey.wording.text_de
    )  # fmt: skip
    form = AnswerForm(
        request.POST or None, instance=response, questions=questions, consent_text=consent_text
    )
    status = 200
    if request.method == "POST":
        submit = request.POST.get("action") == "submit"
        if form.is_valid():
            try:
                response_save(
                    response=response,
                    data=AnswerData(
                        fields=form.core(),
                        fields_of_action=form.cleaned_data.get("fields_of_action") or [],
                        answers=form.answers(),
                    ),
                    submit=submit,
                )
            except SurveyError as error:
                form.add_error(None, str(error))
            else:
                if submit:
                    messages.success(request, _("Danke! Ihre Antwort ist angekommen."))
                else:
                    messages.success(
                        request,
                        _(
                            "Gespeichert. Mit dem Link aus der E-Mail (oder dieser Adresse) "
                            "können Sie später weitermachen."
                        ),
                    )
                return redirect("surveys:answer", token=token)
        status = 400
    response.refresh_from_db()
    return render(
        request,
        "surveys/answer.html",
        {
            "survey": survey,
            "response": response,
            "form": form,
            "preview": _published_preview(response),
            "sent": response.status == ResponseStatus.SUBMITTED,
            "pending_check": response.open_check == OpenCheck.PENDING,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate=open_rate, method="POST", block=False)
def open_link(request: HttpRequest, key: str) -> HttpResponse:
    """For organisations nobody knows yet: start an answer (SKEW checks it before it counts)."""
    survey = get_object_or_404(Survey.objects.select_related("municipality"), open_key=key)
    if request.method == "POST" and survey.is_open():
        if getattr(request, "limited", False):
            return render(request, "surveys/open.html", {"survey": survey, "limited": True},
                          status=429)  # fmt: skip
        if request.POST.get(HONEYPOT):
            return render(request, "surveys/open.html", {"survey": survey}, status=200)
        response = open_start(survey=survey, language=(get_language() or "de")[:2])
        return redirect("surveys:answer", token=answer_token(response))
    return render(request, "surveys/open.html", {"survey": survey},
                  status=200 if survey.is_open() else 410)  # fmt: skip


@require_http_methods(["GET", "POST"])
def opt_out_view(request: HttpRequest, token: str) -> HttpResponse:
    email = email_from_opt_out(token)
    if email is None:
        return render(request, "surveys/link_problem.html",
                      {"problem": _("Dieser Link ist unvollständig oder verändert.")},
                      status=404)  # fmt: skip
    done = False
    if request.method == "POST":
        opt_out(email=email)
        done = True
    return render(request, "surveys/opt_out.html", {"email": email, "done": done})


# --- The survey's page (SKEW, the engagement's advisors) --------------------------------------


def _survey_or_404(request: HttpRequest, pk: int) -> Survey:
    survey = (
        Survey.objects.select_related("municipality", "engagement", "wording").filter(pk=pk).first()
    )
    if survey is None or not may_run(request.user, survey):
        raise Http404
    return survey


@login_required
def survey_detail(request: HttpRequest, pk: int, fmt: str = "") -> HttpResponse:
    survey = _survey_or_404(request, pk)
    found = results(survey)
    staff = may(request.user, Capability.MODERATE_DIRECTORY)
    questions = list(survey.questions.all())
    if fmt == "xlsx":
        header = [
            str(_("Organisation")), str(_("Ort")), str(_("Wirkungsradius")),
            str(_("Handlungsfelder")), str(_("Herkunftsländer")), str(_("Aktivitätsländer")),
            str(_("Mitglieder")), str(_("Interesse an Vernetzung")),
            str(_("Veröffentlichung")), *(q.text for q in questions),
        ]  # fmt: skip
        rows = [
            [
                r.name, r.town, r.get_scope_display(),
                ", ".join(str(f) for f in r.fields_of_action.all()),
                ", ".join(str(c.name) for c in r.countries_of_origin),
                ", ".join(str(c.name) for c in r.countries_of_activity),
                r.members or "", _("ja") if r.networking else _("nein"),
                _("ja") if r.publish else _("nein"),
                *(
                    _shown(r.answers.get(str(q.pk)))
                    if staff or q.kind != "text"
                    else ""
                    for q in questions
                ),
            ]
            for r in found.responses
        ]  # fmt: skip
        download = HttpResponse(
            xlsx_bytes(header, rows, title=str(_("Antworten"))),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        download["Content-Disposition"] = f'attachment; filename="befragung-{survey.pk}.xlsx"'
        return download
    meeting_form = MeetingForm(survey=survey)
    return render(
        request,
        "surveys/survey_detail.html",
        {
            "survey": survey,
            "results": found,
            "sections": statistics_sections(found.stats),
            "questions": questions,
            "staff": staff,
            # Free answers are for SKEW only; the advisors see the figures and the core.
            "rows": [
                (r, [(q, _shown(r.answers.get(str(q.pk)))) for q in questions] if staff else [])
                for r in found.responses
            ],
            "meeting_form": meeting_form,
            "open_url": request.build_absolute_uri(reverse("surveys:open", args=[survey.open_key])),
        },
    )


def _shown(value) -> str:
    if isinstance(value, list):
        return ", ".join(value)
    return "" if value is None else str(value)


@login_required
@require_POST
def invitations(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey_or_404(request, pk)
    try:
        sent = invitations_send(survey=survey)
    except SurveyError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(count)s Einladungen verschickt.") % {"count": sent})
    return redirect("surveys:detail", pk=survey.pk)


@login_required
@require_POST
def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey_or_404(request, pk)
    form = MeetingForm(request.POST, survey=survey)
    if form.is_valid():
        try:
            sent = invite_to_event(
                survey=survey,
                event=form.cleaned_data["event"],
                only_interested=form.cleaned_data["only_interested"],
            )
        except SurveyError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, _("%(count)s Einladungen zur Veranstaltung verschickt.") % {"count": sent}
            )
    else:
        messages.error(request, _("Bitte wählen Sie eine Veranstaltung der Kommune."))
    return redirect("surveys:detail", pk=survey.pk)


@login_required
@require_http_methods(["GET", "POST"])
def survey_create(request: HttpRequest, engagement_pk: int) -> HttpResponse:
    """The advisors of an engagement ask the organisations of its municipality."""
    assignment = (
        EngagementAdvisor.objects.current()
        .select_related("engagement__municipality")
        .filter(engagement_id=engagement_pk, advisor__user=request.user)
        .first()
    )
    if assignment is None:
        raise Http404
    engagement = assignment.engagement
    wording = current_wording()
    form = SurveyForm(request.POST or None)
    formset = QuestionFormSet(request.POST or None, prefix="q")
    if request.method == "POST" and form.is_valid() and formset.is_valid() and wording:
        with transaction.atomic():
            survey = form.save(commit=False)
            survey.municipality = engagement.municipality
            survey.engagement = engagement
            survey.wording = wording
            survey.created_by = request.user
            survey.save()
            formset.instance = survey
            for position, question in enumerate(formset.save(commit=False)):
                question.position = position
                question.save()
        messages.success(request, _("Die Befragung ist angelegt."))
        return redirect("surveys:detail", pk=survey.pk)
    return render(
        request,
        "surveys/survey_form.html",
        {"engagement": engagement, "form": form, "formset": formset},
        status=400 if request.method == "POST" else 200,
    )
