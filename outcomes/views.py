"""Action options: the advisors' pages to draft them, the municipality's to comment and decide."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from advisors.selectors import advisor_for
from core.files import stored_download
from core.permissions import Capability, may
from core.spreadsheets import xlsx_bytes
from engagements.enums import EngagementStatus
from engagements.models import Engagement
from engagements.selectors import engagements_for_advisor

from .figures import FIGURES, programme_figures, totals_by_year
from .follow_up import FollowUpError, open_link, options_asked
from .follow_up import answer as answer_follow_up
from .forms import CommentForm, DecisionForm, FollowUpForm, OptionForm
from .models import ActionOption, FinalReport
from .selectors import (
    advises_on,
    engagement_for_officer,
    may_comment,
    may_decide,
    options_of,
)
from .services import (
    OptionError,
    final_report_confirm,
    option_comment,
    option_decide,
    option_save,
)


def _advisors_engagement(request: HttpRequest, pk: int) -> Engagement:
    """The engagement if the user advises on it now; 404 for everyone else."""
    advisor = advisor_for(request.user)
    if advisor is None:
        raise Http404
    return get_object_or_404(engagements_for_advisor(advisor), pk=pk)


def _options_page(
    request: HttpRequest,
    engagement: Engagement,
    *,
    role: str,
    refused: tuple[int, str, object] | None = None,
) -> HttpResponse:
    """The options with their comments; `refused` is (option pk, form name, bound form)."""
    decide = role == "officer" and may_decide(request.user, engagement)
    options = list(options_of(engagement))
    for option in options:
        forms = {"comment": CommentForm(prefix=f"c{option.pk}")}
        if decide:
            initial = {"decision": option.decision, "reason": option.decision_reason}
            forms["decision"] = DecisionForm(prefix=f"d{option.pk}", initial=initial)
        if refused and refused[0] == option.pk:
            forms[refused[1]] = refused[2]
        option.forms = forms
    reports = list(FinalReport.objects.filter(engagement=engagement).order_by("-version"))
    return render(
        request,
        "outcomes/options.html",
        {
            "engagement": engagement,
            "reports": reports,
            "latest_report": reports[0] if reports else None,
            "options": options,
            "role": role,
            "may_decide": decide,
            "is_open": engagement.status in EngagementStatus.open(),
            # A finished engagement shows no forms: the reason stands at the top instead.
            "refusal": refused[2].errors.get("__all__") if refused else None,
            "back": reverse("workspace:engagement", args=[engagement.pk])
            if role == "advisor"
            else engagement.consultation_request.get_absolute_url(),
        },
        status=400 if refused else 200,
    )


@login_required
def advisor_options(request: HttpRequest, pk: int) -> HttpResponse:
    return _options_page(request, _advisors_engagement(request, pk), role="advisor")


@login_required
def officer_options(request: HttpRequest, pk: int) -> HttpResponse:
    engagement = engagement_for_officer(request.user, pk)
    if engagement is None:
        raise Http404
    return _options_page(request, engagement, role="officer")


@login_required
def option_edit(request: HttpRequest, pk: int, option_pk: int | None = None) -> HttpResponse:
    engagement = _advisors_engagement(request, pk)
    option = get_object_or_404(engagement.action_options, pk=option_pk) if option_pk else None
    if option is not None and option.decision:
        messages.info(request, _("Die Kommune hat über diese Option schon entschieden."))
        return redirect("outcomes:advisor_options", pk=engagement.pk)
    if request.method == "POST":
        form = OptionForm(request.POST, engagement=engagement)
        if form.is_valid():
            try:
                option_save(
                    engagement=engagement, by=request.user, option=option, **form.cleaned_data
                )
            except OptionError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Die Handlungsoption ist gespeichert."))
                return redirect("outcomes:advisor_options", pk=engagement.pk)
    elif option is not None:
        form = OptionForm(
            engagement=engagement,
            initial={
                "title": option.title,
                "description": option.description,
                "department": option.department,
                "field_of_action": option.field_of_action,
                "effort": option.effort,
                "organisations": list(option.organisations.all()),
                "findings": list(option.findings.all()),
            },
        )
    else:
        form = OptionForm(engagement=engagement)
    return render(
        request,
        "outcomes/option_form.html",
        {"engagement": engagement, "form": form, "option": option},
        status=400 if form.errors else 200,
    )


def _option_and_role(request: HttpRequest, option_pk: int) -> tuple[ActionOption, str]:
    """The option if the user may comment on it, and the page they came from."""
    option = get_object_or_404(
        ActionOption.objects.select_related(
            "engagement__municipality", "engagement__consultation_request"
        ),
        pk=option_pk,
    )
    advising = advises_on(advisor_for(request.user), option.engagement)
    if not may_comment(request.user, option.engagement, advising=advising):
        raise Http404
    return option, "advisor" if advising else "officer"


def _back(option: ActionOption, role: str) -> HttpResponse:
    engagement = option.engagement
    if role == "advisor":
        url = reverse("outcomes:advisor_options", args=[engagement.pk])
    else:
        url = reverse("outcomes:officer_options", args=[engagement.consultation_request_id])
    return redirect(f"{url}#option-{option.pk}")


@login_required
@require_POST
def comment(request: HttpRequest, option_pk: int) -> HttpResponse:
    option, role = _option_and_role(request, option_pk)
    form = CommentForm(request.POST, prefix=f"c{option.pk}")
    if form.is_valid():
        try:
            option_comment(option=option, by=request.user, text=form.cleaned_data["text"])
        except OptionError as error:
            form.add_error("text", str(error))
        else:
            messages.success(request, _("Ihr Kommentar ist gespeichert."))
            return _back(option, role)
    return _options_page(
        request, option.engagement, role=role, refused=(option.pk, "comment", form)
    )


@login_required
@require_POST
def decide(request: HttpRequest, option_pk: int) -> HttpResponse:
    option, _role = _option_and_role(request, option_pk)
    if not may_decide(request.user, option.engagement):
        raise Http404
    form = DecisionForm(request.POST, prefix=f"d{option.pk}")
    if form.is_valid():
        try:
            option_decide(
                option=option,
                by=request.user,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
            )
        except OptionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Die Entscheidung ist gespeichert."))
            return _back(option, "officer")
    return _options_page(
        request, option.engagement, role="officer", refused=(option.pk, "decision", form)
    )


def _officers_report(request: HttpRequest, pk: int, version: int) -> FinalReport:
    engagement = engagement_for_officer(request.user, pk)
    if engagement is None:
        raise Http404
    return get_object_or_404(FinalReport, engagement=engagement, version=version)


@login_required
def final_report_download(request: HttpRequest, pk: int, version: int) -> HttpResponse:
    """A version of the final report, for the municipality and SKEW (from the request page)."""
    report = _officers_report(request, pk, version)
    return stored_download(request, report.pdf, content_type="application/pdf")


@login_required
@require_POST
def final_report_confirm_view(request: HttpRequest, pk: int, version: int) -> HttpResponse:
    report = _officers_report(request, pk, version)
    if not may_decide(request.user, report.engagement):
        raise Http404
    try:
        final_report_confirm(report=report, by=request.user, as_skew=False)
    except OptionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Sie haben den Abschlussbericht bestätigt."))
    return redirect(reverse("outcomes:officer_options", args=[pk]) + "#abschlussbericht")


def follow_up(request: HttpRequest, token: str) -> HttpResponse:
    """The municipality's answer to a follow-up, by its signed link: no password needed."""
    opened = open_link(token)
    if opened.follow_up is None or opened.problem:
        status = 200 if opened.follow_up is not None else 400
        return render(
            request, "outcomes/follow_up.html", {"problem": opened.problem}, status=status
        )
    item = opened.follow_up
    options = options_asked(item)
    form = FollowUpForm(request.POST or None, options=options)
    if request.method == "POST" and form.is_valid():
        try:
            answer_follow_up(follow_up=item, answers=form.answers())
        except FollowUpError as error:
            form.add_error(None, str(error))
        else:
            return render(request, "outcomes/follow_up.html", {"thanks": True, "follow_up": item})
    return render(
        request,
        "outcomes/follow_up.html",
        {"form": form, "follow_up": item, "engagement": item.engagement, "options": options},
        status=400 if form.errors else 200,
    )


