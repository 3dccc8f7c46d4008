"""Public pages: suggest an entry for the directory, and withdraw a publication consent.

No login. Bots are kept out without a third-party captcha: a honeypot field,
a signed timestamp (a form sent within seconds or after hours is not a
person's), and a rate limit per client address.
"""

import time
import uuid

from django import forms
from django.conf import settings
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods
from django_ratelimit.decorators import ratelimit

from engagements.models import Municipality

from .forms import OrganisationProfileForm
from .models import ConsentWording, Organisation
from .selectors import organisations_published
from .suggestion_services import (
    consent_from_token,
    consent_withdraw,
    current_wording,
    suggestion_submit,
)

STAMP_SALT = "actors.suggestion-form"
STAMP_MIN_SECONDS = 3
STAMP_MAX_SECONDS = 6 * 60 * 60
HONEYPOT = "homepage"


# --- The signed form stamp --------------------------------------------------------------


class StampRefused(Exception):
    """Missing, forged or sent too fast: not a person filling in the form."""


class StampExpired(Exception):
    """Older than a form stays open: a person who left it open, asked to send again."""

    def __init__(self, data: dict):
        super().__init__("expired")
        self.data = data


def form_stamp(*, wording_id: int, token: str | None = None, issued_at: float | None = None) -> str:
    """Sign when the form was handed out, its one-time token and the wording shown."""
    return signing.dumps(
        {
            "t": int(time.time() if issued_at is None else issued_at),
            "k": token or str(uuid.uuid4()),
            "w": wording_id,
        },
        salt=STAMP_SALT,
    )


def read_stamp(value: str) -> dict:
    try:
        data = signing.loads(value or "", salt=STAMP_SALT)
        age = time.time() - int(data["t"])
        uuid.UUID(data["k"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
        raise StampRefused from error
    if age < STAMP_MIN_SECONDS:
        raise StampRefused
    if age > STAMP_MAX_SECONDS:
        raise StampExpired(data)
    return data


# --- The form ---------------------------------------------------------------------------


class SuggestionForm(OrganisationProfileForm):
    name = forms.CharField(
        label=_("Name der Organisation"),
        max_length=250,
        error_messages={"required": _("Bitte nennen Sie den Namen der Organisation.")},
    )
    municipality = forms.ModelChoiceField(
        label=_("Kommune"),
        queryset=Municipality.objects.order_by("name"),
        empty_label=_("– bitte wählen –"),
        error_messages={
            "required": _("Bitte wählen Sie die Kommune, in der die Organisation aktiv ist."),
            "invalid_choice": _("Bitte wählen Sie eine Kommune aus der Liste."),
        },
    )
    submitter_name = forms.CharField(
        label=_("Ihr Name"),
        max_length=150,
        error_messages={"required": _("Bitte nennen Sie Ihren Namen.")},
    )
    submitter_email = forms.EmailField(
        label=_("Ihre E-Mail-Adresse"),
        help_text=_("Nur für Rückfragen der SKEW; wird nicht veröffentlicht."),
        error_messages={
            "required": _("Bitte geben Sie Ihre E-Mail-Adresse an, damit wir Sie erreichen."),
            "invalid": _("Bitte geben Sie eine gültige E-Mail-Adresse an."),
        },
    )
    submitter_role = forms.CharField(
        label=_("Ihre Funktion in der Organisation"), max_length=150, required=False
    )
    message = forms.CharField(
        label=_("Nachricht an die SKEW"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    consent = forms.BooleanField(
        label=_(
            "Ich bin berechtigt, für die Organisation zu sprechen, und willige in diese "
            "Veröffentlichung ein."
        ),
        error_messages={
            "required": _(
                "Ohne Ihre Einwilligung können wir den Eintrag nicht veröffentlichen. "
                "Bitte bestätigen Sie sie."
            )
        },
    )
    stamp = forms.CharField(widget=forms.HiddenInput)
    # The honeypot: people never see it (the template hides it), bots fill it in.
    homepage = forms.CharField(
        label=_("Bitte leer lassen"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    SUGGESTION_FIELDS = [
        "name",
        "kind",
        "municipality",
        "website",
        "description",
        "scope",
        "countries_of_origin",
        "countries_of_activity",
        "submitter_name",
        "submitter_email",
        "submitter_role",
        "message",
    ]

    @classmethod
    def initial_for(cls, organisation: Organisation | None) -> dict:
        if organisation is None:
            return {}
        return {
            "name": organisation.name,
            "kind": organisation.kind,
            "municipality": organisation.municipality_id,
            "website": organisation.website,
            "description": organisation.description,
            "scope": organisation.scope,
            "fields_of_action": [f.pk for f in organisation.fields_of_action.all()],
            "countries_of_origin": [c.code for c in organisation.countries_of_origin],
            "countries_of_activity": [c.code for c in organisation.countries_of_activity],
        }

    def suggestion_data(self) -> dict:
        return {field: self.cleaned_data[field] for field in self.SUGGESTION_FIELDS}


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
