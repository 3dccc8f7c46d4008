"""Suggestions for the public directory: submit, moderate, publish, withdraw consent."""

import re
import time
import uuid
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone

from actors.enums import ConsentChannel, SuggestionStatus
from actors.forms import form_stamp
from actors.models import Organisation, OrganisationSuggestion, PublicationConsent
from actors.selectors import organisations_published
from actors.services import (
    consent_withdraw,
    consent_withdraw_token,
    suggestion_approve,
)
from tests.actors.factories import (
    ConsentWordingFactory,
    FieldOfActionFactory,
    OrganisationFactory,
    OrganisationSuggestionFactory,
    PublicationConsentFactory,
)
from tests.core.factories import StaffFactory
from tests.engagements.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db

SUGGEST = "/organisations/suggest/"
SUGGESTIONS_ADMIN = "admin:actors_organisationsuggestion_changelist"
PUBLIC_LISTS = [
    "/organisations/",
    "/organisations.csv",
    "/organisations.json",
    "/sitemap-organisations.xml",
]


@pytest.fixture
def ip():
    """A client address of its own: the rate-limit counter lives in the shared cache."""
    n = uuid.uuid4().int
    return f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"


@pytest.fixture
def wording():
    ConsentWordingFactory(
        version="2023-01",
        text_de="Alter Wortlaut.",
        valid_from=timezone.localdate() - timedelta(days=800),
    )
    ConsentWordingFactory(
        version="2099-01",
        text_de="Künftiger Wortlaut.",
        valid_from=timezone.localdate() + timedelta(days=30),
    )
    return ConsentWordingFactory(
        version="2025-03",
        text_de="Wir willigen ein, dass Name, Ort und Tätigkeit öffentlich gezeigt werden.",
        valid_from=timezone.localdate() - timedelta(days=10),
    )


@pytest.fixture
def bonn():
    return MunicipalityFactory(name="Bonn")


@pytest.fixture
def staff_client(client):
    client.force_login(StaffFactory(email="moderation@example.org"))
    return client


def form_data(wording, municipality, **overrides) -> dict:
    field = FieldOfActionFactory(slug="bildung", name_de="Entwicklungspolitische Bildung")
    data = {
        "name": "Ghanaischer Kulturverein Bonn e. V.",
        "kind": "migrant_org",
        "municipality": municipality.pk,
        "website": "https://ghana-bonn.example.org",
        "description": "Bildungsarbeit in Bonn und Schulprojekte in Ghana.",
        "scope": "regional",
        "fields_of_action": [field.pk],
        "countries_of_origin": ["GH"],
        "countries_of_activity": ["GH", "TG"],
        "submitter_name": "Ama Mensah",
        "submitter_email": "ama@example.org",
        "submitter_role": "Vorsitzende",
        "message": "Wir freuen uns auf den Eintrag.",
        "consent": "on",
        # Handed out ten seconds ago: a person filling in the form.
        "stamp": form_stamp(wording_id=wording.pk, issued_at=time.time() - 10),
        "homepage": "",
    }
    data.update(overrides)
    return data


def post(client, ip, data, url=SUGGEST):
    return client.post(url, data, REMOTE_ADDR=ip)


def public_pages_showing(client, organisation) -> list[str]:
    """The public pages (of those that exist yet) that show the organisation."""
    showing = []
    for path in PUBLIC_LISTS:
        try:
            resolve(path)
        except Resolver404:
            continue
        response = client.get(path)
        assert response.status_code == 200, path
        content = (
            b"".join(response.streaming_content) if response.streaming else response.content
        ).decode("utf-8")
        if organisation.name in content or organisation.slug in content:
            showing.append(path)
    detail = client.get(organisation.get_absolute_url())
    if detail.status_code == 200:
        showing.append("detail")
    else:
        assert detail.status_code == 404
    return showing


def link_in(message, pattern: str) -> str:
    match = re.search(pattern, message.body)
    assert match, message.body
    return match.group(0)


