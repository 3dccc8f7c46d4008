"""Public statistics of the directory: scope, fields of action and countries.

Only published organisations count (an active consent of their own), overall
or for one municipality; the figures come from actors.selectors.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from actors.directory_cache import cached_html
from actors.forms import StatisticsForm
from actors.selectors import TOP_COUNTRIES, organisation_statistics, statistics_sections


def statistics_view(request: HttpRequest) -> HttpResponse:
    form = StatisticsForm(request.GET or None)
    municipality = form.cleaned_data["municipality"] if form.is_valid() else None

    def context() -> dict:
        stats = organisation_statistics(municipality=municipality)
        return {
            "form": form,
            "municipality": municipality,
            "stats": stats,
            "sections": statistics_sections(stats),
            "top_countries": TOP_COUNTRIES,
        }

    content = cached_html(
        request, "statistics-html", ["municipality"], "actors/_statistics.html", context
    )
    return render(
        request, "actors/statistics.html", {"municipality": municipality, "content": content}
    )
