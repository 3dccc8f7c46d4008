"""The advisor's workspace: their engagements, findings, time and expenses.

Every object is looked up from the advisor's own scope; anything outside it
answers 404. Writes go through the services of engagements and actors.
"""

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from actors import exports
from actors.forms import FindingForm
from actors.selectors import likely_duplicates
from actors.services import FindingError, finding_record
from advisors.models import Advisor
from advisors.selectors import advisor_for
from core.files import file_missing, open_stored, private_file
from core.permissions import Capability, may
from engagements.enums import EngagementStatus, EntryStatus
from engagements.forms import ExpenseForm, MilestoneDoneForm, MilestoneMoveForm, TimeEntryForm
from engagements.lifecycle import EngagementError, milestone_complete, milestone_move
from engagements.models import EngagementAdvisor, Expense, Milestone, TimeEntry
from engagements.selectors import engagement_costs, engagements_for_advisor
from engagements.services import (
    EntryError,
    entry_delete,
    entry_save,
    entry_submit,
    entry_withdraw,
)
from engagements.validators import RECEIPT_TYPES, receipt_type

from .calendar import advisor_calendar, advisor_from_token, calendar_renew, feed_url

OPEN = [EntryStatus.DRAFT, EntryStatus.SUBMITTED]
RUNNING = [EngagementStatus.PLANNED, EngagementStatus.ACTIVE]


def _advisor_or_404(request: HttpRequest) -> Advisor:
    advisor = advisor_for(request.user)
    if advisor is None:
        raise Http404(_("Diese Seite ist für Berater*innen."))
    return advisor


def _engagement_or_404(advisor, pk):
    return get_object_or_404(engagements_for_advisor(advisor), pk=pk)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    advisor = _advisor_or_404(request)
    engagements = list(
        engagements_for_advisor(advisor)
        .annotate(open_milestones=Count("milestones", filter=Q(milestones__done_on__isnull=True)))
        .order_by("-starts_on")
    )
    milestones = (
        Milestone.objects.filter(
            engagement__in=[e.pk for e in engagements if e.status in RUNNING],
            done_on__isnull=True,
        )
        .select_related("engagement__municipality")
        .order_by("due_on")[:10]
    )
    return render(
        request,
        "workspace/dashboard.html",
        {
            "advisor": advisor,
            "current": [e for e in engagements if e.status in RUNNING],
            "past": [e for e in engagements if e.status not in RUNNING],
            "milestones": milestones,
            "today": timezone.localdate(),
            "time_entries": TimeEntry.objects.filter(advisor=advisor, status__in=OPEN)
            .select_related("engagement__municipality")
            .order_by("-date"),
            "expenses": Expense.objects.filter(advisor=advisor, status__in=OPEN)
            .select_related("engagement__municipality")
            .order_by("-date"),
            "calendar_url": feed_url(advisor),
        },
    )


@login_required
def engagement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    advisor = _advisor_or_404(request)
    return _engagement_page(request, advisor, _engagement_or_404(advisor, pk))


def _engagement_page(
    request: HttpRequest, advisor: Advisor, engagement, *, refused=None, status: int = 200
) -> HttpResponse:
    """The engagement's page; `refused` is a milestone form to show again with its errors."""
    return render(
        request,
        "workspace/engagement_detail.html",
        {
            "refused": refused,
            "advisor": advisor,
            "engagement": engagement,
            "assignments": EngagementAdvisor.objects.current()
            .filter(engagement=engagement)
            .select_related("advisor__user"),
            "departments": engagement.departments.all(),
            "milestones": engagement.milestones.all(),
            "is_open": engagement.status in EngagementStatus.open(),
            "surveys": engagement.surveys.order_by("-opens_on"),
            "papers": engagement.council_papers.shown(),
            "findings": engagement.findings.select_related(
                "organisation", "advisor__user"
            ).prefetch_related("organisation__fields_of_action"),
            "costs": engagement_costs(engagement),
            "corrections": engagement.corrections.all(),
            "time_entries": TimeEntry.objects.filter(engagement=engagement, advisor=advisor),
            "expenses": Expense.objects.filter(engagement=engagement, advisor=advisor),
            "today": timezone.localdate(),
        },
        status=status,
    )


def _closed(engagement) -> bool:
    """The engagement has ended (perhaps a moment ago): its page shows no milestone forms."""
    return (
        not type(engagement)
        .objects.filter(pk=engagement.pk, status__in=EngagementStatus.open())
        .exists()
    )


