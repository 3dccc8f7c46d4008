"""Public pages: suggest an entry for the directory, and withdraw a publication consent.

No login. Bots are kept out without a third-party captcha: a honeypot field,
a signed timestamp (a form sent within seconds or after hours is not a
person's), and a rate limit per client address.
"""

import uuid

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods
from django_ratelimit.decorators import ratelimit

from actors.forms import (
    HONEYPOT,
    StampExpired,
    StampRefused,
    SuggestionForm,
    form_stamp,
    read_stamp,
)
from actors.models import ConsentWording
from actors.selectors import organisations_published
from actors.services import (
    consent_from_token,
    consent_withdraw,
    current_wording,
    suggestion_submit,
)

# --- Views ------------------------------------------------------------------------------


def suggestion_rate(group, request) -> str:
    return getattr(settings, "MIGLOBE_SUGGESTION_RATE", "5/h")


def _wording_text(wording: ConsentWording) -> str:
    if (get_language() or "de").startswith("en") and wording.text_en:
        return wording.text_en
    return wording.text_de


def _refuse(request: HttpRequest) -> HttpResponse:
    return render(request, "actors/suggest_refused.html", status=400)


@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate=suggestion_rate, method="POST", block=False)
def suggest(request: HttpRequest) -> HttpResponse:
    if getattr(request, "limited", False):
        return render(request, "actors/suggest_limited.html", status=429)
    organisation = None
    if request.GET.get("organisation"):
        organisation = get_object_or_404(
            organisations_published().prefetch_related("fields_of_action"),
            slug=request.GET["organisation"],
        )
    wording = current_wording()

    if request.method == "POST":
        if request.POST.get(HONEYPOT):
            return _refuse(request)
        expired = False
        try:
            stamp = read_stamp(request.POST.get("stamp", ""))
        except StampRefused:
            return _refuse(request)
        except StampExpired as error:
            stamp, expired = error.data, True
        # Store the wording the person read, even if a newer one took effect since.
        if not expired:
            wording = ConsentWording.objects.filter(pk=stamp["w"]).first() or wording
        if wording is None:
            return render(request, "actors/suggest_form.html", {"wording": None})
        data = request.POST.copy()
        if expired:
            data["stamp"] = form_stamp(wording_id=wording.pk, token=stamp["k"])
        form = SuggestionForm(data)
        if expired:
            form.is_valid()
            form.add_error(
                None,
                _(
                    "Das Formular war zu lange geöffnet. Ihre Angaben sind erhalten; "
                    "bitte prüfen Sie sie und senden Sie das Formular erneut ab."
                ),
            )
        elif form.is_valid():
            suggestion_submit(
                data=form.suggestion_data(),
                wording=wording,
                organisation=organisation,
                fields_of_action=form.cleaned_data["fields_of_action"],
                form_token=uuid.UUID(stamp["k"]),
                language=get_language() or "de",
            )
            return redirect("actors:suggestion_done")
    else:
        if wording is None:
            return render(request, "actors/suggest_form.html", {"wording": None})
        form = SuggestionForm(
            initial={
                **SuggestionForm.initial_for(organisation),
                "stamp": form_stamp(wording_id=wording.pk),
            }
        )
    return render(
        request,
        "actors/suggest_form.html",
        {
            "form": form,
            "organisation": organisation,
            "wording": wording,
            "wording_text": _wording_text(wording),
        },
    )


def suggestion_done(request: HttpRequest) -> HttpResponse:
    return render(request, "actors/suggest_done.html")


@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, token: str) -> HttpResponse:
    consent = consent_from_token(token)
    if consent is None:
        raise Http404
    if request.method == "POST":
        consent = consent_withdraw(consent=consent)
        return render(request, "actors/consent_withdrawn.html", {"consent": consent})
    return render(request, "actors/consent_withdraw.html", {"consent": consent})
