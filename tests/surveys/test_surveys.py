"""Surveys: invitations and one reminder, answering by link, results, and what answers send on."""

import datetime
import io
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from actors.enums import ConsentChannel
from actors.models import OrganisationSuggestion, PublicationConsent
from actors.services import suggestion_approve
from core.retention import forget_old_personal_data
from surveys.enums import OpenCheck, ResponseStatus
from surveys.models import Invitation, MeetingInvitation, Response
from surveys.services import (
    AnswerData,
    SurveyError,
    answer_token,
    invitations_send,
    invite_to_event,
    open_check_decide,
    reminders_send,
    response_save,
    results,
)
from tests.actors.factories import (
    ContactPersonFactory,
    FieldOfActionFactory,
    OrganisationFactory,
    ResearchFindingFactory,
)
from tests.advisors.factories import AdvisorFactory
from tests.core.factories import StaffMemberFactory, UserFactory
from tests.engagements.factories import (
    EngagementAdvisorFactory,
    EngagementFactory,
    MunicipalityFactory,
)
from tests.events.factories import EventFactory
from tests.surveys.factories import (
    InvitationFactory,
    OptOutFactory,
    QuestionFactory,
    ResponseFactory,
    SurveyFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def town(db):
    return MunicipalityFactory(name="Duisburg", federal_state="NW")


@pytest.fixture
def survey(town):
    return SurveyFactory(municipality=town, title="Befragung Duisburg")


@pytest.fixture
def team(db):
    return StaffMemberFactory(email="team@skew.example.org", groups=["SKEW-Team"])


def send(survey, capture):
    with capture(execute=True):
        return invitations_send(survey=survey)


def answer_path(message) -> str:
    return re.search(r"https?://[^\s]+?(/surveys/answer/[^\s]+/)", message.body)[1]


def payload(**changes) -> dict:
    data = {
        "name": "Ghanaische Union Duisburg e. V.",
        "kind": "migrant_org",
        "town": "Duisburg",
        "website": "https://ghana-union.example.org/",
        "scope": "international",
        "countries_of_origin": ["GH"],
        "countries_of_activity": ["GH"],
        "activities": "Schulprojekte in Kumasi, Bildungsarbeit in Duisburger Schulen.",
        "members": "45",
        "networking": "on",
        "publish": "on",
        "publish_what": ["description", "countries"],
        "respondent_name": "Ama Owusu",
        "respondent_email": "ama@ghana-union.example.org",
        "action": "submit",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_invitations_go_to_known_organisations_once_and_never_to_those_who_opted_out(
    survey, town, django_capture_on_commit_callbacks
):
    with_address = OrganisationFactory(municipality=town, email="info@verein-a.example.org")
    by_contact = OrganisationFactory(municipality=town, email="")
    ContactPersonFactory(organisation=by_contact, email="vorstand@verein-b.example.org")
    OrganisationFactory(municipality=town, email="")  # no address at all
    elsewhere = OrganisationFactory(email="info@woanders.example.org")
    ResearchFindingFactory(organisation=elsewhere, engagement=EngagementFactory(municipality=town))
    opted = OrganisationFactory(municipality=town, email="nein@verein-c.example.org")
    OptOutFactory(email=opted.email)

    assert send(survey, django_capture_on_commit_callbacks) == 3
    assert send(survey, django_capture_on_commit_callbacks) == 0  # each address once

    assert sorted(m.to[0] for m in mail.outbox) == [
        "info@verein-a.example.org",
        "info@woanders.example.org",
        "vorstand@verein-b.example.org",
    ]
    # The answer starts from what the directory knows: to correct, not to retype.
    response = Invitation.objects.get(email="info@verein-a.example.org").response
    assert response.name == with_address.name and response.scope == with_address.scope


def test_an_organisation_answers_saves_continues_and_a_second_send_updates_the_first(
    client, survey, town, django_capture_on_commit_callbacks
):
    OrganisationFactory(municipality=town, email="info@ghana-union.example.org")
    send(survey, django_capture_on_commit_callbacks)
    path = answer_path(mail.outbox[0])

    page = client.get(path).content.decode()
    assert "Das dauert etwa 10 Minuten" in page
    client.post(path, payload(action="save", activities="Noch nicht fertig."))
    response = Response.objects.get()
    assert (response.status, response.activities) == (ResponseStatus.DRAFT, "Noch nicht fertig.")

    with django_capture_on_commit_callbacks(execute=True):
        client.post(path, payload())
        client.post(path, payload(members="50"))

    response.refresh_from_db()
    assert response.status == ResponseStatus.SUBMITTED and response.members == 50
    assert Response.objects.count() == 1
    assert results(survey).answered == 1
    # One proposal in the moderation queue, brought up to date by the second sending.
    assert OrganisationSuggestion.objects.count() == 1


def test_what_was_agreed_and_nothing_else_reaches_the_directory(
    client, survey, town, team, django_capture_on_commit_callbacks
):
    OrganisationFactory(municipality=town, email="info@ghana-union.example.org",
                        description="Alte Beschreibung")  # fmt: skip
    send(survey, django_capture_on_commit_callbacks)
    path = answer_path(mail.outbox[0])
    client.post(path, payload(action="save"))
    preview = re.search(r'id="preview">(.*?)</section>', client.get(path).content.decode(), re.S)
    assert "Schulprojekte in Kumasi" in preview.group(1)
    assert "ghana-union.example.org/" not in preview.group(1)  # the website was not agreed

    with django_capture_on_commit_callbacks(execute=True):
        client.post(path, payload())
    suggestion = OrganisationSuggestion.objects.get()
    assert suggestion.website == "" and "Kumasi" in suggestion.description
    assert suggestion.channel == ConsentChannel.SURVEY
    organisation = suggestion_approve(suggestion=suggestion, by=team)

    consent = PublicationConsent.objects.get(organisation=organisation)
    assert consent.channel == ConsentChannel.SURVEY
    assert consent.source == "Befragung „Befragung Duisburg“"
    assert consent.wording == survey.wording and consent.given_by == "Ama Owusu"
    assert organisation.website == "" and "Kumasi" in organisation.description


def test_without_consent_nothing_is_proposed(
    client, survey, town, django_capture_on_commit_callbacks
):
    OrganisationFactory(municipality=town, email="info@verein.example.org")
    send(survey, django_capture_on_commit_callbacks)
    client.post(answer_path(mail.outbox[0]), payload(publish=None))

    assert Response.objects.get().status == ResponseStatus.SUBMITTED
    assert not OrganisationSuggestion.objects.exists()


def test_open_link_answers_count_only_after_skews_check(
    client, survey, team, django_capture_on_commit_callbacks
):
    start = client.post(reverse("surveys:open", args=[survey.open_key]))
    path = start["Location"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(path, payload())
    response = Response.objects.get()

    assert response.open_check == OpenCheck.PENDING
    assert results(survey).answered == 0 and results(survey).pending_checks == 1
    assert not OrganisationSuggestion.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        open_check_decide(response=response, accept=True, by=team)
    assert results(survey).answered == 1
    assert OrganisationSuggestion.objects.count() == 1


def test_the_open_link_is_rate_limited_and_bots_get_nothing(client, survey, settings):
    settings.MIGLOBE_REGISTRATION_RATE = "2/m"
    url = reverse("surveys:open", args=[survey.open_key])
    client.post(url, {"homepage": "http://spam.example"})
    assert not Response.objects.exists()
    client.post(url)
    client.post(url)
    limited = client.post(url)
    assert limited.status_code == 429
    assert Response.objects.count() == 1


def test_one_reminder_a_week_before_the_end_to_those_who_have_not_answered(
    survey, town, django_capture_on_commit_callbacks
):
    for name in ("a", "b", "c"):
        OrganisationFactory(municipality=town, email=f"info@{name}.example.org")
    send(survey, django_capture_on_commit_callbacks)
    answered = Invitation.objects.get(email="info@a.example.org").response
    answered.status = ResponseStatus.SUBMITTED
    answered.save()
    OptOutFactory(email="info@c.example.org")
    mail.outbox.clear()

    early = survey.closes_on - datetime.timedelta(days=8)
    due = survey.closes_on - datetime.timedelta(days=7)
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_send(early) == 0
        assert reminders_send(due) == 1
        assert reminders_send(due) == 0  # once

    assert [m.to for m in mail.outbox] == [["info@b.example.org"]]
    assert "Erinnerung" in mail.outbox[0].subject


def test_an_opt_out_is_honoured_for_every_later_survey(
    client, survey, town, django_capture_on_commit_callbacks
):
    OrganisationFactory(municipality=town, email="info@verein.example.org")
    send(survey, django_capture_on_commit_callbacks)
    link = re.search(r"https?://[^\s]+?(/surveys/opt-out/[^\s]+/)", mail.outbox[0].body)[1]
    assert client.get(link).status_code == 200
    client.post(link)

    later = SurveyFactory(municipality=town)
    assert send(later, django_capture_on_commit_callbacks) == 0


def test_links_that_are_tampered_with_or_too_late_explain_themselves(client, survey):
    response = ResponseFactory(survey=survey)
    token = answer_token(response)

    tampered = client.get(reverse("surveys:answer", args=[token[:-3] + "abc"]))
    assert tampered.status_code == 404
    assert "unvollständig" in re.search(r'id="link-problem">(.*?)</p>',
                                        tampered.content.decode()).group(1)  # fmt: skip
    survey.closes_on = timezone.localdate() - datetime.timedelta(days=1)
    survey.opens_on = survey.closes_on - datetime.timedelta(days=20)
    survey.save()
    late = client.post(reverse("surveys:answer", args=[token]), payload())
    assert late.status_code == 410
    assert "zu Ende gegangen" in late.content.decode()
    response.refresh_from_db()
    assert response.status == ResponseStatus.DRAFT


def test_a_required_question_left_open_refuses_the_sending(survey):
    question = QuestionFactory(survey=survey, required=True, text="Was wünschen Sie sich?")
    response = ResponseFactory(survey=survey)

    with pytest.raises(SurveyError, match="Bitte beantworten Sie diese Frage"):
        response_save(response=response, data=AnswerData(fields={}), submit=True)
    answered = AnswerData(fields={}, answers={str(question.pk): "Mehr Räume"})
    response_save(response=response, data=answered, submit=True)

    response.refresh_from_db()
    assert response.answers == {str(question.pk): "Mehr Räume"}


def test_results_show_the_shares_and_free_answers_only_to_skew(client, log_in, survey, team):
    education = FieldOfActionFactory(slug="bildungsarbeit", name_de="Bildungsarbeit")
    question = QuestionFactory(survey=survey, text="Was wünschen Sie sich von der Stadt?")
    rows = [("international", [education], "Räume"), ("local", [], "Geld"),
            ("local", [education], "Kontakte"), ("regional", [], "")]  # fmt: skip
    for scope, fields, wish in rows:
        response = ResponseFactory(survey=survey, scope=scope, status="submitted",
                                   answers={str(question.pk): wish} if wish else {})  # fmt: skip
        response.fields_of_action.set(fields)
    advisor = AdvisorFactory(user=UserFactory(email="advisor@example.org"))
    engagement = EngagementFactory(municipality=survey.municipality)
    EngagementAdvisorFactory(engagement=engagement, advisor=advisor, slot=1)
    survey.engagement = engagement
    survey.save()

    found = results(survey)
    assert (found.stats.international.percent, found.stats.local.percent) == (25.0, 50.0)
    assert found.stats.with_field.percent == 50.0
    log_in(client, team)
    staff_page = client.get(reverse("surveys:detail", args=[survey.pk])).content.decode()
    assert re.search(r'id="figure-local">50', staff_page)
    assert "Kontakte" in staff_page
    workbook = load_workbook(
        io.BytesIO(client.get(reverse("surveys:xlsx", args=[survey.pk])).content)
    )
    assert workbook.active.max_row == 5
    client.force_login(advisor.user)
    advisor_page = client.get(reverse("surveys:detail", args=[survey.pk])).content.decode()
    assert re.search(r'id="figure-local">50', advisor_page) and "Kontakte" not in advisor_page


def test_an_advisor_sees_only_the_surveys_of_their_engagements(client, survey):
    stranger = AdvisorFactory(user=UserFactory(email="fremd@example.org"))
    EngagementAdvisorFactory(advisor=stranger, slot=1)
    survey.engagement = EngagementFactory(municipality=survey.municipality)
    survey.save()
    client.force_login(stranger.user)

    assert client.get(reverse("surveys:detail", args=[survey.pk])).status_code == 404
    assert client.post(reverse("surveys:invite", args=[survey.pk])).status_code == 404
    assert not Invitation.objects.exists()


def test_an_advisor_creates_a_survey_for_their_municipality(client):
    from tests.actors.factories import ConsentWordingFactory

    ConsentWordingFactory()
    advisor = AdvisorFactory(user=UserFactory(email="advisor@example.org"))
    engagement = EngagementFactory()
    EngagementAdvisorFactory(engagement=engagement, advisor=advisor, slot=1)
    client.force_login(advisor.user)
    url = reverse("surveys:create", args=[engagement.pk])
    start = timezone.localdate()
    data = {
        "title": "Wer engagiert sich in Witten?", "introduction": "Kurze Befragung.",
        "opens_on": start.isoformat(),
        "closes_on": (start + datetime.timedelta(days=28)).isoformat(),
        "minutes": "8", "q-TOTAL_FORMS": "3", "q-INITIAL_FORMS": "0",
        "q-0-text": "Welche Räume nutzen Sie?", "q-0-kind": "single",
        "q-0-choices": "eigene\ngemietet\nkeine",
    }  # fmt: skip

    response = client.post(url, data)

    survey = engagement.surveys.get()
    assert response["Location"] == reverse("surveys:detail", args=[survey.pk])
    assert survey.municipality == engagement.municipality
    assert [q.choice_list() for q in survey.questions.all()] == [["eigene", "gemietet", "keine"]]
    bad = client.post(url, {**data, "closes_on": (start - datetime.timedelta(days=1)).isoformat()})
    assert bad.status_code == 400 and engagement.surveys.count() == 1


def test_respondents_are_invited_to_the_meeting_once(survey, django_capture_on_commit_callbacks):
    meeting = EventFactory(municipality=survey.municipality,
                           starts_at=timezone.now() + datetime.timedelta(days=20))  # fmt: skip
    ResponseFactory(survey=survey, status="submitted", networking=True,
                    respondent_email="ja@verein.example.org")  # fmt: skip
    ResponseFactory(survey=survey, status="submitted", networking=False,
                    respondent_email="nein@verein.example.org")  # fmt: skip

    with django_capture_on_commit_callbacks(execute=True):
        assert invite_to_event(survey=survey, event=meeting, only_interested=True) == 1
        assert invite_to_event(survey=survey, event=meeting, only_interested=False) == 1
        assert invite_to_event(survey=survey, event=meeting, only_interested=False) == 0

    assert sorted(m.to[0] for m in mail.outbox) == [
        "ja@verein.example.org",
        "nein@verein.example.org",
    ]
    assert f"/events/{meeting.pk}/register/" in mail.outbox[0].body
    assert MeetingInvitation.objects.count() == 2
    elsewhere = EventFactory(starts_at=timezone.now() + datetime.timedelta(days=20))
    with pytest.raises(SurveyError, match="anderen Kommune"):
        invite_to_event(survey=survey, event=elsewhere, only_interested=False)


def test_the_people_behind_old_answers_are_forgotten_and_the_figures_stay(settings, survey):
    settings.MIGLOBE_PERSONAL_DATA_RETENTION_DAYS = 30
    survey.opens_on = timezone.localdate() - datetime.timedelta(days=90)
    survey.closes_on = timezone.localdate() - datetime.timedelta(days=60)
    survey.save()
    invitation = InvitationFactory(survey=survey, email="info@verein.example.org")
    ResponseFactory(survey=survey, invitation=invitation, status="submitted",
                    scope="international", respondent_name="Ama Owusu",
                    respondent_email="ama@verein.example.org")  # fmt: skip
    recent = SurveyFactory(municipality=survey.municipality)
    kept = ResponseFactory(survey=recent, respondent_name="Kojo Mensah")

    forget_old_personal_data()

    answer = Response.objects.get(survey=survey)
    assert (answer.respondent_name, answer.respondent_email) == ("", "")
    assert "verein.example.org" not in Invitation.objects.get(pk=invitation.pk).email
    assert results(survey).stats.international.count == 1  # the figures stay
    assert Response.objects.get(pk=kept.pk).respondent_name == "Kojo Mensah"


def test_a_correction_shows_as_a_difference_to_what_is_published(
    client, log_in, survey, town, team, django_capture_on_commit_callbacks
):
    OrganisationFactory(municipality=town, email="info@ghana-union.example.org",
                        scope="local", description="Kulturverein")  # fmt: skip
    send(survey, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(answer_path(mail.outbox[0]), payload())
    suggestion = OrganisationSuggestion.objects.get()
    log_in(client, team)

    page = client.get(
        reverse("admin:actors_organisationsuggestion_change", args=[suggestion.pk])
    ).content.decode()

    table = re.search(r'<table class="suggestion-difference">(.*?)</table>', page, re.S).group(1)
    scope = re.search(r'<tr class="(\w+)"><th scope="row">Wirkungsradius</th>(.*?)</tr>', table)
    assert scope.group(1) == "changed"
    assert "lokal" in scope.group(2) and "international" in scope.group(2)
    kind = re.search(r'<tr class="(\w+)"><th scope="row">Art</th>', table)
    assert kind.group(1) == "same"


def test_each_organisation_is_invited_in_its_language(
    survey, town, django_capture_on_commit_callbacks
):
    OrganisationFactory(municipality=town, email="info@diaspora.example.org", language="en")
    OrganisationFactory(municipality=town, email="info@verein.example.org")

    send(survey, django_capture_on_commit_callbacks)

    sent = {m.to[0]: m for m in mail.outbox}
    assert sent["info@diaspora.example.org"].body.startswith("Hello")
    assert sent["info@verein.example.org"].body.startswith("Guten Tag")
