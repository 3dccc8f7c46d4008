import time
import uuid

from django import forms
from django.conf import settings
from django.core import signing
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, countries_field
from core.validators import sensible_date
from engagements.models import Municipality

from .enums import FindingSource, OrganisationKind, Scope
from .models import FieldOfAction, Organisation
from .selectors import municipalities_with_published_organisations


class OrganisationProfileForm(forms.Form):
    """What an organisation is and does: shared by research findings and public suggestions."""

    kind = forms.ChoiceField(
        label=_("Art der Organisation"),
        choices=OrganisationKind.choices,
        initial=OrganisationKind.MIGRANT_ORGANISATION,
    )
    scope = forms.ChoiceField(label=_("Wirkungsradius"), choices=Scope.choices, initial=Scope.LOCAL)
    fields_of_action = forms.ModelMultipleChoiceField(
        label=_("Handlungsfelder"),
        queryset=FieldOfAction.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    countries_of_origin = countries_field(_("Herkunftsländer"))
    countries_of_activity = countries_field(_("Tätigkeitsländer"))
    website = forms.URLField(
        label=_("Website"),
        required=False,
        assume_scheme="https",
        error_messages={"invalid": _("Bitte geben Sie eine vollständige Adresse an.")},
    )
    description = forms.CharField(
        label=_("Was macht die Organisation?"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class FindingForm(OrganisationProfileForm):
    """An organisation found during research: an existing one, or a new one."""

    organisation = forms.ModelChoiceField(
        label=_("Vorhandene Organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.RadioSelect,
    )
    create_new = forms.BooleanField(
        label=_("Keine davon: eine neue Organisation anlegen"), required=False
    )
    name = forms.CharField(label=_("Name der Organisation"), max_length=250, required=False)
    contact_name = forms.CharField(label=_("Kontaktperson"), max_length=150, required=False)
    contact_role = forms.CharField(label=_("Funktion"), max_length=150, required=False)
    contact_email = forms.EmailField(label=_("E-Mail der Kontaktperson"), required=False)
    contact_phone = forms.CharField(
        label=_("Telefon der Kontaktperson"), max_length=40, required=False
    )
    source = forms.ChoiceField(label=_("Quelle"), choices=FindingSource.choices)
    found_on = forms.DateField(
        validators=[sensible_date],
        label=_("gefunden am"),
        widget=DateInput(),
        initial=timezone.localdate,
    )
    notes = forms.CharField(
        label=_("Notizen (nur für SKEW und die Berater*innen)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, engagement, duplicates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.engagement = engagement
        today = timezone.localdate()
        # A finished engagement's findings default to its last day, not today.
        self.fields["found_on"].initial = min(today, engagement.ends_on or today)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            municipality=engagement.municipality
        )
        # Only the likely duplicates are offered as choices; any of the town's may be posted.
        self.fields["organisation"].choices = [(o.pk, o.name) for o in duplicates]

    def clean_found_on(self):
        day = self.cleaned_data["found_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("Das Datum liegt in der Zukunft."))
        ends_on = self.engagement.ends_on
        if day < self.engagement.starts_on or (ends_on and day > ends_on):
            raise forms.ValidationError(
                _("Das Datum liegt außerhalb des Einsatzes (%(start)s bis %(end)s).")
                % {
                    "start": date_format(self.engagement.starts_on, "SHORT_DATE_FORMAT"),
                    "end": date_format(ends_on, "SHORT_DATE_FORMAT") if ends_on else "…",
                }
            )
        return day

    def clean(self):
        data = super().clean()
        if not data.get("organisation") and not (data.get("name") or "").strip():
            self.add_error("name", _("Bitte nennen Sie die Organisation."))
        return data

    def new_organisation(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data["name"].strip(),
            "kind": data["kind"],
            "scope": data["scope"],
            "countries_of_origin": data["countries_of_origin"],
            "countries_of_activity": data["countries_of_activity"],
            "website": data["website"],
            "description": data["description"],
        }

    def contact(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data["contact_name"],
            "role": data["contact_role"],
            "email": data["contact_email"],
            "phone": data["contact_phone"],
        }


class StatisticsForm(forms.Form):
    municipality = forms.ModelChoiceField(
        label=_("Kommune"),
        queryset=Municipality.objects.none(),
        required=False,
        empty_label=_("Alle Kommunen"),
        error_messages={
            "invalid_choice": _(
                "Für diese Kommune gibt es keine veröffentlichten Organisationen. "
                "Angezeigt werden alle Kommunen."
            ),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities_with_published_organisations()


# --- The public suggestion form and its signed stamp ----------------------------------------
# No login. Bots are kept out without a third-party captcha: a honeypot field, a signed
# timestamp (a form sent within MIGLOBE_FORM_MIN_SECONDS or after hours is not a
# person's), and a rate limit per client address (in the view).

STAMP_SALT = "actors.suggestion-form"
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
    if age < settings.MIGLOBE_FORM_MIN_SECONDS:
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
        queryset=Municipality.objects.confirmed().order_by("name"),
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