def test_form_shows_the_current_wording_in_full(client, wording, ip):
    response = client.get(SUGGEST, REMOTE_ADDR=ip)
    content = response.content.decode()
    assert response.status_code == 200
    assert wording.text_de in content
    assert "Version 2025-03" in content
    assert "Künftiger Wortlaut" not in content
    assert "Alter Wortlaut" not in content
    assert "Ich bin berechtigt, für die Organisation zu sprechen" in content
    # The honeypot is out of sight, out of the tab order and hidden from screen readers.
    assert re.search(r'aria-hidden="true"[^>]*>\s*<label for="id_homepage"', content) or (
        'class="visually-hidden" aria-hidden="true"' in content
    )
    assert re.search(r'<input[^>]*name="homepage"[^>]*tabindex="-1"', content)
    assert re.search(r'<input[^>]*name="homepage"[^>]*autocomplete="off"', content)


def test_suggestion_flow_from_form_to_withdrawal(
    client, staff_client, wording, bonn, ip, django_capture_on_commit_callbacks, settings
):
    settings.SKEW_TEAM_EMAIL = "team@skew.example.org"
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, ip, form_data(wording, bonn))
    assert response.status_code == 302
    assert client.get(response["Location"]).content.decode().count("Vielen Dank") >= 1

    suggestion = OrganisationSuggestion.objects.get()
    assert suggestion.status == SuggestionStatus.PENDING
    assert suggestion.wording == wording
    assert suggestion.consent_given_at is not None
    assert suggestion.organisation is None
    assert [f.slug for f in suggestion.fields_of_action.all()] == ["bildung"]
    assert [c.code for c in suggestion.countries_of_activity] == ["GH", "TG"]
    # Nothing is published yet.
    assert not Organisation.objects.exists()
    assert not organisations_published().exists()
    assert {tuple(m.to) for m in mail.outbox} == {("ama@example.org",), ("team@skew.example.org",)}
    to_submitter = next(m for m in mail.outbox if m.to == ["ama@example.org"])
    assert "Veröffentlicht wird erst" in to_submitter.body
    to_team = next(m for m in mail.outbox if m.to == ["team@skew.example.org"])
    assert "Ghanaischer Kulturverein Bonn" in to_team.subject
    mail.outbox.clear()

    # SKEW approves it in the admin.
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse(SUGGESTIONS_ADMIN),
            {"action": "approve", "_selected_action": [suggestion.pk]},
        )
    assert response.status_code == 302
    organisation = organisations_published().get()
    assert organisation.name == "Ghanaischer Kulturverein Bonn e. V."
    assert organisation.municipality == bonn
    assert organisation.scope == "regional"
    assert [f.slug for f in organisation.fields_of_action.all()] == ["bildung"]
    consent = PublicationConsent.objects.get(organisation=organisation)
    assert consent.wording == wording
    assert consent.given_by == "Ama Mensah"
    assert consent.given_at == suggestion.consent_given_at
    assert consent.channel == ConsentChannel.WEB_FORM
    assert consent.recorded_by.email == "moderation@example.org"
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.APPROVED
    assert suggestion.decided_by.email == "moderation@example.org"
    assert "detail" in public_pages_showing(client, organisation)

    (approved,) = mail.outbox
    assert approved.to == ["ama@example.org"]
    assert organisation.get_absolute_url() in approved.body
    withdraw_link = link_in(approved, r"https?://\S+/organisations/consent/\S+/withdraw/")
    withdraw_path = "/" + withdraw_link.split("/", 3)[3]

    # The organisation follows the link, confirms, and is gone from every public page.
    response = client.get(withdraw_path)
    assert response.status_code == 200
    assert "Einwilligung jetzt widerrufen" in response.content.decode()
    assert organisations_published().exists()
    response = client.post(withdraw_path)
    assert response.status_code == 200
    assert "Ihre Einwilligung ist widerrufen" in response.content.decode()
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    assert client.get(organisation.get_absolute_url()).status_code == 404
    assert public_pages_showing(client, organisation) == []


