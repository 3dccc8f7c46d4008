"""SKEW's side in the admin: confirm officers, review, decline, match and accept."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from engagements.enums import RequestStatus
from engagements.models import Engagement, Municipality, MunicipalOfficer

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, staff, log_in):
    return log_in(client, staff)


def in_review(request_obj):
    request_obj.status = RequestStatus.IN_REVIEW
    request_obj.save()
    return request_obj


def test_officer_signs_up_and_skew_confirms(
    client, staff, municipality, settings, django_capture_on_commit_callbacks
):
    settings.SKEW_TEAM_EMAIL = "team@skew.example.org"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_signup"),
            {
                "email": "neu@eschweiler.example.org",
                "password1": "ein-langes-passwort-2027",
                "password2": "ein-langes-passwort-2027",
                "name": "Jana Neu",
                "municipality": municipality.pk,
                "role": "Koordination Eine Welt",
            },
        )
    assert response.status_code == 302
    officer = MunicipalOfficer.objects.get(user__email="neu@eschweiler.example.org")
    assert not officer.is_confirmed
    assert any(e.to == ["team@skew.example.org"] for e in mail.outbox)
    mail.outbox.clear()

    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:engagements_municipalofficer_changelist"),
            {"action": "confirm", "_selected_action": [officer.pk]},
        )
    officer.refresh_from_db()
    assert officer.is_confirmed
    assert officer.confirmed_by == staff
    [email] = mail.outbox
    assert email.to == ["neu@eschweiler.example.org"]
    assert "bestätigt" in email.subject


def test_signup_with_a_municipality_not_in_the_list(client):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "neu@kleinstadt.example.org",
            "password1": "ein-langes-passwort-2027",
            "password2": "ein-langes-passwort-2027",
            "name": "Jana Neu",
            "other_municipality": "Kleinstadt",
            "other_federal_state": "",
            "role": "Integrationsbeauftragte",
        },
    )
    assert response.status_code == 200
    assert "Bitte wählen Sie das Bundesland Ihrer Kommune." in response.text
    assert 'value="Kleinstadt"' in response.text


def municipality_options(page: str) -> set[str]:
    """The values offered by the page's municipality drop-down."""
    found = re.search(r'<select name="municipality".*?</select>', page, re.S)
    return set(re.findall(r'value="(\d+)"', found.group(0))) if found else set()


def test_a_municipality_named_at_sign_up_appears_nowhere_public_until_confirmed(
    staff_client, municipality, django_capture_on_commit_callbacks
):
    from tests.actors.factories import ConsentWordingFactory

    ConsentWordingFactory()  # the suggestion form is open only with a consent wording
    client = Client()  # a visitor; staff_client is logged in
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("account_signup"),
            {
                "email": "neu@kleinstadt.example.org",
                "password1": "ein-langes-passwort-2027",
                "password2": "ein-langes-passwort-2027",
                "name": "Jana Neu",
                "other_municipality": "  Kleinstadt ",
                "other_federal_state": "NW",
                "role": "Integrationsbeauftragte",
            },
        )
    town = Municipality.objects.get(name="Kleinstadt")
    assert not town.confirmed
    public_forms = [
        reverse("account_signup"),
        reverse("actors:suggest"),
        reverse("actors:organisation_list"),
        reverse("events:calendar"),
    ]
    for url in public_forms:
        options = municipality_options(client.get(url).content.decode())
        assert str(municipality.pk) in options or url == reverse("actors:organisation_list"), url
        assert str(town.pk) not in options, url

    # Confirming the officer confirms the municipality they speak for.
    officer = MunicipalOfficer.objects.get(user__email="neu@kleinstadt.example.org")
    staff_client.post(
        reverse("admin:engagements_municipalofficer_changelist"),
        {"action": "confirm", "_selected_action": [officer.pk]},
    )
    town.refresh_from_db()
    assert town.confirmed
    assert str(town.pk) in municipality_options(client.get(reverse("account_signup")).text)


def test_signing_up_for_a_known_municipality_by_name_uses_it(client, municipality):
    client.post(
        reverse("account_signup"),
        {
            "email": "neu@eschweiler.example.org",
            "password1": "ein-langes-passwort-2027",
            "password2": "ein-langes-passwort-2027",
            "name": "Jana Neu",
            "other_municipality": "eschweiler",
            "other_federal_state": municipality.federal_state,
            "role": "Integrationsbeauftragte",
        },
    )
    officer = MunicipalOfficer.objects.get(user__email="neu@eschweiler.example.org")
    assert officer.municipality == municipality
    assert Municipality.objects.count() == 1


