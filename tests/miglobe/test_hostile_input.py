"""Hostile bytes in a request answer 400 with a page that says why, never 500."""

import pytest
from django.urls import reverse

from tests.core.factories import StaffFactory
from tests.events.factories import EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client, log_in):
    return log_in(client, StaffFactory(email="root@example.org"))


def assert_refused(response):
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="bad-request"' in page and "Nullzeichen" in page


def test_a_nul_byte_in_the_check_in_search_answers_400(superuser_client):
    event = EventFactory()
    assert_refused(superuser_client.get(f"/events/{event.pk}/checkin/", {"q": "Ami\x00nata"}))


def test_a_nul_byte_in_the_suggestion_prefill_answers_400(client):
    assert_refused(client.get("/organisations/suggest/", {"organisation": "verein\x00"}))


def test_a_nul_byte_in_an_admin_list_filter_answers_400(superuser_client):
    url = reverse("admin:engagements_consultationrequest_changelist")
    assert_refused(superuser_client.get(url, {"status": "\x00"}))
    assert_refused(superuser_client.get(url, {"q\x00": "x"}))


def test_a_nul_byte_in_a_posted_form_answers_400_and_saves_nothing(client):
    from actors.models import OrganisationSuggestion

    response = client.post("/organisations/suggest/", {"name": "Verein\x00", "email": "a@b.de"})
    assert_refused(response)
    assert not OrganisationSuggestion.objects.exists()


def test_the_refusal_speaks_the_visitors_language(client):
    client.cookies["django_language"] = "en"
    response = client.get("/organisations/", {"q": "\x00"})
    assert response.status_code == 400
    assert "null character" in response.content.decode()


@pytest.mark.parametrize("query", [b"q=%FF%FE", b"q=%C3%28", b"page=%80"])
def test_invalid_utf8_in_a_query_is_no_error(client, query):
    response = client.get("/organisations/?" + query.decode("ascii"))
    assert response.status_code in (200, 400)