def test_correction_of_a_published_entry(
    client, staff_client, wording, bonn, ip, django_capture_on_commit_callbacks
):
    organisation = OrganisationFactory(
        name="Senegalesischer Verein Köln", slug="senegal-koeln", description="Alt."
    )
    old_consent = PublicationConsentFactory(organisation=organisation, given_by="Vorstand 2020")

    response = client.get(SUGGEST, {"organisation": "senegal-koeln"}, REMOTE_ADDR=ip)
    content = response.content.decode()
    assert response.status_code == 200
    assert 'value="Senegalesischer Verein Köln"' in content
    assert "Alt." in content

    data = form_data(
        wording,
        bonn,
        name="Senegalesischer Verein Köln",
        description="Neu: auch Fairer Handel.",
        submitter_name="Moussa Diop",
    )
    response = post(client, ip, data, url=f"{SUGGEST}?organisation=senegal-koeln")
    assert response.status_code == 302
    suggestion = OrganisationSuggestion.objects.get()
    assert suggestion.organisation == organisation
    # Still the old text in public until SKEW approves.
    organisation.refresh_from_db()
    assert organisation.description == "Alt."

    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(
            reverse(SUGGESTIONS_ADMIN),
            {"action": "approve", "_selected_action": [suggestion.pk]},
        )
    organisation.refresh_from_db()
    assert organisation.description == "Neu: auch Fairer Handel."
    assert organisation.slug == "senegal-koeln"
    assert organisation.municipality == bonn
    assert Organisation.objects.count() == 1
    # The existing active consent is kept; no second one is recorded.
    assert list(PublicationConsent.objects.all()) == [old_consent]
    page = client.get("/organisations/senegal-koeln/")
    assert page.status_code == 200
    assert "Neu: auch Fairer Handel." in page.content.decode()


def test_correction_of_an_unpublished_entry_is_not_found(client, wording, ip):
    OrganisationFactory(slug="nicht-oeffentlich")
    response = client.get(SUGGEST, {"organisation": "nicht-oeffentlich"}, REMOTE_ADDR=ip)
    assert response.status_code == 404


def test_correction_of_an_entry_whose_consent_was_withdrawn_records_a_new_consent(wording):
    organisation = OrganisationFactory()
    old = PublicationConsentFactory(organisation=organisation)
    suggestion = OrganisationSuggestionFactory(organisation=organisation, wording=wording)
    consent_withdraw(consent=old)
    suggestion_approve(suggestion=suggestion, by=StaffFactory())
    new = PublicationConsent.objects.active().get(organisation=organisation)
    assert new.given_by == suggestion.submitter_name
    assert new.wording == wording
    assert organisations_published().filter(pk=organisation.pk).exists()


def test_bad_input_gets_german_messages_and_keeps_what_was_typed(client, wording, bonn, ip):
    data = form_data(
        wording, bonn, name="", submitter_email="ama-at-example", website="kein url", consent=""
    )
    del data["consent"]
    response = post(client, ip, data)
    content = response.content.decode()
    assert response.status_code == 200
    assert "Bitte nennen Sie den Namen der Organisation." in content
    assert "Bitte geben Sie eine gültige E-Mail-Adresse an." in content
    assert "Ohne Ihre Einwilligung können wir den Eintrag nicht veröffentlichen." in content
    assert 'value="ama-at-example"' in content
    assert 'value="Ama Mensah"' in content
    assert "Bildungsarbeit in Bonn und Schulprojekte in Ghana." in content
    assert not OrganisationSuggestion.objects.exists()


def test_filled_honeypot_is_refused_without_saving(
    client, wording, bonn, ip, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, ip, form_data(wording, bonn, homepage="https://spam.example"))
    assert response.status_code == 400
    assert not OrganisationSuggestion.objects.exists()
    assert mail.outbox == []


