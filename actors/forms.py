from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from engagements.forms import DateInput

from .enums import FindingSource, OrganisationKind, Scope
from .models import FieldOfAction, Organisation


def country_choices() -> list:
    """Every country, named and sorted in the active language.

    A callable, so each form asks when it is shown: `choices=countries` would be
    read once at import, in German, and stay German for English visitors.
    """
    return list(countries)


def countries_field(label) -> forms.MultipleChoiceField:
    """An optional choice of several countries, named in the visitor's language."""
    return forms.MultipleChoiceField(
        label=label,
        choices=country_choices,
        required=False,
        help_text=_("Mehrfachauswahl mit Strg- bzw. Cmd-Taste."),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )


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
        label=_("gefunden am"), widget=DateInput(), initial=timezone.localdate
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
