"""The application form, the reviewer's scores and SKEW's decisions."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actors.models import FieldOfAction
from advisors.models import Language
from core.forms import countries_field
from core.validators import SensibleYear
from engagements.validators import receipt_type

from .enums import ApplicantGender
from .models import Call, Criterion


def validate_cv(upload) -> None:
    """A PDF, by its content, not its name, and not larger than the limit."""
    limit = settings.MIGLOBE_CV_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("Die Datei ist %(size)s groß; erlaubt sind höchstens %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    if receipt_type(upload) != "application/pdf":
        raise ValidationError(
            _("Diese Datei ist kein PDF. Bitte laden Sie Ihren Lebenslauf als PDF hoch."),
            code="wrong_type",
        )


class ApplicationForm(forms.Form):
    """What a call asks; optional questions say why they are asked."""

    name = forms.CharField(label=_("Name"), max_length=150)
    email = forms.EmailField(
        label=_("E-Mail"),
        help_text=_("Wir schicken Ihnen einen Link, mit dem Sie die Adresse bestätigen."),
    )
    home_town = forms.CharField(label=_("Wohnort"), max_length=120)
    countries_of_origin = countries_field(_("Herkunftsländer (Ihre oder die Ihrer Familie)"))
    countries_of_experience = countries_field(_("Länder, in denen Sie Erfahrung haben"))
    languages = forms.ModelMultipleChoiceField(
        label=_("Sprachen"),
        queryset=Language.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    expertise = forms.ModelMultipleChoiceField(
        label=_("Fachgebiete"),
        queryset=FieldOfAction.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    experience = forms.CharField(
        label=_("Erfahrung in der Entwicklungspolitik"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Vereine, Projekte, Netzwerke: was Sie gemacht haben und mit wem."),
    )
    motivation = forms.CharField(
        label=_("Warum möchten Sie Berater*in werden?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    availability = forms.CharField(
        label=_("Verfügbarkeit"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Zum Beispiel: an Wochenenden, etwa zwei Tage im Monat."),
    )
    cv = forms.FileField(
        label=_("Lebenslauf (PDF)"),
        validators=[validate_cv],
        help_text=_("Als PDF, höchstens %(limit)s.")
        % {"limit": filesizeformat(settings.MIGLOBE_CV_MAX_BYTES)},
    )
    gender = forms.ChoiceField(
        label=_("Geschlecht (freiwillig)"),
        choices=ApplicantGender.choices,
        required=False,
        widget=forms.RadioSelect,
        help_text=_(
            "Wir fragen, damit der Pool ausgewogen zusammengesetzt ist. Die Angabe sehen nur "
            "die SKEW und die Gutachter*innen der Ausschreibung."
        ),
    )
    gender_self = forms.CharField(
        label=_("Geschlecht in Ihren Worten"),
        max_length=60,
        required=False,
        help_text=_("Nur wenn Sie oben „selbst beschrieben“ gewählt haben."),
    )
    birth_year = forms.IntegerField(
        label=_("Geburtsjahr (freiwillig)"),
        required=False,
        validators=[SensibleYear(1920, at_least_ago=16)],
        help_text=_(
            "Wir fragen, damit der Pool Menschen verschiedenen Alters vereint. Die Angabe "
            "sehen nur die SKEW und die Gutachter*innen."
        ),
    )
    consent = forms.BooleanField(label=_("Ich willige ein."))
    form_token = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, call: Call, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.call = call
        self.fields["consent"].help_text = call.consent_text
        if editing:
            del self.fields["email"]  # the links go to the confirmed address
            del self.fields["consent"]  # given with the application, recorded with its wording
            self.fields["cv"].required = False
            self.fields["cv"].help_text = _("Nur wenn Sie ihn ersetzen möchten.")

    def clean(self):
        data = super().clean()
        if data.get("gender") == ApplicantGender.SELF and not data.get("gender_self", "").strip():
            self.add_error("gender_self", _("Bitte beschreiben Sie es in Ihren Worten."))
        return data

    def answers_fields(self) -> dict:
        data = self.cleaned_data
        names = [
            "name", "email", "home_town", "countries_of_origin", "countries_of_experience",
            "experience", "motivation", "availability", "gender", "gender_self", "birth_year",
        ]  # fmt: skip
        return {name: data[name] for name in names if name in data}


class ReviewForm(forms.Form):
    """Points from 1 to 5 per criterion of the call, and a comment."""

    comment = forms.CharField(
        label=_("Kommentar"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, criteria: list[Criterion], **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"c{criterion.pk}"] = forms.TypedChoiceField(
                label=criterion.title,
                choices=[(n, str(n)) for n in range(1, 6)],
                coerce=int,
                widget=forms.RadioSelect,
            )

    def scores(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[f"c{c.pk}"] for c in self.criteria}


class InviteForm(forms.Form):
    at = forms.SplitDateTimeField(
        label=_("Termin des Gesprächs"),
        widget=forms.SplitDateTimeWidget(
            date_attrs={"type": "date"}, time_attrs={"type": "time"}, date_format="%Y-%m-%d"
        ),
    )
    place = forms.CharField(label=_("Ort"), max_length=200)

    def clean_at(self):
        at = self.cleaned_data["at"]
        if at <= timezone.now():
            raise ValidationError(_("Das Gespräch muss in der Zukunft liegen."))
        return at


class RejectForm(forms.Form):
    message = forms.CharField(
        label=_("Persönliche Worte (freiwillig)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Stehen in der Absage über dem freundlichen Standardtext."),
    )