def _said(request: HttpRequest, engagement, error: Exception) -> HttpResponse:
    """A refusal that no form on the page can show: as a message at the top of the page."""
    messages.error(request, str(error))
    return redirect(reverse("workspace:engagement", args=[engagement.pk]) + "#meilensteine")


def _milestone_step(request: HttpRequest, pk: int, milestone_pk: int, step: str) -> HttpResponse:
    """Mark an open milestone done, or move it: the service decides, the page says what."""
    advisor = _advisor_or_404(request)
    engagement = _engagement_or_404(advisor, pk)
    milestone = get_object_or_404(engagement.milestones, pk=milestone_pk)
    form = (MilestoneDoneForm if step == "done" else MilestoneMoveForm)(request.POST)
    field = "done_on" if step == "done" else "due_on"
    if form.is_valid():
        data = form.cleaned_data
        try:
            if step == "done":
                milestone_complete(
                    milestone=milestone, by=request.user, done_on=data["done_on"],
                    note=data["note"],
                )  # fmt: skip
                said = _("„%(title)s“ ist als erledigt vermerkt.")
            else:
                milestone_move(
                    milestone=milestone, by=request.user, due_on=data["due_on"],
                    reason=data["reason"],
                )  # fmt: skip
                said = _("„%(title)s“ ist verschoben; alle Beteiligten erfahren es.")
        except EngagementError as error:
            if _closed(engagement):
                return _said(request, engagement, error)
            form.add_error(field, str(error))
        else:
            messages.success(request, said % {"title": milestone.title})
            return redirect(reverse("workspace:engagement", args=[engagement.pk]) + "#meilensteine")
    # The page again, with the message next to the field that caused it.
    form.milestone_pk, form.action = milestone.pk, step
    return _engagement_page(request, advisor, engagement, refused=form, status=400)


@login_required
@require_POST
def milestone_done(request: HttpRequest, pk: int, milestone_pk: int) -> HttpResponse:
    return _milestone_step(request, pk, milestone_pk, "done")


@login_required
@require_POST
def milestone_move_view(request: HttpRequest, pk: int, milestone_pk: int) -> HttpResponse:
    return _milestone_step(request, pk, milestone_pk, "move")


@login_required
def finding_create(request: HttpRequest, pk: int) -> HttpResponse:
    advisor = _advisor_or_404(request)
    engagement = _engagement_or_404(advisor, pk)
    duplicates = []
    if request.method == "POST":
        name = request.POST.get("name", "")
        if name and not request.POST.get("organisation"):
            duplicates = likely_duplicates(name, engagement.municipality)
        form = FindingForm(request.POST, engagement=engagement, duplicates=duplicates)
        if form.is_valid():
            data = form.cleaned_data
            if duplicates and not data["organisation"] and not data["create_new"]:
                messages.warning(
                    request,
                    _(
                        "Diese Organisation gibt es vielleicht schon. Bitte wählen Sie sie aus "
                        "oder bestätigen Sie, dass es eine andere ist."
                    ),
                )
            else:
                try:
                    finding = finding_record(
                        engagement=engagement,
                        advisor=advisor,
                        source=data["source"],
                        found_on=data["found_on"],
                        notes=data["notes"],
                        organisation=data["organisation"],
                        new_organisation=None if data["organisation"] else form.new_organisation(),
                        fields_of_action=data["fields_of_action"],
                        contact=form.contact(),
                        allow_duplicate=data["create_new"],
                    )
                except FindingError as error:
                    form.add_error(None, str(error))
                else:
                    messages.success(
                        request,
                        _("%(organisation)s ist als Rechercheergebnis erfasst.")
                        % {"organisation": finding.organisation},
                    )
                    return redirect(
                        reverse("workspace:engagement", args=[engagement.pk]) + "#ergebnisse"
                    )
    else:
        form = FindingForm(engagement=engagement)
    return render(
        request,
        "workspace/finding_form.html",
        {"engagement": engagement, "form": form, "duplicates": duplicates},
    )