def test_form_sent_within_seconds_is_refused(client, wording, bonn, ip, settings):
    settings.MIGLOBE_FORM_MIN_SECONDS = 3
    page = client.get(SUGGEST, REMOTE_ADDR=ip).content.decode()
    fresh_stamp = re.search(r'name="stamp" value="([^"]+)"', page).group(1)
    response = post(client, ip, form_data(wording, bonn, stamp=fresh_stamp))
    assert response.status_code == 400
    assert not OrganisationSuggestion.objects.exists()


def test_forged_or_missing_stamp_is_refused(client, wording, bonn, ip):
    good = form_data(wording, bonn)["stamp"]
    assert post(client, ip, form_data(wording, bonn, stamp=good + "x")).status_code == 400
    assert post(client, ip, form_data(wording, bonn, stamp="")).status_code == 400
    assert not OrganisationSuggestion.objects.exists()


def test_form_left_open_for_hours_asks_to_send_again_keeping_input(client, wording, bonn, ip):
    stale = form_stamp(wording_id=wording.pk, issued_at=time.time() - 8 * 3600)
    response = post(client, ip, form_data(wording, bonn, stamp=stale))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Das Formular war zu lange geöffnet." in content
    assert 'value="Ghanaischer Kulturverein Bonn e. V."' in content
    assert not OrganisationSuggestion.objects.exists()


def test_sixth_post_within_the_hour_is_rate_limited(client, wording, bonn, ip, settings):
    settings.MIGLOBE_SUGGESTION_RATE = "5/h"
    for _ in range(5):
        # Refused bots count as well: it is the posting that is limited.
        assert post(client, ip, {"stamp": "falsch"}).status_code == 400
    response = post(client, ip, form_data(wording, bonn))
    assert response.status_code == 429
    assert "Zu viele Vorschläge" in response.content.decode()
    assert not OrganisationSuggestion.objects.exists()
    # Reading the form and posting from elsewhere still work.
    assert client.get(SUGGEST, REMOTE_ADDR=ip).status_code == 200
    other = "192.0.2." + str(uuid.uuid4().int % 250 + 1)
    assert post(client, other, form_data(wording, bonn)).status_code == 302


def test_same_form_sent_twice_creates_one_suggestion(
    client, wording, bonn, ip, django_capture_on_commit_callbacks
):
    data = form_data(wording, bonn)
    with django_capture_on_commit_callbacks(execute=True):
        first = post(client, ip, data)
        second = post(client, ip, data)
    assert first.status_code == second.status_code == 302
    assert OrganisationSuggestion.objects.count() == 1
    assert len(mail.outbox) == 2  # one to the submitter, one to SKEW
    # A new form (new token) is a new suggestion.
    post(client, ip, form_data(wording, bonn))
    assert OrganisationSuggestion.objects.count() == 2


def test_approving_twice_publishes_once(wording, django_capture_on_commit_callbacks):
    staff = StaffFactory()
    suggestion = OrganisationSuggestionFactory(wording=wording, name="Eritreischer Verein")
    with django_capture_on_commit_callbacks(execute=True):
        first = suggestion_approve(suggestion=suggestion, by=staff)
        second = suggestion_approve(suggestion=suggestion, by=staff)
    assert first == second
    assert Organisation.objects.count() == 1
    assert PublicationConsent.objects.count() == 1
    assert len(mail.outbox) == 1


def test_new_entry_with_a_taken_name_gets_its_own_slug(wording):
    OrganisationFactory(name="Afrika-Forum", slug="afrika-forum")
    suggestion = OrganisationSuggestionFactory(wording=wording, name="Afrika-Forum")
    organisation = suggestion_approve(suggestion=suggestion, by=StaffFactory())
    assert organisation.slug == "afrika-forum-2"