CHARTED = ("requests", "started", "completed", "adopted")
BAR_WIDTH = 300  # px of the longest bar


@login_required
def figures(request: HttpRequest, fmt: str = "") -> HttpResponse:
    """The programme's figures per federal state and year, for SKEW's report to the ministry."""
    if not may(request.user, Capability.SEE_FIGURES):
        raise Http404
    rows = programme_figures()
    totals = totals_by_year(rows)
    header = [str(_("Bundesland")), str(_("Jahr"))] + [str(label) for _key, label in FIGURES]
    if fmt == "xlsx":
        data = [[row.state_label, row.year, *row.cells()] for row in rows] + [
            [str(_("alle")), row.year, *row.cells()] for row in totals
        ]
        response = HttpResponse(
            xlsx_bytes(header, data, title=str(_("Kennzahlen"))),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = 'attachment; filename="miglobe-kennzahlen.xlsx"'
        return response
    labels = dict(FIGURES)
    charts = []
    for key in CHARTED:
        top = max((int(row.values.get(key, 0)) for row in totals), default=0) or 1
        charts.append(
            {
                "key": key,
                "label": labels[key],
                "bars": [
                    (
                        row.year,
                        int(row.values.get(key, 0)),
                        round(BAR_WIDTH * int(row.values.get(key, 0)) / top),
                    )
                    for row in sorted(totals, key=lambda r: r.year)
                ],
            }
        )
    return render(
        request,
        "outcomes/figures.html",
        {
            "labels": [label for _key, label in FIGURES],
            "rows": rows,
            "totals": totals,
            "charts": charts,
            "bar_width": BAR_WIDTH,
        },
    )
