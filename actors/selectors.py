import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypedDict

from django.db.models import Count, Exists, F, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from core.text import edit_distance, keys_match, name_key
from engagements.models import Municipality

from .enums import Scope
from .models import ContactPerson, FieldOfAction, Organisation, PublicationConsent

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class PublicationState(TypedDict):
    """What `with_publication_state` annotates."""

    is_published: bool


def with_publication_state(
    queryset: QuerySet[Organisation],
) -> "QuerySet[WithAnnotations[Organisation, PublicationState]]":
    """Annotate `is_published`: the organisation has an active consent of its own (the
    column the database keeps from the consents, migration actors 0009)."""
    return queryset.annotate(is_published=F("published"))


def organisations_published() -> QuerySet[Organisation]:
    """The organisations the public may see: those with an active consent of their own."""
    return Organisation.objects.filter(published=True)


def published_contacts() -> QuerySet[ContactPerson]:
    """Contact persons who agreed to be shown, for a Prefetch."""
    return ContactPerson.objects.filter(
        Exists(PublicationConsent.objects.active().filter(contact_person=OuterRef("pk")))
    ).order_by("name")


def likely_duplicates(
    name: str, municipality: Municipality, *, limit: int = 5
) -> list[Organisation]:
    """Organisations in the same town whose names probably are `name`, closest first.

    Names that are equal after normalising (case, umlauts, punctuation, legal
    form), have the same words in another order, differ only by the town's name,
    or by a typo, are likely duplicates.
    """
    town = municipality.name
    key = name_key(name, town)
    if not key:
        return []
    found = []
    for organisation in Organisation.objects.filter(municipality=municipality).only(
        "pk", "name", "slug", "kind", "municipality_id"
    ):
        other = name_key(organisation.name, town)
        if keys_match(key, other):
            found.append((edit_distance(key, other), organisation.name, organisation))
    found.sort(key=lambda item: item[:2])
    return [organisation for _distance, _name, organisation in found[:limit]]


# --- Public statistics of the directory ---------------------------------------------------
# Scope, fields of action and countries of published organisations, overall or for one
# municipality. Every figure is aggregated in the database or, for the comma-separated
# country columns, counted in Python from one query, so the page costs the same number
# of queries however many organisations there are.

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


def _codes(value: str | Iterable[object] | None) -> list[str]:
    # values_list gives the raw column: "GH,NG" (or "" when empty).
    if isinstance(value, str):
        return [code for code in value.split(",") if code]
    return [str(code) for code in value or []]


def municipalities_with_published_organisations() -> QuerySet[Municipality]:
    return (
        Municipality.objects.confirmed()
        .filter(Exists(organisations_published().filter(municipality=OuterRef("pk"))))
        .order_by("name")
    )


def organisation_statistics(
    *,
    municipality: Municipality | None = None,
    organisations: QuerySet[Organisation] | None = None,
) -> OrganisationStatistics:
    """The figures for published organisations, overall or in one municipality.

    `organisations` counts those instead (figures only, no names: an engagement's final
    report counts every organisation its research found).
    """
    published = organisations_published() if organisations is None else organisations
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


def statistics_of(entries: list[tuple[str, set[int], set[str]]]) -> OrganisationStatistics:
    """The same figures for answers that are not (yet) organisations: a survey's.

    Each entry is one answer: its scope, the pks of its fields of action, its countries.
    """
    total = len(entries)
    per_scope = Counter(scope for scope, _fields, _codes in entries)
    per_field = Counter(pk for _scope, fields, _codes in entries for pk in fields)
    per_country = Counter(code for _scope, _fields, codes in entries for code in codes)
    ranked = sorted(per_country.items(), key=lambda item: (-item[1], _sort_name(item[0])))
    rest = {code for code, _count in ranked[TOP_COUNTRIES:]}
    rows = [(code, str(countries.name(code)) or code, n) for code, n in ranked[:TOP_COUNTRIES]]
    if rest:
        rows.append(
            ("other", str(_("weitere Länder")), sum(1 for *_, codes in entries if codes & rest))
        )
    with_field = sum(1 for _scope, fields, _codes in entries if fields)
    without_country = sum(1 for *_, codes in entries if not codes)
    return OrganisationStatistics(
        total=total,
        scopes=_chart(
            [(value, str(label), per_scope.get(value, 0)) for value, label in Scope.choices],
            total,
        ),
        with_field=Row(
            key="with_field",
            label=str(_("in mindestens einem Handlungsfeld aktiv")),
            count=with_field,
            percent=_percent(with_field, total),
        ),
        fields=_chart(
            [
                (str(foa.pk), str(foa), per_field.get(foa.pk, 0))
                for foa in FieldOfAction.objects.order_by("position", "name_de")
            ],
            total,
        ),
        countries=_chart(rows, total),
        other_countries=len(rest),
        without_country=Row(
            key="without_country",
            label=str(_("ohne Angabe eines Landes")),
            count=without_country,
            percent=_percent(without_country, total),
        ),
    )


def statistics_sections(stats: OrganisationStatistics) -> list[dict]:
    """The three charts with their headings, so a template draws them in one loop."""
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
