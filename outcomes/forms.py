from django import forms
from django.utils.translation import gettext_lazy as _

from actors.models import FieldOfAction
from engagements.models import Engagement

from .enums import Decision, Effort, Implementation
from .selectors import findings_for, organisations_for


class OptionForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=200)
    description = forms.CharField(
        label=_("Beschreibung"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Was die Kommune tun könnte, mit wem, und was es bewirken soll."),
    )
    department = forms.ModelChoiceField(
        label=_("zuständige Fachabteilung"),
        queryset=None,
        required=False,
        help_text=_("Wer in der Verwaltung sie umsetzen würde, z. B. 231 oder 501."),
    )
    field_of_action = forms.ModelChoiceField(
        label=_("Handlungsfeld"), queryset=FieldOfAction.objects.all(), required=False
    )
    effort = forms.ChoiceField(label=_("Aufwand"), choices=Effort.choices, initial=Effort.MEDIUM)
    organisations = forms.ModelMultipleChoiceField(
        label=_("beteiligte Organisationen"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    findings = forms.ModelMultipleChoiceField(
        label=_("Rechercheergebnisse, auf denen sie aufbaut"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, engagement: Engagement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = engagement.municipality.departments.all()
        self.fields["organisations"].queryset = organisations_for(engagement)
        self.fields["findings"].queryset = findings_for(engagement)


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Ihr Kommentar"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Entscheidung der Kommune"), choices=Decision.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Begründung"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Nötig, wenn die Option nicht weiterverfolgt wird."),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == Decision.NOT_PURSUED and not data.get("reason", "").strip():
            self.add_error(
                "reason", _("Bitte begründen Sie, warum die Option nicht weiterverfolgt wird.")
            )
        return data


class FollowUpForm(forms.Form):
    """One question per option the municipality meant to carry out: how far, and a note."""

    def __init__(self, *args, options, **kwargs):
        super().__init__(*args, **kwargs)
        self.options = options
        for option in options:
            self.fields[f"o{option.pk}"] = forms.ChoiceField(
                label=option.title,
                choices=Implementation.choices,
                widget=forms.RadioSelect,
            )
            self.fields[f"n{option.pk}"] = forms.CharField(
                label=_("Notiz zu „%(title)s“") % {"title": option.title},
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def answers(self) -> dict[int, tuple[str, str]]:
        return {
            option.pk: (self.cleaned_data[f"o{option.pk}"], self.cleaned_data[f"n{option.pk}"])
            for option in self.options
        }
