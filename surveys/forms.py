"""The answer form (the fixed core and the survey's own questions), and the staff forms."""

from __future__ import annotations

from django import forms
from django.forms import inlineformset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actors.models import FieldOfAction
from core.forms import DateInput, countries_field
from events.models import Event

from .enums import Publish, QuestionKind
from .models import Question, Response, Survey


class AnswerForm(forms.ModelForm):
    """What an organisation answers; nothing here is required until it is sent."""

    countries_of_origin = countries_field(_("Herkunftsländer der Mitglieder"))
    countries_of_activity = countries_field(_("Länder, in denen Sie aktiv sind"))
    publish_what = forms.MultipleChoiceField(
        label=_("Was veröffentlicht werden darf (außer Name, Ort und Wirkungsradius)"),
        choices=Publish.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Response
        fields = [
            "name", "kind", "town", "website", "scope", "fields_of_action",
            "countries_of_origin", "countries_of_activity", "activities", "members",
            "networking", "publish", "publish_what", "respondent_name", "respondent_email",
        ]  # fmt: skip
        widgets = {
            "fields_of_action": forms.CheckboxSelectMultiple,
            "activities": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "activities": _("Was Sie tun: Projekte, Bildungsarbeit, Partnerschaften, Feste."),
            "networking": _("Die Kommune lädt Sie dann zu einem Vernetzungstreffen ein."),
            "publish": _(
                "Nur dann nehmen wir Ihre Organisation in das öffentliche Verzeichnis auf; die "
                "SKEW prüft den Eintrag vorher. Sie können die Einwilligung jederzeit widerrufen."
            ),
            "respondent_email": _("Für Rückfragen; sie wird nicht veröffentlicht."),
        }

    def __init__(self, *args, questions: list[Question], consent_text: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        self.fields["fields_of_action"].queryset = FieldOfAction.objects.order_by(
            "position", "name_de"
        )
        self.fields["publish"].label = _("Ja, wir willigen in die Veröffentlichung ein.")
        self.fields["publish"].help_text = f"{consent_text} {self.fields['publish'].help_text}"
        for field in self.fields.values():
            field.required = False
        answers = self.instance.answers or {}
        for question in questions:
            name = f"q{question.pk}"
            initial = answers.get(str(question.pk))
            if question.kind == QuestionKind.TEXT:
                self.fields[name] = forms.CharField(
                    label=question.text, required=False, max_length=4000,
                    widget=forms.Textarea(attrs={"rows": 3}), initial=initial,
                )  # fmt: skip
            elif question.kind == QuestionKind.SCALE:
                self.fields[name] = forms.ChoiceField(
                    label=question.text, required=False, widget=forms.RadioSelect,
                    choices=[(str(n), str(n)) for n in range(1, 6)], initial=initial,
                    help_text=_("1 = gar nicht, 5 = sehr"),
                )  # fmt: skip
            else:
                choices = [(c, c) for c in question.choice_list()]
                if question.kind == QuestionKind.MULTIPLE:
                    self.fields[name] = forms.MultipleChoiceField(
                        label=question.text, required=False, choices=choices,
                        widget=forms.CheckboxSelectMultiple, initial=initial,
                    )  # fmt: skip
                else:
                    self.fields[name] = forms.ChoiceField(
                        label=question.text, required=False, choices=choices,
                        widget=forms.RadioSelect, initial=initial,
                    )  # fmt: skip
            if question.required:
                self.fields[name].label = f"{question.text} *"

    def core(self) -> dict:
        data = self.cleaned_data
        names = [n for n in self.Meta.fields if n != "fields_of_action"]
        return {name: data[name] for name in names if name in data}

    def answers(self) -> dict:
        return {str(q.pk): self.cleaned_data.get(f"q{q.pk}") for q in self.questions}

    def question_fields(self):
        return [self[f"q{q.pk}"] for q in self.questions]


class SurveyForm(forms.ModelForm):
    class Meta:
        model = Survey
        fields = ["title", "introduction", "opens_on", "closes_on", "minutes"]
        widgets = {
            "opens_on": DateInput(),
            "closes_on": DateInput(),
            "introduction": forms.Textarea(attrs={"rows": 4}),
        }

    def clean(self):
        data = super().clean()
        opens, closes = data.get("opens_on"), data.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", _("Das Ende liegt vor dem Beginn."))
        if closes and closes < timezone.localdate():
            self.add_error("closes_on", _("Das Ende liegt in der Vergangenheit."))
        return data


QuestionFormSet = inlineformset_factory(
    Survey,
    Question,
    fields=["text", "kind", "choices", "required"],
    extra=3,
    can_delete=False,
    widgets={"choices": forms.Textarea(attrs={"rows": 3})},
)


class MeetingForm(forms.Form):
    event = forms.ModelChoiceField(label=_("Veranstaltung"), queryset=Event.objects.none())
    only_interested = forms.BooleanField(
        label=_("nur die, die Interesse an Vernetzung angegeben haben"), required=False
    )

    def __init__(self, *args, survey: Survey, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = Event.objects.filter(
            municipality=survey.municipality, starts_at__gt=timezone.now()
        ).order_by("starts_at")
