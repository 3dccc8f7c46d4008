"""Public statistics of the directory: scope, fields of action and countries.

Only published organisations count (an active consent of their own), overall
or for one municipality; the figures come from actors.selectors.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from actors.forms import StatisticsForm
from actors.selectors import TOP_COUNTRIES, OrganisationStatistics, organisation_statistics


def _sections(stats: OrganisationStatistics) -> list[dict]:
    """The three charts with their headings, so the template draws them in one loop."""
    return [
        {
            "key": "scope",
            "heading": _("Wirkungsradius"),
            "caption": _("Organisationen nach Wirkungsradius"),
            "column": _("Wirkungsradius"),
            "chart": stats.scopes,
            "footer": [],
        },
        {
            "key": "fields",
            "heading": _("Handlungsfelder"),
            "caption": _("Organisationen nach Handlungsfeld (Mehrfachnennung möglich)"),
            "column": _("Handlungsfeld"),
            "chart": stats.fields,
            "footer": [stats.with_field],
        },
        {
            "key": "countries",
            "heading": _("Herkunfts- und Tätigkeitsländer"),
            "caption": _("Organisationen nach Land (Mehrfachnennung möglich)"),
            "column": _("Land"),
            "chart": stats.countries,
            "footer": [stats.without_country],
        },
    ]


def statistics_view(request: HttpRequest) -> HttpResponse:
    form = StatisticsForm(request.GET or None)
    municipality = form.cleaned_data["municipality"] if form.is_valid() else None
    stats = organisation_statistics(municipality=municipality)
    return render(
        request,
        "actors/statistics.html",
        {
            "form": form,
            "municipality": municipality,
            "stats": stats,
            "sections": _sections(stats),
            "top_countries": TOP_COUNTRIES,
        },
    )
