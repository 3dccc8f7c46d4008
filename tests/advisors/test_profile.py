"""Advisors keep their own availability, languages and expertise up to date."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.actors.factories import FieldOfActionFactory
from tests.advisors.factories import LanguageFactory
from tests.engagements.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db

PROFILE = reverse("advisors:profile")


def form(**overrides):
    data = {
        "availability": "limited",
        "available_from": "",
        "home_municipality": "",
        "countries_of_origin": ["GH", "TG"],
        "languages": [],
        "expertise": [],
        "expertise_notes": "Fairer Handel, Schulpartnerschaften",
        "phone": "0151 000000",
        "email_language": "en",
    }
    data.update(overrides)
    return data


def test_the_advisor_updates_what_the_matching_reads(client, advisor):
    twi = LanguageFactory(code="tw", name_de="Twi")
    fair = FieldOfActionFactory(slug="fairer-handel", name_de="Fairer Handel")
    home = MunicipalityFactory(name="Stolberg")
    later = timezone.localdate() + datetime.timedelta(days=30)
    client.force_login(advisor.user)

    response = client.post(
        PROFILE,
        form(
            languages=[twi.pk],
            expertise=[fair.pk],
            home_municipality=home.pk,
            available_from=later.isoformat(),
        ),
        follow=True,
    )

    assert "Ihre Angaben sind gespeichert." in response.content.decode()
    advisor.refresh_from_db()
    assert advisor.availability == "limited" and advisor.available_from == later
    assert list(advisor.languages.all()) == [twi]
    assert list(advisor.expertise.all()) == [fair]
    assert advisor.home_municipality == home
    assert [c.code for c in advisor.countries_of_origin] == ["GH", "TG"]
    assert advisor.user.language == "en"


def test_a_past_date_is_refused_next_to_the_field_and_nothing_typed_is_lost(client, advisor):
    client.force_login(advisor.user)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)

    response = client.post(PROFILE, form(available_from=yesterday.isoformat()))

    html = response.content.decode()
    assert response.context["form"].errors["available_from"]
    assert "Vergangenheit" in html
    assert "Fairer Handel, Schulpartnerschaften" in html  # what was typed stays
    advisor.refresh_from_db()
    assert advisor.availability == "available" and advisor.expertise_notes == ""


def test_only_advisors_have_a_profile_here(client, officer, staff):
    assert client.get(PROFILE).status_code == 302  # to the login
    client.force_login(officer)
    assert client.get(PROFILE).status_code == 404
    client.force_login(staff)
    assert client.get(PROFILE).status_code == 404


def test_the_profile_in_english(client, advisor):
    client.force_login(advisor.user)
    client.cookies["django_language"] = "en"
    html = client.get(PROFILE).content.decode()
    assert "My details" in html
    assert "Language of emails" in html
