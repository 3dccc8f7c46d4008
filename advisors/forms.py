"""What advisors keep up to date themselves: availability, languages, expertise."""

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, countries_field

from .models import Advisor


class ProfileForm(forms.ModelForm):
    """The advisor's own profile; SKEW's matching reads it (pools, trainings stay SKEW's)."""

    email_language = forms.ChoiceField(
        label=_("Sprache der E-Mails"), choices=settings.LANGUAGES, required=True
    )
    countries_of_origin = countries_field(_("Herkunftsländer"))

    class Meta:
        model = Advisor
        fields = [
            "availability",
            "available_from",
            "home_municipality",
            "countries_of_origin",
            "languages",
            "expertise",
            "expertise_notes",
            "phone",
        ]
        widgets = {
            "available_from": DateInput(),
            "languages": forms.CheckboxSelectMultiple,
            "expertise": forms.CheckboxSelectMultiple,
            "expertise_notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "available_from": _("Wenn Sie erst später wieder Zeit haben."),
            "home_municipality": _("Für die Entfernung zu den anfragenden Kommunen."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email_language"].initial = self.instance.user.language
        self.fields["home_municipality"].queryset = self.fields[
            "home_municipality"
        ].queryset.order_by("name")

    def clean_available_from(self):
        day = self.cleaned_data.get("available_from")
        if day and day < timezone.localdate():
            raise forms.ValidationError(
                _("Ein Datum in der Vergangenheit sagt nichts Neues; lassen Sie das Feld leer.")
            )
        return day

    def save(self, commit=True):
        advisor = super().save(commit=commit)
        if commit:
            advisor.user.language = self.cleaned_data["email_language"]
            advisor.user.save(update_fields=["language"])
        return advisor
