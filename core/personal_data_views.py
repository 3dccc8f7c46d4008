"""The pages for a person's data: SKEW's (in the admin, for data protection) and the
person's own at /accounts/data/. What they do is in core.personal_data."""

from __future__ import annotations

import tempfile
from typing import cast

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import personal_data
from .models import ErasureLog, ErasureRequest, ErasureRequestStatus, User
from .permissions import Capability, may, require_recent_login


class ConfirmErasureForm(forms.Form):
    confirm = forms.BooleanField(
        label=gettext_lazy("Ich habe geprüft, was gelöscht wird und was bleibt."),
        error_messages={
            "required": gettext_lazy("Bitte bestätigen Sie, dass Sie die Übersicht geprüft haben.")
        },
    )


class DeleteAccountForm(forms.Form):
    confirm = forms.BooleanField(
        label=gettext_lazy("Ja, ich möchte mein Konto und meine Daten löschen lassen."),
        error_messages={"required": gettext_lazy("Bitte bestätigen Sie, dass Sie das möchten.")},
    )


def _zip_response(person: personal_data.Person) -> FileResponse:
    # Spooled: a few megabytes stay in memory, a person with many receipts goes to disk.
    stream = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 (FileResponse closes it)
    personal_data.export_zip(person, stream)
    stream.seek(0)
    name = f"miglobe-daten-{timezone.localdate():%Y-%m-%d}.zip"
    return FileResponse(stream, as_attachment=True, filename=name, content_type="application/zip")


# --- SKEW, in the admin --------------------------------------------------------------------


def _require_data_protection(request: HttpRequest) -> None:
    if not may(request.user, Capability.DATA_PROTECTION):
        raise Http404


def personal_data_search(request: HttpRequest) -> HttpResponse:
    """Find a person by address or name across the portal.

    Every form of these pages is sent by POST: names and addresses stay out of
    addresses, so out of server logs, browser histories and Referer headers.
    """
    _require_data_protection(request)
    query = request.POST.get("q", "").strip() if request.method == "POST" else ""
    people = personal_data.find_people(query) if query else []
    return TemplateResponse(
        request,
        "admin/personal_data/search.html",
        {
            **admin.site.each_context(request),
            "title": _("Daten einer Person"),
            "query": query,
            "too_short": 0 < len(query) < 3,
            "people": people,
        },
    )


def _person_of(params: QueryDict) -> tuple[personal_data.Person, ErasureRequest | None]:
    if number := params.get("request"):
        if not str(number).isdecimal() or not str(number).isascii():
            raise Http404
        erasure_request = get_object_or_404(
            ErasureRequest.objects.select_related("user"),
            pk=number,
            status=ErasureRequestStatus.OPEN,
        )
        return personal_data.person_by_email(erasure_request.user.email), erasure_request
    if email := params.get("email", "").strip():
        return personal_data.person_by_email(email), None
    if name := params.get("name", "").strip():
        return personal_data.person_by_name(name), None
    raise Http404


def personal_data_person(request: HttpRequest) -> HttpResponseBase:
    """What the portal holds about one person: export it, or erase it after a preview.

    Shown by POST (from the search) or by GET for a person's request (its number only).
    """
    _require_data_protection(request)
    staff = cast(User, request.user)  # admin_view and the capability: a staff member
    if request.method != "POST" and "request" not in request.GET:
        return redirect("personal_data_search")
    params = request.POST if request.method == "POST" else request.GET
    person, erasure_request = _person_of(params)
    form = ConfirmErasureForm()
    action = params.get("action", "show")
    if request.method == "POST" and action == "export":
        require_recent_login(request)
        return _zip_response(person)
    if request.method == "POST" and action == "erase":
        require_recent_login(request)
        form = ConfirmErasureForm(request.POST)
        if form.is_valid():
            # A request the person made is answered this way too: they are told what stays.
            erasure_request = erasure_request or (
                ErasureRequest.objects.filter(user=person.user, status=ErasureRequestStatus.OPEN)
                .select_related("user")
                .first()
            )
            try:
                if erasure_request is not None:
                    log = personal_data.erasure_request_carry_out(request=erasure_request, by=staff)
                else:
                    log = personal_data.erase(person, by=staff)
            except personal_data.ErasureRefused as refused:
                messages.error(request, str(refused))
            else:
                messages.success(
                    request,
                    _("Die Daten sind gelöscht. Das Protokoll nennt die Person nicht."),
                )
                return redirect("admin:core_erasurelog_change", log.pk)
    return TemplateResponse(
        request,
        "admin/personal_data/person.html",
        {
            **admin.site.each_context(request),
            "title": _("Daten einer Person"),
            "person": person,
            "preview": personal_data.preview(person),
            "erasure_request": erasure_request,
            "form": form,
            "search_url": reverse("personal_data_search"),
        },
        status=400 if form.errors else 200,
    )


# --- The person, at /accounts/data/ ------------------------------------------------------


@login_required
def account_data(request: HttpRequest) -> HttpResponseBase:
    """Download one's own data; ask for the account and the data to be deleted."""
    user = cast(User, request.user)  # login_required
    waiting = ErasureRequest.objects.filter(user=user, status=ErasureRequestStatus.OPEN).first()
    form = DeleteAccountForm()
    if request.method == "POST":
        require_recent_login(request)
        action = request.POST.get("action")
        if action == "export":
            return _zip_response(personal_data.person_by_email(user.email, by_name=False))
        if action == "withdraw" and waiting is not None:
            personal_data.erasure_request_withdraw(request=waiting)
            messages.success(request, _("Ihr Löschantrag ist zurückgezogen."))
            return redirect("account_data")
        if action == "delete":
            form = DeleteAccountForm(request.POST)
            if form.is_valid():
                done = personal_data.erasure_request(user=user)
                if isinstance(done, ErasureLog):
                    logout(request)
                    messages.success(request, _("Ihr Konto und Ihre Daten sind gelöscht."))
                    return redirect("home")
                messages.success(
                    request,
                    _(
                        "Ihr Antrag ist bei der SKEW. Sie erhalten eine E-Mail, sobald die "
                        "Löschung bestätigt ist."
                    ),
                )
                return redirect("account_data")
    # By address and account only: anyone may sign up under anyone's name.
    preview = personal_data.preview(personal_data.person_by_email(user.email, by_name=False))
    return TemplateResponse(
        request,
        "personal_data/account_data.html",
        {
            "preview": preview,
            "form": form,
            "waiting": waiting,
            "immediate": preview.erased_at_once(user),
        },
        status=400 if form.errors else 200,
    )
