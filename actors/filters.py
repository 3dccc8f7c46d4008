"""The public directory's filters (a plain GET form) and the counts behind each choice."""

from collections import Counter

import django_filters
from django import forms
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from core.forms import country_choices
from engagements.models import Municipality

from .enums import OrganisationKind, Scope
from .models import FieldOfAction
from .search import search

SORTS = {
    "name": ("name", "municipality__name"),
    "town": ("municipality__name", "name"),
}


class OrganisationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Suche"), method="filter_text", max_length=200, widget=forms.SearchInput
    )
    municipality = django_filters.ModelChoiceFilter(
        label=_("Kommune"),
        queryset=Municipality.objects.confirmed().order_by("name"),
        empty_label=_("alle"),
    )
    field = django_filters.ModelChoiceFilter(
        label=_("Handlungsfeld"),
        field_name="fields_of_action",
        to_field_name="slug",
        queryset=FieldOfAction.objects.all(),
        empty_label=_("alle"),
    )
    scope = django_filters.ChoiceFilter(
        label=_("Wirkungsradius"), choices=Scope.choices, empty_label=_("alle")
    )
    kind = django_filters.ChoiceFilter(
        label=_("Art"), choices=OrganisationKind.choices, empty_label=_("alle")
    )
    country = django_filters.ChoiceFilter(
        label=_("Land (Herkunft oder Tätigkeit)"),
        choices=country_choices,
        method="filter_country",
        empty_label=_("alle"),
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sortierung"),
        choices=[("name", _("nach Name")), ("town", _("nach Ort"))],
        method="filter_nothing",
        empty_label=None,
    )

    def __init__(self, *args, forgive_typos: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.forgive_typos = forgive_typos

    def filter_text(self, queryset, name, value):
        return search(queryset, value, forgive_typos=self.forgive_typos)

    def filter_country(self, queryset, name, value):
        # Codes are stored comma-separated; two letters never span a comma.
        return queryset.filter(
            Q(countries_of_origin__contains=value) | Q(countries_of_activity__contains=value)
        )

    def filter_nothing(self, queryset, name, value):
        return queryset  # sorting is applied by the view

    @property
    def sort_order(self) -> tuple[str, ...]:
        value = self.form.cleaned_data.get("sort") if self.form.is_valid() else None
        return SORTS.get(value or "name", SORTS["name"])


FACETS = ["municipality", "field", "scope", "kind", "country"]


def facet_counts(data, queryset, *, forgive_typos: bool = False) -> dict[str, dict]:
    """For each filter, how many results each of its choices would give with the others applied.

    One query per filter, whatever the number of organisations. A typo-forgiving search
    (trigrams of every name) is the same for every filter: it runs once, and the filters
    count among its matches. A full-text search stays in each query: its index is faster
    than a long list of matches.
    """
    query = (data.get("q") or "").strip()
    if query and forgive_typos:
        filterset = OrganisationFilter({"q": query}, queryset=queryset, forgive_typos=forgive_typos)
        matched = list(filterset.qs.order_by().values_list("pk", flat=True))
        queryset = queryset.filter(pk__in=matched)
        data = data.copy()
        data.pop("q", None)
    result = {}
    for facet in FACETS:
        others = data.copy()
        others.pop(facet, None)
        qs = OrganisationFilter(others, queryset=queryset, forgive_typos=forgive_typos).qs
        qs = qs.order_by()
        if facet == "country":
            result[facet] = _country_counts(qs)
            continue
        column = {"field": "fields_of_action__slug"}.get(facet, facet)
        # COUNT(*), not COUNT(DISTINCT): no filter joins more than one row per organisation
        # (a field filter matches one field), and a distinct count sorts every row.
        result[facet] = {
            str(row[column]): row["n"]
            for row in qs.values(column).annotate(n=Count("*"))
            if row[column] is not None
        }
    return result


COUNTRY_COUNTS = (
    "SELECT code, count(*) FROM ({filtered}) AS o (origin, activity), "
    "LATERAL (SELECT DISTINCT unnest(string_to_array(o.origin || ',' || o.activity, ','))) "
    "AS codes (code) WHERE code <> '' GROUP BY code"
)


def _country_counts(queryset) -> dict[str, int]:
    """Organisations per country code (of origin or activity, once each)."""
    if connection.vendor == "postgresql":
        # Codes are stored comma-separated: split and count in the database (a code of
        # origin and of activity counts once), from the facets' covering index.
        try:
            inner, params = queryset.values(
                "countries_of_origin", "countries_of_activity"
            ).query.sql_with_params()
        except EmptyResultSet:  # filtered to nothing before any SQL
            return {}
        with connection.cursor() as cursor:
            cursor.execute(
                COUNTRY_COUNTS.format(filtered=inner),
                params,
            )
            return dict(cursor.fetchall())
    counter: Counter[str] = Counter()
    for origin, activity in queryset.values_list("countries_of_origin", "countries_of_activity"):
        counter.update({c for c in f"{origin},{activity}".split(",") if c})
    return dict(counter)
