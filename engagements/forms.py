import uuid

from django import forms
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS
from django.db.models import Sum
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from advisors.enums import FederalState
from advisors.models import Language
from core.forms import DateInput
from core.validators import sensible_date

from .corrections import correction_errors
from .models import (
    ConsultationRequest,
    CostCorrection,
    Department,
    Expense,
    Municipality,
    TimeEntry,
)
from .selectors import engagements_for_advisor
from .services import NewMunicipality, officer_register
from .validators import validate_receipt


class OfficerSignupForm(forms.Form):
    """Extra fields of allauth's sign-up form: who the officer is and for which municipality."""

    name = forms.CharField(label=_("Ihr Name"), max_length=150)
    municipality = forms.ModelChoiceField(
        label=_("Ihre Kommune"),
        queryset=Municipality.objects.confirmed().order_by("name"),
        required=False,
        empty_label=_("– Kommune auswählen –"),
        help_text=_(
            "Fehlt Ihre Kommune in der Liste? Dann nennen Sie sie in den Feldern darunter; "
            "die SKEW prüft sie, bevor sie irgendwo erscheint."
        ),
    )
    other_municipality = forms.CharField(label=_("Andere Kommune"), max_length=120, required=False)
    other_federal_state = forms.ChoiceField(
        label=_("Bundesland der anderen Kommune"),
        choices=[("", "–"), *FederalState.choices],
        required=False,
    )
    role = forms.CharField(
        label=_("Ihre Funktion in der Verwaltung"),
        max_length=200,
        help_text=_("z. B. Integrationsbeauftragte, Koordination kommunale Entwicklungspolitik"),
    )

    field_order = [
        "name",
        "email",
        "municipality",
        "other_municipality",
        "other_federal_state",
        "role",
        "password1",
        "password2",
    ]

    def clean(self):
        data = super().clean()
        if data.get("municipality") is None:
            if not data.get("other_municipality"):
                self.add_error(
                    "municipality",
                    _("Bitte wählen Sie Ihre Kommune aus oder nennen Sie sie darunter."),
                )
            elif not data.get("other_federal_state"):
                self.add_error(
                    "other_federal_state", _("Bitte wählen Sie das Bundesland Ihrer Kommune.")
                )
        return data

    def signup(self, request, user) -> None:
        user.name = self.cleaned_data["name"]
        user.language = (get_language() or "de")[:2]
        user.save(update_fields=["name", "language"])
        officer_register(
            user=user,
            municipality=self.cleaned_data.get("municipality"),
            new_municipality=NewMunicipality(
                name=self.cleaned_data["other_municipality"],
                federal_state=self.cleaned_data["other_federal_state"],
            ),
            role=self.cleaned_data["role"],
        )


class ConsultationRequestForm(forms.ModelForm):
    """The officer's request. Drafts may be incomplete; submitting checks completeness."""

    form_token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = ConsultationRequest
        fields = [
            "goals",
            "need",
            "topics",
            "departments",
            "has_integration_centre",
            "has_integration_commissioner",
            "has_integration_council",
            "community_languages",
            "contact_name",
            "contact_email",
            "contact_phone",
            "preferred_start",
            "preferred_end",
            "costs_confirmed",
        ]
        labels = {
            "goals": _("Was möchte Ihre Kommune erreichen?"),
            "need": _("Wobei brauchen Sie Beratung?"),
            "topics": _("Themen, die Sie interessieren"),
            "departments": _("Beteiligte Fachabteilungen"),
            "community_languages": _("Sprachen der Communities vor Ort"),
            "costs_confirmed": _(
                "Wir beantragen die Erstattung der Kosten des Einsatzes bei der SKEW "
                "(100 % der Kosten; für die Kommune kostenlos)."
            ),
        }
        help_texts = {
            "goals": _("In Ihren eigenen Worten: Ausgangslage und Ziel."),
            "need": _("z. B. Recherche migrantischer Akteure, Vernetzung, Beteiligung."),
            "community_languages": _("Mehrfachauswahl mit Strg- bzw. Cmd-Taste."),
        }
        widgets = {
            "goals": forms.Textarea(attrs={"rows": 5}),
            "need": forms.Textarea(attrs={"rows": 5}),
            "topics": forms.CheckboxSelectMultiple,
            "departments": forms.CheckboxSelectMultiple,
            "community_languages": forms.SelectMultiple(attrs={"size": 8}),
            "preferred_start": DateInput(),
            "preferred_end": DateInput(),
        }

    def __init__(self, *args, municipality: Municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departments"].queryset = Department.objects.filter(
            municipality=municipality
        ).order_by("number")
        self.fields["community_languages"].queryset = Language.objects.order_by("name_de")
        if not self.is_bound and not self.instance.pk:
            self.initial.setdefault("form_token", uuid.uuid4())

    def clean(self):
        data = super().clean()
        start, end = data.get("preferred_start"), data.get("preferred_end")
        if start and end and end < start:
            self.add_error(
                "preferred_end", _("Das gewünschte Ende liegt vor dem gewünschten Beginn.")
            )
        return data


class NewDepartmentForm(forms.Form):
    number = forms.CharField(label=_("Nummer"), max_length=20, required=False)
    name = forms.CharField(label=_("Bezeichnung"), max_length=200, required=False)

    def clean(self):
        data = super().clean()
        if data.get("name") and not data.get("number"):
            self.add_error("number", _("Bitte geben Sie auch die Nummer der Abteilung an."))
        return data