@login_required
def findings_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    advisor = _advisor_or_404(request)
    engagement = _engagement_or_404(advisor, pk)
    name = f"akteure-{slugify(engagement.municipality.name)}-{timezone.localdate()}"
    if fmt == "csv":
        response = HttpResponse(exports.as_csv(engagement), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            exports.as_xlsx(engagement),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


# --- Time entries and expenses: one set of views for both kinds ----------------------

KINDS = {
    "time": (TimeEntry, TimeEntryForm, _("Zeit erfassen"), _("Zeiteintrag bearbeiten")),
    "expense": (Expense, ExpenseForm, _("Ausgabe erfassen"), _("Ausgabe bearbeiten")),
}


def _own_entry(advisor, kind: str, pk: int):
    model = KINDS[kind][0]
    return get_object_or_404(model.objects.select_related("engagement"), pk=pk, advisor=advisor)


def _entry_form(request: HttpRequest, kind: str, pk: int | None = None) -> HttpResponse:
    advisor = _advisor_or_404(request)
    _model, form_class, add_title, edit_title = KINDS[kind]
    instance = _own_entry(advisor, kind, pk) if pk else None
    if instance is not None and instance.status != EntryStatus.DRAFT:
        messages.info(
            request,
            _("Der Eintrag ist %(status)s und kann nicht mehr geändert werden.")
            % {"status": instance.get_status_display()},
        )
        return redirect(reverse("workspace:engagement", args=[instance.engagement_id]))
    initial = {}
    if instance is None and request.GET.get("engagement"):
        initial["engagement"] = request.GET["engagement"]
    if request.method == "POST":
        form = form_class(
            request.POST, request.FILES, instance=instance, advisor=advisor, initial=initial
        )
        if form.is_valid():
            try:
                entry = entry_save(entry=form.save(commit=False), advisor=advisor)
            except EntryError as error:
                form.add_error(None, str(error))
            else:
                if request.POST.get("action") == "submit":
                    entry_submit(entry=entry, advisor=advisor)
                    messages.success(request, _("Eingereicht: Die SKEW prüft den Eintrag."))
                else:
                    messages.success(request, _("Als Entwurf gespeichert."))
                return redirect(
                    reverse("workspace:engagement", args=[entry.engagement_id]) + "#kosten"
                )
    else:
        form = form_class(instance=instance, advisor=advisor, initial=initial)
    return render(
        request,
        "workspace/entry_form.html",
        {
            "form": form,
            "kind": kind,
            "title": edit_title if instance else add_title,
            "object": instance,
        },
    )


@login_required
def entry_create(request: HttpRequest, kind: str) -> HttpResponse:
    return _entry_form(request, kind)


@login_required
def entry_edit(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    return _entry_form(request, kind, pk)


ACTIONS = {
    "submit": (entry_submit, _("Eingereicht: Die SKEW prüft den Eintrag.")),
    "withdraw": (entry_withdraw, _("Zurückgeholt: Der Eintrag ist wieder ein Entwurf.")),
    "delete": (entry_delete, _("Der Entwurf ist gelöscht.")),
}


@login_required
@require_POST
def entry_action(request: HttpRequest, kind: str, pk: int, action: str) -> HttpResponse:
    advisor = _advisor_or_404(request)
    entry = _own_entry(advisor, kind, pk)
    service, done = ACTIONS[action]
    try:
        service(entry=entry, advisor=advisor)
    except EntryError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    target = request.POST.get("next")
    if target == "dashboard":
        return redirect("workspace:dashboard")
    return redirect(reverse("workspace:engagement", args=[entry.engagement_id]) + "#kosten")


@login_required
def expense_receipt(request: HttpRequest, pk: int) -> HttpResponse:
    """A receipt, only for the advisor who filed it and SKEW's finance; never a public URL."""
    if may(request.user, Capability.SEE_RECEIPTS):
        expense = get_object_or_404(Expense, pk=pk)
    else:
        expense = _own_entry(_advisor_or_404(request), "expense", pk)
    if not expense.receipt:
        raise Http404
    handle = open_stored(expense.receipt)
    if handle is None:
        return file_missing(request)
    content_type = receipt_type(handle) or "application/octet-stream"
    extension = RECEIPT_TYPES.get(content_type) or mimetypes.guess_extension(content_type) or ""
    return private_file(
        handle,
        content_type=content_type,
        as_attachment=content_type == "application/octet-stream",
        filename=f"beleg-{expense.pk}.{extension.lstrip('.')}",
    )


def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The advisor's calendar, for calendar apps: the signed address is the key."""
    advisor = advisor_from_token(token)
    if advisor is None:
        raise Http404(_("Diese Kalenderadresse gilt nicht (mehr)."))
    response = HttpResponse(advisor_calendar(advisor), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="miglobe.ics"'
    response["Cache-Control"] = "private, max-age=900"
    response["X-Robots-Tag"] = "noindex"
    return response


@login_required
@require_POST
def calendar_renew_view(request: HttpRequest) -> HttpResponse:
    calendar_renew(_advisor_or_404(request))
    messages.success(
        request,
        _("Ihre Kalenderadresse ist erneuert; die bisherige gilt nicht mehr."),
    )
    return redirect("workspace:dashboard")
