"""Form pieces every app uses: the date input and the choice of countries."""

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class DateInput(forms.DateInput):
    """The browser's date picker; the value travels as ISO 8601 whatever the language."""

    input_type = "date"

    def __init__(self, **kwargs: dict[str, Any] | None) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def country_choices() -> list:
    """Every country, named and sorted in the active language.

    A callable, so each form asks when it is shown: `choices=countries` would be
    read once at import, in German, and stay German for English visitors.
    """
    return list(countries)


def countries_field(label: "StrOrPromise") -> forms.MultipleChoiceField:
    """An optional choice of several countries, named in the visitor's language."""
    return forms.MultipleChoiceField(
        label=label,
        choices=country_choices,
        required=False,
        help_text=_("Mehrfachauswahl mit Strg- bzw. Cmd-Taste."),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
