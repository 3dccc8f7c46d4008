"""The public directory of engaged organisations: no login, only what was agreed to."""

import csv
import json

from django.conf import settings
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django_countries import countries

from actors.directory_cache import cached, cached_html
from actors.enums import OrganisationKind, Scope
from actors.filters import FACETS, OrganisationFilter, facet_counts
from actors.models import FieldOfAction, Organisation
from actors.search import by_relevance, typo_mode
from actors.selectors import organisations_published, published_contacts
from core.spreadsheets import safe_cell
from engagements.models import Municipality

PAGE_SIZE = 25


def _filtered(params, forgive_typos: bool):
    filterset = OrganisationFilter(
        params, queryset=organisations_published(), forgive_typos=forgive_typos
    )
    qs = filterset.qs.select_related("municipality").prefetch_related("fields_of_action")
    query = filterset.form.cleaned_data.get("q") if filterset.form.is_valid() else ""
    if query and not params.get("sort"):
        qs = by_relevance(qs, query)
    else:
        qs = qs.order_by(*filterset.sort_order)
    return filterset, qs


def _municipality_ids(counts: dict, request: HttpRequest) -> list[int]:
    ids = list(counts["municipality"])
    ids.append(request.GET.get("municipality", ""))
    return [int(value) for value in ids if str(value).isdigit()]


def _facet_choices(request: HttpRequest, counts: dict) -> dict[str, list]:
    """Each filter's choices with their counts; only choices that would give results."""
    labels = {
        "municipality": {
            str(m.pk): m.name
            for m in Municipality.objects.filter(pk__in=_municipality_ids(counts, request))
        },
        "field": {f.slug: str(f) for f in FieldOfAction.objects.all()},
        "scope": dict(Scope.choices),
        "kind": dict(OrganisationKind.choices),
        # Only the codes shown: naming all of the world's countries costs more than the rest.
        "country": {
            code: countries.name(code)
            for code in [*counts["country"], request.GET.get("country", "")]
            if code
        },
    }
    result = {}
    for facet in FACETS:
        selected = request.GET.get(facet, "")
        options = [
            (value, str(labels[facet].get(value, value)), count)
            for value, count in counts[facet].items()
        ]
        if selected and selected not in counts[facet]:
            options.append((selected, str(labels[facet].get(selected, selected)), 0))
        options.sort(key=lambda option: option[1])
        result[facet] = {"options": options, "selected": selected}
    return result


class _Counted:
    """What a Paginator needs of a list it does not hold: its length."""

    def __init__(self, count: int) -> None:
        self._count = count

    def count(self) -> int:
        return self._count


def _listing(params) -> dict:
    """What the list shows for these parameters: whether typos are forgiven, how many
    match, the ids on the asked page (none past the end: then the number of pages), and
    the facet counts. Only ids and numbers, so that it can be cached whole."""
    forgive_typos = typo_mode(params.get("q", ""), organisations_published())
    _filterset, qs = _filtered(params, forgive_typos)
    paginator = Paginator(qs.prefetch_related(None).values_list("pk", flat=True), PAGE_SIZE)
    number = params.get("page") or 1
    beyond = None
    try:
        page = paginator.page(number)
    except PageNotAnInteger:
        page = paginator.page(1)
    except EmptyPage:
        page, beyond = None, paginator.num_pages
    counts = facet_counts(params, organisations_published(), forgive_typos=forgive_typos)
    return {
        "forgive_typos": forgive_typos,
        "count": paginator.count,
        "number": page.number if page else 1,
        "ids": list(page.object_list) if page else [],
        "beyond": beyond,
        "facets": counts,
    }


LISTING_PARAMS = {"q", "municipality", "field", "scope", "kind", "country", "sort", "page"}


def _cache_parts(request: HttpRequest, names: set[str]) -> list[tuple[str, str]]:
    return [(key, value) for key, value in request.GET.items() if key in names and value]


def _list_context(request: HttpRequest) -> dict:
    listing = cached("list", _cache_parts(request, LISTING_PARAMS), lambda: _listing(request.GET))
    filterset = OrganisationFilter(
        request.GET, queryset=organisations_published(), forgive_typos=listing["forgive_typos"]
    )
    found = {
        organisation.pk: organisation
        for organisation in organisations_published()
        .filter(pk__in=listing["ids"])
        .select_related("municipality")
        .prefetch_related("fields_of_action")
    }
    rows = [found[pk] for pk in listing["ids"] if pk in found]
    page = Page(rows, listing["number"], Paginator(_Counted(listing["count"]), PAGE_SIZE))
    # Only the list's own parameters: the content is cached for those alone.
    params = QueryDict(mutable=True)
    for key in request.GET:
        if key in LISTING_PARAMS and key != "page":
            params.setlist(key, request.GET.getlist(key))
    return {
        "filter": filterset,
        "page": page,
        "facets": _facet_choices(request, listing["facets"]),
        "query_string": params.urlencode(),
        "errors": filterset.form.errors,
        "forgive_typos": listing["forgive_typos"],
        "beyond": listing["beyond"],
    }


def organisation_list(request: HttpRequest) -> HttpResponse:
    content = cached_html(
        request,
        "list-html",
        LISTING_PARAMS,
        "actors/_organisation_list.html",
        lambda: _list_context(request),
    )
    return render(request, "actors/organisation_list.html", {"content": content})


def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(
        organisations_published()
        .select_related("municipality")
        .prefetch_related(
            "fields_of_action",
            Prefetch("contacts", queryset=published_contacts(), to_attr="public_contacts"),
        ),
        slug=slug,
    )
    # The public events it attended, through the registrations that point at it (the
    # events app sits above this one and adds that relation).
    attended = (
        organisation.registrations.filter(attended=True, event__is_public=True)
        .select_related("event__municipality")
        .order_by("-event__starts_at", "event_id")
    )
    events = list({registration.event_id: registration.event for registration in attended}.values())
    return render(
        request,
        "actors/organisation_detail.html",
        {
            "organisation": organisation,
            "contacts": organisation.public_contacts,
            "events": events,
            "json_ld": _json_ld(request, organisation),
        },
    )