def test_review_decline_with_reason(
    staff_client, draft, officer, django_capture_on_commit_callbacks
):
    draft.status = RequestStatus.SUBMITTED
    draft.save()
    staff_client.post(reverse("admin:engagements_consultationrequest_review", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == RequestStatus.IN_REVIEW
    url = reverse("admin:engagements_consultationrequest_decline", args=[draft.pk])
    response = staff_client.post(url, {"reason": ""})
    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.status == RequestStatus.IN_REVIEW
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(url, {"reason": "Kein Pool in Ihrem Bundesland."})
    draft.refresh_from_db()
    assert draft.status == RequestStatus.DECLINED
    assert "Kein Pool in Ihrem Bundesland." in mail.outbox[0].body


def test_match_page_ranks_the_pool_and_accepts(
    staff_client, draft, pool_member, municipality, django_capture_on_commit_callbacks
):
    from tests.engagements.test_matching import place

    near = pool_member(home_municipality=place("Aachen", "50.775346", "6.083887"))
    far = pool_member(home_municipality=place("Münster", "51.960665", "7.626135"))
    in_review(draft)
    url = reverse("admin:engagements_consultationrequest_match", args=[draft.pk])
    page = staff_client.get(url).content.decode()
    assert page.index(f'value="{near.pk}"') < page.index(f'value="{far.pk}"')
    assert "km von Aachen" in page

    # Staff may pick the lower-ranked advisor.
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            url, {"advisors": [far.pk], "starts_on": "2027-01-01", "ends_on": "2027-06-30"}
        )
    engagement = Engagement.objects.get(consultation_request=draft)
    assert response["Location"] == reverse(
        "admin:engagements_engagement_change", args=[engagement.pk]
    )
    assert list(engagement.advisors.all()) == [far]
    # A second accept (double click) changes nothing.
    staff_client.post(
        url, {"advisors": [near.pk], "starts_on": "2027-01-01", "ends_on": "2027-06-30"}
    )
    assert Engagement.objects.filter(consultation_request=draft).count() == 1
    assert list(Engagement.objects.get(consultation_request=draft).advisors.all()) == [far]


def test_accepting_three_advisors_is_refused_with_a_message(staff_client, draft, pool_member):
    people = [pool_member(), pool_member(), pool_member()]
    in_review(draft)
    url = reverse("admin:engagements_consultationrequest_match", args=[draft.pk])
    response = staff_client.post(
        url,
        {"advisors": [p.pk for p in people], "starts_on": "2027-01-01", "ends_on": "2027-06-30"},
    )
    assert response.status_code == 200
    assert "höchstens zwei" in response.content.decode()
    assert not Engagement.objects.exists()


@pytest.mark.parametrize("view", ["review", "decline", "match"])
def test_review_pages_are_closed_to_non_staff(client, officer, draft, view):
    url = reverse(f"admin:engagements_consultationrequest_{view}", args=[draft.pk])
    response = client.get(url)
    assert response.status_code == 302
    client.force_login(officer.user)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_change_page_offers_the_next_steps(staff_client, draft):
    draft.status = RequestStatus.SUBMITTED
    draft.save()
    url = reverse("admin:engagements_consultationrequest_change", args=[draft.pk])
    assert "In Prüfung nehmen" in staff_client.get(url).content.decode()
    in_review(draft)
    page = staff_client.get(url).content.decode()
    assert "Berater*innen auswählen und annehmen" in page
    assert "Ablehnen" in page


def test_the_request_change_page_costs_the_same_with_many_messages(
    staff_client, draft, count_queries
):
    from tests.core.factories import UserFactory
    from tests.engagements.factories import RequestMessageFactory, RequestStatusChangeFactory

    url = reverse("admin:engagements_consultationrequest_change", args=[draft.pk])

    def add(n: int) -> None:
        for _ in range(n):
            author = UserFactory()
            RequestMessageFactory(consultation_request=draft, author=author)
            RequestStatusChangeFactory(consultation_request=draft, changed_by=author)

    add(2)
    count_queries.get(staff_client, url)  # caches that do not depend on rows
    few = count_queries.get(staff_client, url)
    add(38)
    assert count_queries.get(staff_client, url) == few
