from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from actors.selectors import organisations_published

from .enums import ParticipantCategory, SessionKind
from .selectors import session_places_left

HONEYPOT = "fax"  # a field people never see and bots like to fill


class WorkshopChoiceField(forms.ModelMultipleChoiceField):
    def __init__(self, *args, places_left: dict, **kwargs):
        self.places_left = places_left
        super().__init__(*args, **kwargs)

    def label_from_instance(self, session):
        left = self.places_left.get(session.pk)
        if left is None:
            return session.title
        if left == 0:
            return _("%(title)s (ausgebucht)") % {"title": session.title}
        places = ngettext("noch %(n)d Platz", "noch %(n)d Plätze", left) % {"n": left}
        return f"{session.title} ({places})"


class RegistrationForm(forms.Form):
    name = forms.CharField(
        label=_("Vor- und Nachname"),
        max_length=150,
        error_messages={"required": _("Bitte geben Sie Ihren Namen an.")},
    )
    email = forms.EmailField(
        label=_("E-Mail-Adresse"),
        max_length=254,
        help_text=_("Wir senden Ihnen einen Link, mit dem Sie die Anmeldung bestätigen."),
        error_messages={
            "required": _("Bitte geben Sie Ihre E-Mail-Adresse an."),
            "invalid": _("Bitte geben Sie eine gültige E-Mail-Adresse an, z. B. name@example.org."),
        },
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation aus dem Verzeichnis"),
        queryset=None,
        required=False,
        empty_label=_("– nicht in der Liste –"),
    )
    organisation_name = forms.CharField(
        label=_("oder Name Ihrer Organisation"),
        max_length=250,
        required=False,
        help_text=_("Falls Ihre Organisation nicht in der Liste steht."),
    )
    category = forms.ChoiceField(
        label=_("Sie kommen als"),
        choices=ParticipantCategory.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Bitte wählen Sie aus, als was Sie teilnehmen.")},
    )
    needs = forms.CharField(
        label=_("Unterstützung für Barrierefreiheit oder Sprache"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Zum Beispiel Gebärdensprache, Verdolmetschung oder ein stufenloser Zugang."),
    )
    listed = forms.BooleanField(
        label=_(
            "Mein Name und meine Organisation dürfen auf der Teilnehmendenliste stehen, "
            "die an alle Teilnehmenden verteilt wird."
        ),
        required=False,
    )
    # The honeypot: people never see it (the template hides it), bots fill it in.
    fax = forms.CharField(
        label=_("Bitte leer lassen"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        self.fields["organisation"].queryset = (
            organisations_published().filter(municipality=event.municipality).order_by("name")
        )
        workshops = event.sessions.filter(kind=SessionKind.WORKSHOP)
        if workshops.exists():
            self.fields["sessions"] = WorkshopChoiceField(
                label=_("Workshops"),
                queryset=workshops,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                places_left=session_places_left(event),
                help_text=_("Wählen Sie die Workshops, an denen Sie teilnehmen möchten."),
            )
            self.order_fields(["name", "email", "organisation", "organisation_name", "category"])

    def clean_sessions(self):
        sessions = self.cleaned_data["sessions"]
        places_left = self.fields["sessions"].places_left
        full = [s.title for s in sessions if places_left.get(s.pk) == 0]
        if full:
            raise forms.ValidationError(
                _("Ausgebucht: %(titles)s. Bitte wählen Sie einen anderen Workshop.")
                % {"titles": ", ".join(full)}
            )
        overlapping = [
            (a, b)
            for i, a in enumerate(sessions)
            for b in list(sessions)[i + 1 :]
            if a.starts_at < b.ends_at and b.starts_at < a.ends_at
        ]
        if overlapping:
            a, b = overlapping[0]
            raise forms.ValidationError(
                _("„%(a)s“ und „%(b)s“ finden gleichzeitig statt. Bitte wählen Sie einen davon.")
                % {"a": a.title, "b": b.title}
            )
        return sessions

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("organisation") and cleaned.get("organisation_name"):
            self.add_error(
                "organisation_name",
                _("Bitte wählen Sie Ihre Organisation aus der Liste oder tragen Sie sie hier ein."),
            )
        return cleaned
