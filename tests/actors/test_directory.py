"""The public directory: only what was agreed to, filters with counts, search, open data."""

import csv
import io
import json
import re

import pytest
from django.db import connection
from django.utils import timezone

from actors.models import Organisation
from tests.actors.conftest import published
from tests.actors.factories import (
    ContactPersonFactory,
    OrganisationFactory,
    PublicationConsentFactory,
)
from tests.engagements.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db


def names(response) -> list[str]:
    return re.findall(
        r'<h3><a href="/organisations/[^"]+/">([^<]+)</a></h3>', response.content.decode()
    )


def csv_rows(client, query=""):
    response = client.get("/organisations.csv" + query)
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def json_records(client, query=""):
    response = client.get("/organisations.json" + query)
    return json.loads(b"".join(response.streaming_content))["organisations"]


# --- consent ------------------------------------------------------------------


def test_only_consenting_organisations_appear_anywhere(client, world):
    listed = names(client.get("/organisations/"))
    assert sorted(listed) == sorted(
        [
            "Ghanaische Union Duisburg e. V.",
            "Türkisch-Deutscher Umweltverein",
            "Senegalesischer Kulturkreis",
        ]
    )
    for key in ("hidden", "withdrawn"):
        organisation = world[key]
        assert client.get(f"/organisations/{organisation.slug}/").status_code == 404
        assert organisation.name not in [r["name"] for r in csv_rows(client)]
        assert organisation.name not in [r["name"] for r in json_records(client)]
        assert organisation.slug not in client.get("/sitemap-organisations.xml").content.decode()
    assert world["ghana"].slug in client.get("/sitemap-organisations.xml").content.decode()


def test_withdrawing_consent_unpublishes_at_once(client, world):
    consent = world["ghana"].consents.get()
    consent.withdrawn_at = timezone.now()
    consent.save()
    assert client.get(f"/organisations/{world['ghana'].slug}/").status_code == 404
    assert "Ghanaische Union Duisburg e. V." not in names(client.get("/organisations/"))


def test_contact_person_shown_only_with_own_consent(client, world):
    agreed = ContactPersonFactory(organisation=world["ghana"], name="Kofi Beispiel")
    PublicationConsentFactory(organisation=world["ghana"], contact_person=agreed)
    ContactPersonFactory(organisation=world["ghana"], name="Zora Ohnezustimmung")
    page = client.get(f"/organisations/{world['ghana'].slug}/").content.decode()
    assert "Kofi Beispiel" in page
    assert "Zora Ohnezustimmung" not in page


def test_detail_page_has_schema_org_json_ld(client, world):
    page = client.get(f"/organisations/{world['ghana'].slug}/").content.decode()
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1)
    )
    assert data["@type"] == "Organization"
    assert data["name"] == "Ghanaische Union Duisburg e. V."
    assert data["address"]["addressLocality"] == "Duisburg"


# --- filters ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?scope=local", {"Türkisch-Deutscher Umweltverein", "Senegalesischer Kulturkreis"}),
        ("?scope=international", {"Ghanaische Union Duisburg e. V."}),
        ("?field=fairer-handel", {"Ghanaische Union Duisburg e. V."}),
        ("?kind=association", {"Senegalesischer Kulturkreis"}),
        (
            "?country=GH",
            {"Ghanaische Union Duisburg e. V.", "Türkisch-Deutscher Umweltverein"},
        ),  # origin or activity
        ("?country=SN&scope=local", {"Senegalesischer Kulturkreis"}),
        ("?scope=local&field=klima-umwelt&country=TR", {"Türkisch-Deutscher Umweltverein"}),
        ("?scope=international&field=klima-umwelt", set()),
    ],
)
def test_filters_and_combinations(client, world, query, expected):
    assert set(names(client.get("/organisations/" + query))) == expected
    assert {r["name"] for r in csv_rows(client, query)} == expected
    assert {r["name"] for r in json_records(client, query)} == expected


def test_municipality_filter(client, world):
    query = f"?municipality={world['hamm'].pk}"
    assert names(client.get("/organisations/" + query)) == ["Senegalesischer Kulturkreis"]


def test_each_choice_shows_how_many_results_it_would_give(client, world):
    page = client.get("/organisations/?scope=local").content.decode()
    # With scope=local applied, the country filter counts among local organisations only …
    assert re.search(r'<option value="GH"[^>]*>Ghana \(1\)</option>', page)
    # … while the scope filter itself still offers every scope with its full count.
    assert re.search(r'<option value="local" selected>lokal \(2\)</option>', page)
    assert re.search(r'<option value="international"[^>]*>international \(1\)</option>', page)


def test_an_invalid_choice_does_not_zero_the_other_counts(client, world):
    page = client.get("/organisations/?scope=galactic").content.decode()
    assert "errorlist" in page
    assert re.search(r'<option value="GH"[^>]*>Ghana \(2\)</option>', page)


def test_a_selected_town_without_results_keeps_its_name(client, world):
    empty_town = MunicipalityFactory(name="Leerstadt")
    page = client.get(f"/organisations/?municipality={empty_town.pk}").content.decode()
    assert re.search(rf'<option value="{empty_town.pk}" selected>Leerstadt \(0\)</option>', page)


