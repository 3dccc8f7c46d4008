"""What a visitor sees is never stale: every change that affects publication shows at once
on every surface of the directory (the list and its facet counts, search, the page, the
statistics, the map's data, the exports and the sitemap)."""

import json
import re

import pytest

from actors.models import PublicationConsent
from actors.services import consent_withdraw
from tests.actors.factories import (
    FieldOfActionFactory,
    OrganisationFactory,
    PublicationConsentFactory,
)
from tests.engagements.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db


def body(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8-sig")
    return response.content.decode()


@pytest.fixture
def town(db):
    return MunicipalityFactory(name="Duisburg")


@pytest.fixture
def pair(town):
    """Two published organisations in one town; the first is the one that changes."""
    field = FieldOfActionFactory(slug="fairer-handel", name_de="Fairer Handel")
    first = OrganisationFactory(
        name="Togoische Gemeinde Duisburg e. V.", slug="togo-duisburg", municipality=town,
        scope="international", countries_of_origin=["TG"],
    )  # fmt: skip
    second = OrganisationFactory(
        name="Weltladen Duisburg-Mitte e. V.", slug="weltladen", municipality=town,
        scope="local", countries_of_origin=[],
    )  # fmt: skip
    first.fields_of_action.set([field])
    for organisation in (first, second):
        PublicationConsentFactory(organisation=organisation)
    return first, second


def shown_everywhere(client, organisation) -> dict[str, bool]:
    """Where the organisation appears now (its name, its slug or its country)."""
    listing = body(client, "/organisations/")
    found = body(client, "/organisations/?q=Togoische")
    return {
        "list": organisation.name in listing,
        "country facet": bool(re.search(r'<option value="TG"[^>]*>', listing)),
        "search": organisation.name in found,
        "page": client.get(f"/organisations/{organisation.slug}/").status_code == 200,
        "statistics": "Togo" in body(client, "/organisations/statistics/"),
        "csv": organisation.name in body(client, "/organisations.csv"),
        "json": organisation.name
        in {o["name"] for o in json.loads(body(client, "/organisations.json"))["organisations"]},
        "sitemap": organisation.slug in body(client, "/sitemap-organisations.xml"),
    }


def withdraw(organisation):
    consent_withdraw(consent=PublicationConsent.objects.get(organisation=organisation), by=None)


def delete_consent(organisation):
    PublicationConsent.objects.filter(organisation=organisation).delete()


def delete_organisation(organisation):
    organisation.delete()


@pytest.mark.parametrize(
    "change", [withdraw, delete_consent, delete_organisation], ids=lambda f: f.__name__
)
def test_an_unpublished_organisation_is_gone_from_every_surface_at_once(
    client, pair, change, django_capture_on_commit_callbacks
):
    first, second = pair
    assert all(shown_everywhere(client, first).values())

    with django_capture_on_commit_callbacks(execute=True):
        change(first)

    assert not any(shown_everywhere(client, first).values()), shown_everywhere(client, first)
    assert second.name in body(client, "/organisations/")  # the other one stays


def test_a_renamed_organisation_is_found_under_its_new_name_at_once(client, pair):
    first, _second = pair
    first.name = "Togoisch-Deutsche Gemeinde Rheinhausen e. V."
    first.save()

    assert first.name in body(client, "/organisations/?q=Rheinhausen")
    assert "Togoische Gemeinde Duisburg" not in body(client, "/organisations.csv")


def test_a_new_field_of_action_is_counted_and_searchable_at_once(client, pair):
    _first, second = pair
    climate = FieldOfActionFactory(slug="klima", name_de="Klimawandel und Umwelt")
    second.fields_of_action.add(climate)

    listing = body(client, "/organisations/?field=klima")
    assert second.name in listing
    assert re.search(r'<option value="klima"[^>]*>[^<]*\(1\)</option>', listing)
    assert second.name in body(client, "/organisations/?q=Klima")


@pytest.mark.parametrize("number", ["999999", "0", "-3"])
def test_a_page_past_the_end_says_so_without_reading_rows(client, pair, number):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        page = body(client, f"/organisations/?scope=international&page={number}")

    note = re.search(r'id="beyond-the-last-page">(.*?)</p>', page, re.S).group(1)
    assert "Die Liste hat 1 Seite" in note and "page=1" in note and "scope=international" in note
    assert not any("OFFSET" in q["sql"] for q in context.captured_queries)
    assert "Togoische Gemeinde" not in page.split('id="results-title"')[1]


def test_a_page_number_that_is_no_number_shows_the_first_page(client, pair):
    first, _second = pair
    assert first.name in body(client, "/organisations/?page=zwei")


# --- the cache, as production runs it (committed changes, no test transaction) ----------


def withdraw_by_update(organisation):
    """A bulk update: no signal, no service; the database's triggers must see it."""
    from django.utils import timezone

    PublicationConsent.objects.filter(organisation=organisation).update(withdrawn_at=timezone.now())


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize(
    "change",
    [withdraw, withdraw_by_update, delete_consent, delete_organisation],
    ids=lambda f: f.__name__,
)
def test_the_cached_directory_follows_every_committed_change(client, pair, change, count_queries):
    first, second = pair
    assert all(shown_everywhere(client, first).values())
    # The second visit is served from the cache: it reads no organisation and no count.
    cold = count_queries.get(client, "/organisations/?q=Togoische&scope=international")
    warm = count_queries.get(client, "/organisations/?q=Togoische&scope=international")
    assert warm < cold

    change(first)

    assert not any(shown_everywhere(client, first).values()), shown_everywhere(client, first)
    assert second.name in body(client, "/organisations/")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_cached_list_shows_a_name_changed_by_a_bulk_update(client, pair):
    from actors.models import Organisation

    first, _second = pair
    assert first.name in body(client, "/organisations/").split('id="results-title"')[1]
    Organisation.objects.filter(pk=first.pk).update(name="Umbenannt e. V.")
    results = body(client, "/organisations/").split('id="results-title"')[1]
    assert "Umbenannt e. V." in results and first.name not in results


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_cached_facet_count_follows_a_new_field_and_a_new_consent(client, pair, town):
    _first, second = pair
    body(client, "/organisations/?field=klima")  # cached: nothing in the field yet
    climate = FieldOfActionFactory(slug="klima", name_de="Klimawandel und Umwelt")
    second.fields_of_action.add(climate)
    listing = body(client, "/organisations/?field=klima")
    assert re.search(r'<option value="klima"[^>]*>[^<]*\(1\)</option>', listing)

    third = OrganisationFactory(name="Kamerunischer Umweltverein e. V.", municipality=town)
    third.fields_of_action.add(climate)
    assert third.name not in body(client, "/organisations/?field=klima")  # no consent yet
    PublicationConsentFactory(organisation=third)
    listing = body(client, "/organisations/?field=klima")
    assert third.name in listing.split('id="results-title"')[1]
    assert re.search(r'<option value="klima"[^>]*>[^<]*\(2\)</option>', listing)