def _json_ld(request: HttpRequest, organisation) -> str:
    data = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": organisation.name,
        "url": request.build_absolute_uri(organisation.get_absolute_url()),
        "identifier": str(organisation.public_id),
        "description": organisation.description,
        "address": {
            "@type": "PostalAddress",
            "addressLocality": organisation.municipality.name,
            "postalCode": organisation.postcode,
            "streetAddress": organisation.street,
            "addressCountry": "DE",
        },
        "knowsAbout": [str(f) for f in organisation.fields_of_action.all()],
    }
    if organisation.website:
        data["sameAs"] = [organisation.website]
    if organisation.founded_year:
        data["foundingDate"] = str(organisation.founded_year)
    # "<" escaped so that no text in the data can close the script element.
    text = json.dumps({k: v for k, v in data.items() if v}, ensure_ascii=False)
    return mark_safe(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))  # noqa: S308 - escaped above


# --- Open data -------------------------------------------------------------------------

OPEN_DATA_FIELDS = [
    "id",
    "name",
    "kind",
    "municipality",
    "ags",
    "postcode",
    "website",
    "description",
    "fields_of_action",
    "scope",
    "countries_of_origin",
    "countries_of_activity",
    "url",
    "updated",
    "licence",
]


OPEN_DATA_COLUMNS = [
    "pk",
    "public_id",
    "name",
    "kind",
    "municipality__name",
    "municipality__ags",
    "postcode",
    "website",
    "description",
    "scope",
    "countries_of_origin",
    "countries_of_activity",
    "slug",
    "updated_at",
]


def _codes(value) -> list[str]:
    """Country codes as stored (comma-separated) or as the field gives them."""
    if isinstance(value, str):
        return [code for code in value.split(",") if code]
    return [getattr(code, "code", code) for code in value or []]


def _open_record(row: dict, fields: list[str], url_of: str) -> dict:
    return {
        "id": str(row["public_id"]),
        "name": row["name"],
        "kind": row["kind"],
        "municipality": row["municipality__name"],
        "ags": row["municipality__ags"] or "",
        "postcode": row["postcode"],
        "website": row["website"],
        "description": row["description"],
        "fields_of_action": fields,
        "scope": row["scope"],
        "countries_of_origin": _codes(row["countries_of_origin"]),
        "countries_of_activity": _codes(row["countries_of_activity"]),
        "url": url_of.replace(SLUG_MARK, row["slug"]),
        "updated": row["updated_at"].isoformat(),
        "licence": settings.MIGLOBE_OPEN_DATA_LICENCE,
    }


SLUG_MARK = "slug-of-the-organisation"


def _open_records(request: HttpRequest):
    """Every matching organisation, streamed in chunks: memory stays the same at any size.

    Rows are read as plain values, not model objects, and each page's address is made from
    one reversed address: at 100,000 rows, that is most of the time an export takes."""
    _filterset, qs = _filtered(
        request.GET, typo_mode(request.GET.get("q", ""), organisations_published())
    )
    qs = qs.prefetch_related(None).select_related(None)  # fields come per chunk, below
    url_of = request.build_absolute_uri(reverse("actors:organisation_detail", args=[SLUG_MARK]))
    chunk: list[dict] = []
    for row in qs.values(*OPEN_DATA_COLUMNS).iterator(chunk_size=CHUNK):
        chunk.append(row)
        if len(chunk) == CHUNK:
            yield from _with_fields(chunk, url_of)
            chunk = []
    yield from _with_fields(chunk, url_of)


CHUNK = 1000


def _with_fields(chunk: list[dict], url_of: str):
    if not chunk:
        return
    fields: dict[int, list[str]] = {}
    links = Organisation.fields_of_action.through.objects.filter(
        organisation_id__in=[row["pk"] for row in chunk]
    ).values_list("organisation_id", "fieldofaction__slug")
    for organisation_id, slug in links.order_by("fieldofaction__position"):
        fields.setdefault(organisation_id, []).append(slug)
    for row in chunk:
        yield _open_record(row, fields.get(row["pk"], []), url_of)


class _Echo:
    def write(self, value):
        return value


def organisations_csv(request: HttpRequest) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff" + writer.writerow(OPEN_DATA_FIELDS)
        for record in _open_records(request):
            yield writer.writerow(
                [
                    safe_cell(" ".join(v) if isinstance(v, list) else str(v))
                    for v in (record[f] for f in OPEN_DATA_FIELDS)
                ]
            )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="miglobe-organisationen.csv"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


def organisations_json(request: HttpRequest) -> StreamingHttpResponse:
    """The same records as JSON, streamed: the first bytes leave before the last row is read."""
    head = {
        "licence": settings.MIGLOBE_OPEN_DATA_LICENCE,
        "licence_url": settings.MIGLOBE_OPEN_DATA_LICENCE_URL,
        "publisher": "Servicestelle Kommunen in der Einen Welt (SKEW), Engagement Global",
        "generated": timezone.now().isoformat(),
    }

    def parts():
        yield json.dumps(head, ensure_ascii=False)[:-1] + ', "organisations": ['
        for n, record in enumerate(_open_records(request)):
            yield ("," if n else "") + json.dumps(record, ensure_ascii=False, cls=DjangoJSONEncoder)
        yield "]}"

    response = StreamingHttpResponse(parts(), content_type="application/json")
    response["Access-Control-Allow-Origin"] = "*"
    return response