def test_rejecting_in_the_admin_with_a_reason(
    staff_client, wording, django_capture_on_commit_callbacks
):
    suggestion = OrganisationSuggestionFactory(wording=wording, submitter_email="x@example.org")
    url = reverse(SUGGESTIONS_ADMIN)
    page = staff_client.post(url, {"action": "reject", "_selected_action": [suggestion.pk]})
    assert page.status_code == 200
    assert "Begründung" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            url,
            {
                "action": "reject",
                "_selected_action": [suggestion.pk],
                "confirm": "yes",
                "reason": "Die Organisation ist nicht entwicklungspolitisch tätig.",
            },
        )
    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.REJECTED
    assert not Organisation.objects.exists()
    (message,) = mail.outbox
    assert message.to == ["x@example.org"]
    assert "nicht entwicklungspolitisch tätig" in message.body


def test_tampered_withdrawal_link_is_not_found(client):
    consent = PublicationConsentFactory()
    token = consent_withdraw_token(consent)
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert client.get(f"/organisations/consent/{tampered}/withdraw/").status_code == 404
    assert client.post(f"/organisations/consent/{tampered}/withdraw/").status_code == 404
    assert client.get("/organisations/consent/1/withdraw/").status_code == 404
    consent.refresh_from_db()
    assert consent.withdrawn_at is None


def test_withdrawing_twice_keeps_the_first_date(django_capture_on_commit_callbacks):
    consent = PublicationConsentFactory()
    with django_capture_on_commit_callbacks(execute=True):
        first = consent_withdraw(consent=consent).withdrawn_at
        second = consent_withdraw(consent=consent).withdrawn_at
    assert first == second
    assert len(mail.outbox) == 1  # SKEW hears of it once


def test_admin_actions_withdraw_consent(staff_client, client):
    by_consent = PublicationConsentFactory()
    by_organisation = PublicationConsentFactory()
    staff_client.post(
        reverse("admin:actors_publicationconsent_changelist"),
        {"action": "withdraw_consents", "_selected_action": [by_consent.pk]},
    )
    staff_client.post(
        reverse("admin:actors_organisation_changelist"),
        {
            "action": "withdraw_organisation_consent",
            "_selected_action": [by_organisation.organisation_id],
        },
    )
    for consent in (by_consent, by_organisation):
        consent.refresh_from_db()
        assert consent.withdrawn_at is not None
        assert client.get(consent.organisation.get_absolute_url()).status_code == 404
    assert not organisations_published().exists()


def test_admin_action_emails_the_withdrawal_link(
    staff_client, client, django_capture_on_commit_callbacks
):
    consent = PublicationConsentFactory(organisation__email="verein@example.org")
    without_email = PublicationConsentFactory()
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(
            reverse("admin:actors_publicationconsent_changelist"),
            {"action": "send_withdraw_links", "_selected_action": [consent.pk, without_email.pk]},
        )
    (message,) = mail.outbox
    assert message.to == ["verein@example.org"]
    link = link_in(message, r"https?://\S+/organisations/consent/\S+/withdraw/")
    response = client.post("/" + link.split("/", 3)[3])
    assert "Ihre Einwilligung ist widerrufen" in response.content.decode()


def test_suggestion_changelist_renders_for_staff(staff_client):
    OrganisationSuggestionFactory(name="Vietnamesischer Verein Hamm")
    response = staff_client.get(
        reverse(SUGGESTIONS_ADMIN), {"status__exact": SuggestionStatus.PENDING}
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Vietnamesischer Verein Hamm" in content
    assert "Ausgewählte übernehmen und veröffentlichen" in content


@pytest.mark.parametrize(
    "language, shown, not_shown",
    [
        ("de", "Bosnien und Herzegowina", "Bosnia and Herzegovina"),
        ("en", "Bosnia and Herzegovina", "Bosnien und Herzegowina"),
    ],
)
def test_countries_are_named_in_the_visitors_language(client, wording, language, shown, not_shown):
    client.cookies["django_language"] = language
    html = client.get("/organisations/suggest/").content.decode()
    assert shown in html and not_shown not in html
