"""The intercultural calendar: holidays to keep in mind when planning a meeting."""

from itertools import groupby

from dateutil.relativedelta import relativedelta
from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_countries import countries as country_names

from engagements.models import Municipality
from events.holidays import coming_holidays, countries_of_origin, period_end

DEFAULT_MONTHS = 3


def _month_choices() -> list[tuple[int, str]]:
    return [
        (n, ngettext("%(count)d Monat", "%(count)d Monate", n) % {"count": n}) for n in range(1, 13)
    ]


class HolidayCalendarForm(forms.Form):
    municipality = forms.ModelChoiceField(
        label=_("Kommune"),
        queryset=Municipality.objects.confirmed().order_by("name"),
        required=False,
        empty_label=_("alle Kommunen"),
    )
    months = forms.TypedChoiceField(
        label=_("Zeitraum"), choices=_month_choices, coerce=int, required=False
    )


def holiday_calendar(request: HttpRequest) -> HttpResponse:
    form = HolidayCalendarForm(request.GET)
    form.is_valid()
    # The selects offer only valid values: anything else in the address counts as unset.
    municipality = form.cleaned_data.get("municipality")
    months = form.cleaned_data.get("months") or DEFAULT_MONTHS
    countries = countries_of_origin(municipality=municipality)
    start = timezone.localdate()
    days = coming_holidays(
        countries=countries,
        start=start,
        months=months,
        federal_state=municipality.federal_state if municipality else None,
    )
    by_month = {
        first: list(group) for first, group in groupby(days, key=lambda d: d[0].replace(day=1))
    }
    # Every month of the period, those without a holiday too.
    first = start.replace(day=1)
    end = period_end(start, months)
    month_count = (end.year - first.year) * 12 + end.month - first.month + 1
    month_starts = [first + relativedelta(months=n) for n in range(month_count)]
    return render(
        request,
        "events/holiday_calendar.html",
        {
            # Unbound again, so that the selects show what the page shows.
            "form": HolidayCalendarForm(initial={"municipality": municipality, "months": months}),
            "municipality": municipality,
            # django-countries sorts by the translated name, as a reader expects.
            "country_names": [c.name for c in country_names if c.code in countries],
            "calendar": [(month, by_month.get(month, [])) for month in month_starts],
            "start": start,
            "end": end,
        },
    )
