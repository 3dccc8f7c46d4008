from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.permissions import Capability, may

from .enums import RequestStatus
from .forms import ConsultationRequestForm, MessageForm, NewDepartmentFormSet, WithdrawForm
from .models import ConsultationRequest
from .selectors import engagement_of, officer_for, requests_for_user
from .services import (
    NewDepartment,
    RequestError,
    missing_for_submission,
    request_post_message,
    request_save_draft,
    request_submit,
    request_withdraw,
)


def _officer_or_404(user):
    officer = officer_for(user)
    if officer is None:
        raise Http404(_("Diese Seite ist für Ansprechpersonen von Kommunen."))
    return officer


@login_required
def request_list(request: HttpRequest) -> HttpResponse:
    officer = officer_for(request.user)
    if officer is None and not may(request.user, Capability.REVIEW_REQUESTS):
        raise Http404(_("Diese Seite ist für Ansprechpersonen von Kommunen."))
    requests = requests_for_user(request.user).order_by("-created_at")
    return render(
        request,
        "engagements/consultationrequest_list.html",
        {"requests": requests, "officer": officer},
    )


def _save_from_forms(officer, form, departments_formset, instance=None):
    data = {
        name: form.cleaned_data[name]
        for name in form.Meta.fields
        if name not in ("topics", "departments", "community_languages")
    }
    new_departments = [
        NewDepartment(number=f.cleaned_data.get("number", ""), name=f.cleaned_data.get("name", ""))
        for f in departments_formset.forms
        if f.cleaned_data
    ]
    return request_save_draft(
        officer=officer,
        data=data,
        topics=form.cleaned_data["topics"],
        departments=form.cleaned_data["departments"],
        new_departments=new_departments,
        community_languages=form.cleaned_data["community_languages"],
        consultation_request=instance,
        form_token=form.cleaned_data.get("form_token"),
    )


def _request_form(request: HttpRequest, instance: ConsultationRequest | None) -> HttpResponse:
    officer = _officer_or_404(request.user)
    municipality = officer.municipality
    if instance is not None and not instance.is_editable:
        messages.info(
            request, _("Die Anfrage ist eingereicht und kann nicht mehr geändert werden.")
        )
        return redirect(instance)
    if request.method == "POST":
        form = ConsultationRequestForm(request.POST, instance=instance, municipality=municipality)
        departments = NewDepartmentFormSet(request.POST, prefix="newdept")
        if form.is_valid() and departments.is_valid():
            try:
                saved = _save_from_forms(officer, form, departments, instance)
            except RequestError as error:
                messages.error(request, str(error))
                return redirect("engagements:request_list")
            if request.POST.get("action") != "submit":
                messages.success(request, _("Ihr Entwurf ist gespeichert."))
                return redirect(saved)
            if saved.status != RequestStatus.DRAFT:  # the same form sent twice
                return redirect(saved)
            if not officer.is_confirmed:
                messages.warning(request, _unconfirmed_note(municipality))
                return redirect(saved)
            missing = missing_for_submission(saved)
            if not missing:
                return _submit_and_redirect(request, saved)
            messages.warning(
                request,
                _("Ihr Entwurf ist gespeichert. Zum Einreichen fehlt noch etwas (siehe unten)."),
            )
            for field, message in missing.items():
                form.add_error(field, message)
            instance = saved
    else:
        form = ConsultationRequestForm(
            instance=instance,
            municipality=municipality,
            initial=(
                {"contact_name": request.user.name, "contact_email": request.user.email}
                if instance is None
                else {}
            ),
        )
        departments = NewDepartmentFormSet(prefix="newdept")
    return render(
        request,
        "engagements/consultationrequest_form.html",
        {
            "form": form,
            "departments_formset": departments,
            "officer": officer,
            "object": instance,
        },
    )


def _unconfirmed_note(municipality) -> str:
    return _(
        "Ihr Entwurf ist gespeichert. Einreichen können Sie, sobald die SKEW bestätigt hat, "
        "dass Sie für %(municipality)s sprechen."
    ) % {"municipality": municipality}


def _submit_and_redirect(request: HttpRequest, obj: ConsultationRequest) -> HttpResponse:
    try:
        request_submit(consultation_request=obj, by=request.user)
    except RequestError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("Ihre Anfrage ist eingereicht. Die SKEW meldet sich bei Ihnen.")
        )
    return redirect(obj)


@login_required
def request_create(request: HttpRequest) -> HttpResponse:
    return _request_form(request, None)


@login_required
def request_edit(request: HttpRequest, pk: int) -> HttpResponse:
    instance = get_object_or_404(requests_for_user(request.user), pk=pk)
    return _request_form(request, instance)


def _render_detail(request, obj, message_form, status=200) -> HttpResponse:
    engagement = engagement_of(obj)
    return render(
        request,
        "engagements/consultationrequest_detail.html",
        {
            "object": obj,
            "officer": officer_for(request.user),
            "history": obj.status_changes.select_related("changed_by"),
            "thread": obj.messages.select_related("author"),
            "message_form": message_form,
            "withdraw_form": WithdrawForm(),
            "missing": missing_for_submission(obj) if obj.is_editable else {},
            "engagement": engagement,
            # The council app keeps the papers; read by their relation's name, not imported.
            "papers": engagement.council_papers.shown() if engagement else [],
            "today": timezone.localdate(),
        },
        status=status,
    )


@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    obj = get_object_or_404(
        requests_for_user(request.user).prefetch_related(
            "topics", "departments", "community_languages"
        ),
        pk=pk,
    )
    return _render_detail(request, obj, MessageForm())


def _own_request_for_post(request: HttpRequest, pk: int) -> ConsultationRequest:
    return get_object_or_404(requests_for_user(request.user), pk=pk)


@login_required
@require_POST
def request_submit_view(request: HttpRequest, pk: int) -> HttpResponse:
    obj = _own_request_for_post(request, pk)
    if obj.status == RequestStatus.SUBMITTED:
        return redirect(obj)  # a second click on the same button
    return _submit_and_redirect(request, obj)


@login_required
@require_POST
def request_withdraw_view(request: HttpRequest, pk: int) -> HttpResponse:
    obj = _own_request_for_post(request, pk)
    if officer_for(request.user) is None:
        raise Http404
    if obj.status == RequestStatus.WITHDRAWN:
        return redirect(obj)
    form = WithdrawForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        request_withdraw(consultation_request=obj, by=request.user, reason=reason)
    except RequestError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Die Anfrage ist zurückgezogen."))
    return redirect(obj)


@login_required
@require_POST
def request_message_view(request: HttpRequest, pk: int) -> HttpResponse:
    obj = _own_request_for_post(request, pk)
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            request_post_message(
                consultation_request=obj,
                author=request.user,
                body=form.cleaned_data["body"],
                form_token=form.cleaned_data["form_token"],
            )
        except RequestError as error:
            form.add_error("body", str(error))
        else:
            messages.success(request, _("Ihre Nachricht ist gesendet."))
            return redirect(f"{obj.get_absolute_url()}#nachrichten")
    return _render_detail(request, obj, form, status=400)