NewDepartmentFormSet = forms.formset_factory(NewDepartmentForm, extra=2, max_num=10)


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Ihre Nachricht"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )
    form_token = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Grund"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )


class EntryFormMixin:
    """Checks that time entries and expenses share: the engagement is the advisor's own
    and the date lies within it and not in the future."""

    def __init__(self, *args, advisor, **kwargs):
        super().__init__(*args, **kwargs)
        self.advisor = advisor
        self.fields["engagement"].queryset = engagements_for_advisor(advisor).order_by("-starts_on")
        self.fields["engagement"].empty_label = None

    def clean(self):
        data = super().clean()
        engagement, day = data.get("engagement"), data.get("date")
        if engagement and day:
            if day < engagement.starts_on or (engagement.ends_on and day > engagement.ends_on):
                self.add_error(
                    "date",
                    _("Das Datum liegt außerhalb des Einsatzes (%(start)s bis %(end)s).")
                    % {
                        "start": date_format(engagement.starts_on, "SHORT_DATE_FORMAT"),
                        "end": date_format(engagement.ends_on, "SHORT_DATE_FORMAT")
                        if engagement.ends_on
                        else "…",
                    },
                )
            elif day > timezone.localdate():
                self.add_error("date", _("Das Datum liegt in der Zukunft."))
        return data


class TimeEntryForm(EntryFormMixin, forms.ModelForm):
    class Meta:
        model = TimeEntry
        fields = ["engagement", "date", "hours", "activity", "description"]
        widgets = {
            "date": DateInput(),
            "hours": forms.NumberInput(attrs={"step": "0.25", "min": "0.25", "max": "24"}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"hours": _("In Stunden, z. B. 1,5 für anderthalb Stunden.")}

    def clean_hours(self):
        hours = self.cleaned_data["hours"]
        if hours is not None and hours <= 0:
            raise forms.ValidationError(_("Bitte geben Sie mehr als 0 Stunden an."))
        if hours is not None and hours > 24:
            raise forms.ValidationError(_("Ein Tag hat höchstens 24 Stunden."))
        return hours

    def clean(self):
        data = super().clean()
        day, hours = data.get("date"), data.get("hours")
        if day and hours and "date" not in self.errors:
            others = (
                TimeEntry.objects.filter(advisor=self.advisor, date=day)
                .exclude(pk=self.instance.pk)
                .aggregate(total=Sum("hours"))["total"]
                or 0
            )
            if others + hours > 24:
                self.add_error(
                    "hours",
                    _(
                        "Zusammen mit Ihren anderen Einträgen am selben Tag (%(others)s h) "
                        "wären es mehr als 24 Stunden."
                    )
                    % {"others": number_format(others)},
                )
        return data


class ExpenseForm(EntryFormMixin, forms.ModelForm):
    class Meta:
        model = Expense
        fields = ["engagement", "date", "category", "amount", "description", "receipt"]
        widgets = {
            "date": DateInput(),
            "amount": forms.NumberInput(attrs={"step": "0.01", "min": "0.01"}),
            "description": forms.Textarea(attrs={"rows": 3}),
            "receipt": forms.ClearableFileInput(
                attrs={"accept": "application/pdf,image/jpeg,image/png"}
            ),
        }
        labels = {"amount": _("Betrag in Euro")}
        help_texts = {"receipt": _("PDF, JPEG oder PNG, höchstens 10 MB.")}

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        cap = settings.MIGLOBE_EXPENSE_CAP
        if amount is not None and amount <= 0:
            raise forms.ValidationError(_("Der Betrag muss größer als 0 € sein."))
        if amount is not None and amount > cap:
            raise forms.ValidationError(
                _("Beträge über %(cap)s € bitte vorher mit der SKEW absprechen.")
                % {"cap": number_format(cap)}
            )
        return amount

    def clean_receipt(self):
        receipt = self.cleaned_data.get("receipt")
        if receipt and hasattr(receipt, "content_type"):  # a new upload
            validate_receipt(receipt)
        return receipt


class MilestoneDoneForm(forms.Form):
    done_on = forms.DateField(
        label=_("erledigt am"), widget=DateInput(), validators=[sensible_date]
    )
    note = forms.CharField(
        label=_("Notiz"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )

    def clean_done_on(self):
        day = self.cleaned_data["done_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("Das Datum liegt in der Zukunft."))
        return day


class MilestoneMoveForm(forms.Form):
    """A new date for one open milestone, and why (the advisor's page)."""

    due_on = forms.DateField(
        label=_("neuer Termin"), widget=DateInput(), validators=[sensible_date]
    )
    reason = forms.CharField(
        label=_("Grund"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Bitte geben Sie einen Grund an.")},
    )


class CostCorrectionForm(forms.ModelForm):
    """SKEW's correction of reimbursed costs (the admin's form).

    Besides the fields, a claim must stay within what was paid: corrections.py
    checks that, with the engagement's row locked while the admin saves.
    """

    class Meta:
        model = CostCorrection
        fields = [
            "engagement",
            "date",
            "category",
            "amount",
            "reason",
            "corrects_time_entry",
            "corrects_expense",
        ]

    def _post_clean(self) -> None:
        super()._post_clean()  # the instance now holds what was typed
        if any(field in self._errors for field in self.fields):
            return
        errors = correction_errors(self.instance)
        if errors:
            # Next to its field and in words, where a database rule (amount not 0, one
            # entry at most) would only be named.
            self._errors.pop(NON_FIELD_ERRORS, None)
        for field, message in errors.items():
            self.add_error(field if field in self.fields else None, message)