def test_a_typo_search_is_not_fooled_by_unpublished_names(client, world, postgres_only):
    # The misspelt word is the exact name of an unpublished organisation: the typo
    # fallback must still look among the published ones, and never show the hidden one.
    OrganisationFactory(name="Senegalesicher Kreis", municipality=world["hamm"])
    assert names(client.get("/organisations/", {"q": "Senegalesicher"})) == [
        "Senegalesischer Kulturkreis"
    ]


@pytest.mark.parametrize(
    "query",
    [
        "?scope=galactic",
        "?country=XX",
        "?field=nope",
        "?municipality=999999",
        "?municipality=abc",
        "?page=9999",
        "?page=-1",
        "?sort=evil",
    ],
)
def test_unknown_filter_values_give_an_error_or_nothing_never_a_crash(client, world, query):
    response = client.get("/organisations/" + query)
    assert response.status_code == 200
    assert "errorlist" in response.content.decode() or "page" in query
    assert client.get("/organisations.json" + query).status_code == 200


@pytest.mark.parametrize(
    "text",
    [
        "\"quoted\" 'single'",
        "100% sicher",
        "'; DROP TABLE actors_organisation; --",
        "SELECT * FROM x",
        "🌍 Eine Welt 🤝",
        "ä" * 10_000,
        "\\x00 \\ %_ &|!:*()",
    ],
)
def test_odd_search_strings_are_handled(client, world, text):
    response = client.get("/organisations/", {"q": text})
    assert response.status_code == 200
    assert Organisation.objects.count() == 5


def test_sorting_by_name_and_by_town(client, world):
    assert names(client.get("/organisations/?sort=name")) == sorted(
        names(client.get("/organisations/?sort=name"))
    )
    by_town = names(client.get("/organisations/?sort=town"))
    assert by_town[-1] == "Senegalesischer Kulturkreis"  # Hamm after Duisburg


def test_pagination(client, world):
    for i in range(30):
        published(name=f"Verein {i:02d}", municipality=world["hamm"])
    first, second = client.get("/organisations/"), client.get("/organisations/?page=2")
    assert len(names(first)) == 25
    assert len(names(second)) == 8
    assert "Seite 2 von 2" in second.content.decode()


# --- search ------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["Türkisch", "tuerkisch", "TÜRKISCH-deutscher", "umweltverein duisburg"],
)
def test_search_finds_umlauts_written_either_way(client, world, text):
    assert "Türkisch-Deutscher Umweltverein" in names(client.get("/organisations/", {"q": text}))


def test_search_finds_words_in_the_description(client, world):
    assert names(client.get("/organisations/", {"q": "Kakao"})) == [
        "Ghanaische Union Duisburg e. V."
    ]


def test_search_stems_german_words_on_postgres(client, world, postgres_only):
    assert "Türkisch-Deutscher Umweltverein" in names(
        client.get("/organisations/", {"q": "Umweltvereine"})
    )


def test_search_tolerates_a_small_typo_on_postgres(client, world, postgres_only):
    assert "Ghanaische Union Duisburg e. V." in names(
        client.get("/organisations/", {"q": "Ghanaishe Union"})
    )
    assert "Senegalesischer Kulturkreis" in names(
        client.get("/organisations/", {"q": "senegalessischer"})
    )


def test_search_uses_the_indexes_on_postgres(world, postgres_only):
    from actors.search import search

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = search(Organisation.objects.all(), "ghanaische union").explain()
    assert "actors_org_search_vector_gin" in plan
    plan = search(Organisation.objects.all(), "ghanaishe", forgive_typos=True).explain()
    assert "actors_org_search_name_trgm" in plan


# --- speed ------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/organisations/",
        "/organisations/?q=ghanaische&scope=international",
        "/organisations/?q=ghanaishe+unoin",  # no exact match: the typo-forgiving search
        "/organisations.csv?q=union",
        "/organisations.json",
        "/sitemap.xml",
        "/sitemap-organisations.xml",
    ],
)
def test_query_count_does_not_grow_with_the_directory(client, world, url, count_queries):
    fair = world["ghana"].fields_of_action.get()
    count_queries.get(client, url)  # warm caches that do not depend on rows (the current Site)
    small = count_queries.get(client, url)
    for i in range(40):
        organisation = published(
            name=f"Lokaler Verein {i}", municipality=world["hamm"], scope="local"
        )
        organisation.fields_of_action.set([fair])
    assert count_queries.get(client, url) == small


def test_detail_query_count_does_not_grow_with_contacts(client, world, count_queries):
    url = f"/organisations/{world['ghana'].slug}/"
    small = count_queries.get(client, url)
    for i in range(10):
        contact = ContactPersonFactory(organisation=world["ghana"], name=f"Person {i}")
        PublicationConsentFactory(organisation=world["ghana"], contact_person=contact)
    assert count_queries.get(client, url) == small


def test_seed_scale_adds_published_organisations(client):
    from django.core.management import call_command

    MunicipalityFactory(name="Duisburg")
    call_command("seed_scale", organisations=120, verbosity=0)
    assert Organisation.objects.count() == 120
    listed = client.get("/organisations/").content.decode()
    assert re.search(r"\b1\d\d Organisationen\b", listed)


def test_the_json_export_streams_and_is_one_valid_document(client, world):
    response = client.get("/organisations.json")
    parts = list(response.streaming_content)

    assert response.streaming and len(parts) >= 3  # head, the records, the end
    document = json.loads(b"".join(parts))
    assert document["licence"] and {o["name"] for o in document["organisations"]}
