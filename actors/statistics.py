"""Public statistics of the directory: scope, fields of action and countries.

Only published organisations count (an active consent of their own), overall
or for one municipality. Every figure is aggregated in the database or, for
the comma-separated country columns, counted in Python from one query, so the
page costs the same number of queries however many organisations there are.

The form lives here rather than in forms.py because it belongs to this page
alone and the module is owned as one piece.
"""

import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from django import forms
from django.db.models import Count, Exists, OuterRef, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from engagements.models import Municipality

from .enums import Scope
from .models import FieldOfAction
from .selectors import organisations_published

TOP_COUNTRIES = 15

# Chart geometry in SVG user units (the SVG scales with its viewBox). A bar of
# 100 % is BAR_MAX wide; the space to its right holds the figure.
CHART_WIDTH = 480
BAR_MAX = 360
ROW_HEIGHT = 44


@dataclass(frozen=True)
class Row:
    """One line of a chart and its table: a label, a count and its share of the total."""

    key: str
    label: str
    count: int
    percent: float
    y: int = 0

    @property
    def bar_width(self) -> int:
        # At least 1 unit, so a small non-zero share is still visible.
        if not self.count:
            return 0
        return max(1, round(BAR_MAX * self.percent / 100))

    @property
    def value_x(self) -> int:
        return self.bar_width + 8


@dataclass
class Chart:
    rows: list[Row] = field(default_factory=list)

    @property
    def height(self) -> int:
        return ROW_HEIGHT * len(self.rows)

    @property
    def width(self) -> int:
        return CHART_WIDTH

    @property
    def bar_max(self) -> int:
        return BAR_MAX


@dataclass
class OrganisationStatistics:
    total: int
    scopes: Chart
    with_field: Row
    fields: Chart
    countries: Chart
    other_countries: int
    without_country: Row

    def _scope(self, scope: str) -> Row:
        return next(row for row in self.scopes.rows if row.key == scope)

    @property
    def international(self) -> Row:
        return self._scope(Scope.INTERNATIONAL)

    @property
    def local(self) -> Row:
        return self._scope(Scope.LOCAL)


def _percent(count: int, total: int) -> float:
    return 100 * count / total if total else 0.0


def _chart(rows: list[tuple[str, str, int]], total: int) -> Chart:
    return Chart(
        rows=[
            Row(
                key=key,
                label=label,
                count=count,
                percent=_percent(count, total),
                y=index * ROW_HEIGHT,
            )
            for index, (key, label, count) in enumerate(rows)
        ]
    )


def _sort_name(code: str) -> str:
    # "Äthiopien" belongs among the A, not after "Zypern" as plain code points have it.
    name = unicodedata.normalize("NFKD", str(countries.name(code)))
    return "".join(char for char in name if not unicodedata.combining(char)).casefold()


def _codes(value) -> list[str]:
    # values_list gives the raw column: "GH,NG" (or "" when empty).
    if isinstance(value, str):
        return [code for code in value.split(",") if code]
    return [str(code) for code in value or []]


def municipalities_with_published_organisations() -> QuerySet[Municipality]:
    return Municipality.objects.filter(
        Exists(organisations_published().filter(municipality=OuterRef("pk")))
    ).order_by("name")


def organisation_statistics(*, municipality: Municipality | None = None) -> OrganisationStatistics:
    """The figures for published organisations, overall or in one municipality."""
    published = organisations_published()
    if municipality is not None:
        published = published.filter(municipality=municipality)

    # Query 1: organisations per scope; the sum is the total.
    per_scope = {
        row["scope"]: row["count"]
        for row in published.order_by().values("scope").annotate(count=Count("pk"))
    }
    total = sum(per_scope.values())
    scopes = _chart(
        [(value, str(label), per_scope.get(value, 0)) for value, label in Scope.choices], total
    )

    # Query 2: organisations per field of action. The join is a LEFT JOIN, so
    # organisations without any field form the group whose key is None.
    per_field = {
        row["fields_of_action"]: row["count"]
        for row in published.order_by().values("fields_of_action").annotate(count=Count("pk"))
    }
    without_field = per_field.pop(None, 0)
    with_field_count = total - without_field
    # Query 3: every field, so that a field without organisations shows as 0.
    fields = _chart(
        [
            (str(foa.pk), str(foa), per_field.get(foa.pk, 0))
            for foa in FieldOfAction.objects.order_by("position", "name_de")
        ],
        total,
    )

    # Query 4: the countries; an organisation counts once per country, whether
    # it is its country of origin, of activity, or both.
    per_country: Counter[str] = Counter()
    organisation_countries = []
    for origin, activity in published.order_by().values_list(
        "countries_of_origin", "countries_of_activity"
    ):
        codes = set(_codes(origin)) | set(_codes(activity))
        organisation_countries.append(codes)
        per_country.update(codes)
    ranked = sorted(per_country.items(), key=lambda item: (-item[1], _sort_name(item[0])))
    top = ranked[:TOP_COUNTRIES]
    rest = {code for code, _count in ranked[TOP_COUNTRIES:]}
    rows = [(code, str(countries.name(code)) or code, count) for code, count in top]
    if rest:
        # "Further countries" counts organisations, not mentions: each
        # organisation linked with any of the remaining countries counts once.
        rows.append(
            (
                "other",
                str(_("weitere Länder")),
                sum(1 for codes in organisation_countries if codes & rest),
            )
        )
    without_country = sum(1 for codes in organisation_countries if not codes)

    return OrganisationStatistics(
        total=total,
        scopes=scopes,
        with_field=Row(
            key="with_field",
            label=str(_("in mindestens einem Handlungsfeld aktiv")),
            count=with_field_count,
            percent=_percent(with_field_count, total),
        ),
        fields=fields,
        countries=_chart(rows, total),
        other_countries=len(rest),
        without_country=Row(
            key="without_country",
            label=str(_("ohne Angabe eines Landes")),
            count=without_country,
            percent=_percent(without_country, total),
        ),
    )


class StatisticsForm(forms.Form):
    municipality = forms.ModelChoiceField(
        label=_("Kommune"),
        queryset=Municipality.objects.none(),
        required=False,
        empty_label=_("Alle Kommunen"),
        error_messages={
            "invalid_choice": _(
                "Für diese Kommune gibt es keine veröffentlichten Organisationen. "
                "Angezeigt werden alle Kommunen."
            ),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities_with_published_organisations()


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
