"""The public directory's filters (a plain GET form) and the counts behind each choice."""

from collections import Counter

import django_filters
from django import forms
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
            counter = Counter()
            for origin, activity in qs.values_list("countries_of_origin", "countries_of_activity"):
                codes = {c for c in f"{origin},{activity}".split(",") if c}
                counter.update(codes)
            result[facet] = dict(counter)
            continue
        column = {"field": "fields_of_action__slug"}.get(facet, facet)
        result[facet] = {
            str(row[column]): row["n"]
            for row in qs.values(column).annotate(n=Count("pk", distinct=True))
            if row[column] is not None
        }
    return result
