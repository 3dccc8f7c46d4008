"""The officer's pages: who sees what, forms that keep what was typed, one thing per submit."""

import re
import uuid

import pytest
from django.core import mail
from django.urls import reverse

from engagements.enums import RequestStatus
from engagements.models import ConsultationRequest, Department
from tests.engagements.factories import ConsultationRequestFactory, DepartmentFactory

pytestmark = pytest.mark.django_db

LIST = reverse("engagements:request_list")
NEW = reverse("engagements:request_create")


def detail(obj):
    return reverse("engagements:request_detail", args=[obj.pk])


def form_data(**overrides):
    data = {
        "form_token": str(uuid.uuid4()),
        "goals": "Migrantische Akteure in die Eine-Welt-Arbeit einbinden.",
        "need": "Recherche der Akteure und ein Vernetzungstreffen.",
        "contact_name": "Petra Beispiel",
        "contact_email": "petra@eschweiler.example.org",
        "preferred_start": "2027-01-01",
        "preferred_end": "2027-06-30",
        "costs_confirmed": "on",
        "newdept-TOTAL_FORMS": "2",
        "newdept-INITIAL_FORMS": "0",
        "newdept-MIN_NUM_FORMS": "0",
        "newdept-MAX_NUM_FORMS": "10",
        "newdept-0-number": "",
        "newdept-0-name": "",
        "newdept-1-number": "",
        "newdept-1-name": "",
        "action": "draft",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# --- the permission cast ----------------------------------------------------------


def test_anonymous_visitor_is_sent_to_login(client, draft):
    for url in (LIST, NEW, detail(draft)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_officer_sees_own_municipality_requests_only(client, officer, colleague, outsider, draft):
    colleagues_request = ConsultationRequestFactory(
        municipality=officer.municipality, created_by=colleague.user
    )
    foreign = ConsultationRequestFactory(
        municipality=outsider.municipality, created_by=outsider.user
    )
    client.force_login(officer.user)
    response = client.get(LIST)
    assert response.status_code == 200
    assert detail(draft) in response.text
    assert detail(colleagues_request) in response.text
    assert detail(foreign) not in response.text


def test_colleague_with_rights_can_read_the_request(client, colleague, draft):
    client.force_login(colleague.user)
    response = client.get(detail(draft))
    assert response.status_code == 200
    assert draft.goals in response.text


def test_officer_cannot_see_other_municipality_request(client, outsider, draft):
    client.force_login(outsider.user)
    assert client.get(detail(draft)).status_code == 404
    assert client.get(reverse("engagements:request_edit", args=[draft.pk])).status_code == 404
    for name in ("request_submit", "request_withdraw", "request_message"):
        response = client.post(reverse(f"engagements:{name}", args=[draft.pk]), {"body": "x"})
        assert response.status_code == 404
    draft.refresh_from_db()
    assert draft.status == RequestStatus.DRAFT
    assert not draft.messages.exists()


def test_advisor_gets_404_on_request_pages(client, advisor_user, draft):
    client.force_login(advisor_user)
    assert client.get(LIST).status_code == 404
    assert client.get(NEW).status_code == 404
    assert client.get(detail(draft)).status_code == 404


def test_staff_can_read_any_request(client, staff, draft):
    client.force_login(staff)
    assert client.get(detail(draft)).status_code == 200
    assert client.get(LIST).status_code == 200


def test_withdrawn_and_declined_requests_stay_readable(client, officer, draft):
    declined = ConsultationRequestFactory(
        municipality=officer.municipality,
        created_by=officer.user,
        status=RequestStatus.DECLINED,
        decline_reason="Kein freier Platz im Pool",
    )
    draft.status = RequestStatus.WITHDRAWN
    draft.save()
    client.force_login(officer.user)
    assert "zurückgezogen" in client.get(detail(draft)).text
    response = client.get(detail(declined))
    assert response.status_code == 200
    assert "Kein freier Platz im Pool" in response.text


# --- the form ---------------------------------------------------------------------------


def test_officer_saves_a_draft_with_new_departments(client, officer, fields_of_action):
    existing = DepartmentFactory(municipality=officer.municipality, number="231")
    client.force_login(officer.user)
    response = client.post(
        NEW,
        form_data(
            departments=[existing.pk],
            topics=[fields_of_action[0].pk],
            **{"newdept-0-number": "501", "newdept-0-name": "Schule und Bildung"},
        ),
    )
    request_obj = ConsultationRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail(request_obj)
    assert request_obj.status == RequestStatus.DRAFT
    assert request_obj.municipality == officer.municipality
    assert sorted(request_obj.departments.values_list("number", flat=True)) == ["231", "501"]
    assert Department.objects.get(number="501").name == "Schule und Bildung"
    assert list(request_obj.topics.all()) == [fields_of_action[0]]


def test_bad_dates_keep_what_was_typed_and_say_why_next_to_the_field(client, officer):
    client.force_login(officer.user)
    response = client.post(NEW, form_data(preferred_start="2027-06-30", preferred_end="2027-01-01"))
    assert response.status_code == 200
    html = response.text
    assert "Das gewünschte Ende liegt vor dem gewünschten Beginn." in html
    assert 'id="id_preferred_end_error"' in html
    assert "Migrantische Akteure in die Eine-Welt-Arbeit einbinden." in html
    assert not ConsultationRequest.objects.exists()


def test_submitting_an_incomplete_request_saves_the_draft_and_marks_the_fields(client, officer):
    client.force_login(officer.user)
    response = client.post(NEW, form_data(action="submit", need="", costs_confirmed=None))
    assert response.status_code == 200
    assert "Bitte beschreiben Sie den Beratungsbedarf." in response.text
    assert 'id="id_need_error"' in response.text
    assert 'id="id_costs_confirmed_error"' in response.text
    request_obj = ConsultationRequest.objects.get()
    assert request_obj.status == RequestStatus.DRAFT
    assert request_obj.goals.startswith("Migrantische Akteure")


def test_complete_request_is_submitted_and_skew_emailed(
    client, officer, settings, django_capture_on_commit_callbacks
):
    settings.SKEW_TEAM_EMAIL = "team@skew.example.org"
    client.force_login(officer.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(NEW, form_data(action="submit"), follow=True)
    request_obj = ConsultationRequest.objects.get()
    assert request_obj.status == RequestStatus.SUBMITTED
    assert "Ihre Anfrage ist eingereicht" in response.text
    assert [e.to for e in mail.outbox] == [["team@skew.example.org"]]


def test_double_submit_creates_one_request(client, officer, django_capture_on_commit_callbacks):
    client.force_login(officer.user)
    data = form_data(action="submit")
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(NEW, data)
        second = client.post(NEW, data)
    assert ConsultationRequest.objects.count() == 1
    request_obj = ConsultationRequest.objects.get()
    assert first["Location"] == second["Location"] == detail(request_obj)
    assert request_obj.status_changes.filter(to_status=RequestStatus.SUBMITTED).count() == 1
    assert len(mail.outbox) == 1


def test_unconfirmed_officer_can_draft_but_not_submit(client, officer):
    officer.confirmed_at = None
    officer.save()
    client.force_login(officer.user)
    page = client.get(NEW)
    assert "noch nicht einreichen" in page.text
    assert 'value="submit"' not in page.text
    response = client.post(NEW, form_data(action="submit"), follow=True)
    request_obj = ConsultationRequest.objects.get()
    assert request_obj.status == RequestStatus.DRAFT
    assert "sobald die SKEW bestätigt hat" in response.text


def test_submitted_request_cannot_be_edited(client, officer, draft):
    draft.status = RequestStatus.SUBMITTED
    draft.save()
    client.force_login(officer.user)
    response = client.post(
        reverse("engagements:request_edit", args=[draft.pk]), form_data(goals="geändert")
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.goals != "geändert"


def test_officer_submits_and_withdraws_from_the_detail_page(client, officer, draft):
    client.force_login(officer.user)
    client.post(reverse("engagements:request_submit", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == RequestStatus.SUBMITTED
    client.post(reverse("engagements:request_withdraw", args=[draft.pk]), {"reason": "Später"})
    draft.refresh_from_db()
    assert draft.status == RequestStatus.WITHDRAWN
    response = client.get(detail(draft))
    assert "Später" in response.text


def test_message_thread(client, officer, draft, settings, django_capture_on_commit_callbacks):
    settings.SKEW_TEAM_EMAIL = "team@skew.example.org"
    client.force_login(officer.user)
    token = str(uuid.uuid4())
    url = reverse("engagements:request_message", args=[draft.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"body": "Ab wann wäre ein Einsatz möglich?", "form_token": token})
        client.post(url, {"body": "Ab wann wäre ein Einsatz möglich?", "form_token": token})
    assert draft.messages.count() == 1
    assert len(mail.outbox) == 1
    assert "Ab wann wäre ein Einsatz möglich?" in client.get(detail(draft)).text
    response = client.post(url, {"body": "", "form_token": str(uuid.uuid4())})
    assert response.status_code == 400
    assert 'id="id_body_error"' in response.text


# --- speed --------------------------------------------------------------------------------


def test_request_list_queries_do_not_grow_with_rows(client, officer, count_queries):
    client.force_login(officer.user)
    ConsultationRequestFactory(municipality=officer.municipality, created_by=officer.user)
    one = count_queries.get(client, LIST)
    ConsultationRequestFactory.create_batch(
        19, municipality=officer.municipality, created_by=officer.user
    )
    assert count_queries.get(client, LIST) == one


def test_request_detail_queries_do_not_grow_with_messages(client, officer, draft, count_queries):
    from tests.engagements.factories import RequestMessageFactory

    client.force_login(officer.user)
    RequestMessageFactory(consultation_request=draft)
    one = count_queries.get(client, detail(draft))
    RequestMessageFactory.create_batch(19, consultation_request=draft)
    assert count_queries.get(client, detail(draft)) == one


# --- following the engagement -------------------------------------------------------


@pytest.fixture
def accepted(officer, pool_member):
    """An accepted request of the officer's municipality, its engagement and what it holds."""
    import datetime

    from django.utils import timezone

    from tests.core.factories import UserFactory
    from tests.engagements.factories import (
        EngagementAdvisorFactory,
        EngagementFactory,
        MilestoneFactory,
    )
    from tests.events.factories import EventFactory

    request = ConsultationRequestFactory(
        municipality=officer.municipality, created_by=officer.user, status=RequestStatus.ACCEPTED
    )
    engagement = EngagementFactory(
        consultation_request=request,
        municipality=officer.municipality,
        title="MiGlobe in Eschweiler",
    )
    advisor = pool_member(user=UserFactory(name="Amina Beispiel", email="amina@example.org"))
    EngagementAdvisorFactory(engagement=engagement, advisor=advisor, slot=1)
    today = timezone.localdate()
    MilestoneFactory(
        engagement=engagement,
        title="Recherche der Akteure",
        due_on=today - datetime.timedelta(days=20),
        done_on=today - datetime.timedelta(days=25),
    )
    MilestoneFactory(
        engagement=engagement, title="Vernetzungstreffen", due_on=today - datetime.timedelta(2)
    )
    MilestoneFactory(
        engagement=engagement, title="Abschlussbericht", due_on=today + datetime.timedelta(90)
    )
    EventFactory(engagement=engagement, municipality=officer.municipality, title="Netzwerktreffen")
    return request


def test_the_officer_follows_the_engagement_of_an_accepted_request(client, officer, accepted):
    client.force_login(officer.user)

    page = client.get(detail(accepted)).content.decode()

    assert "Ihr Beratungseinsatz" in page
    assert "MiGlobe in Eschweiler" in page
    assert 'Amina Beispiel (<a href="mailto:amina@example.org">' in page
    rows = re.findall(r'<tr>\s*<th scope="row">([^<]+)</th>.*?</tr>', page, re.S)
    assert rows == ["Recherche der Akteure", "Vernetzungstreffen", "Abschlussbericht"]
    assert re.search(r"Recherche der Akteure</th>.*?erledigt am", page, re.S)
    assert re.search(r"Vernetzungstreffen</th>.*?überfällig", page, re.S)
    assert re.search(r"Abschlussbericht</th>.*?offen", page, re.S)
    assert "Netzwerktreffen" in page


def test_another_municipality_does_not_see_the_engagement(client, outsider, accepted):
    client.force_login(outsider.user)
    assert client.get(detail(accepted)).status_code == 404


def test_a_request_not_accepted_has_no_engagement_section(client, officer, draft):
    client.force_login(officer.user)
    assert "Ihr Beratungseinsatz" not in client.get(detail(draft)).content.decode()


def test_request_detail_queries_do_not_grow_with_milestones(
    client, officer, accepted, count_queries
):
    from tests.engagements.factories import MilestoneFactory

    client.force_login(officer.user)
    before = count_queries.get(client, detail(accepted))
    MilestoneFactory.create_batch(10, engagement=accepted.engagement)
    assert count_queries.get(client, detail(accepted)) == before


def test_an_unconfirmed_officer_sees_only_their_own_drafts(client, officer, accepted):
    from tests.core.factories import UserFactory
    from tests.engagements.factories import MunicipalOfficerFactory

    newcomer = MunicipalOfficerFactory(
        user=UserFactory(email="neu@eschweiler.example.org"),
        municipality=officer.municipality,
        confirmed_at=None,
    )
    own = ConsultationRequestFactory(municipality=officer.municipality, created_by=newcomer.user)
    client.force_login(newcomer.user)

    # Whoever claims a municipality at sign-up does not read its correspondence or
    # its advisors' addresses before SKEW has confirmed them.
    assert client.get(detail(accepted)).status_code == 404
    assert client.get(detail(own)).status_code == 200
    listed = client.get(LIST).content.decode()
    assert detail(own) in listed and detail(accepted) not in listed


@pytest.fixture
def newcomer(officer):
    """Someone who signed up for the officer's municipality; SKEW has not confirmed them."""
    from tests.core.factories import UserFactory
    from tests.engagements.factories import MunicipalOfficerFactory

    return MunicipalOfficerFactory(
        user=UserFactory(email="neu@eschweiler.example.org"),
        municipality=officer.municipality,
        confirmed_at=None,
    )


def test_an_unconfirmed_officer_writes_no_messages(client, newcomer):
    own = ConsultationRequestFactory(municipality=newcomer.municipality, created_by=newcomer.user)
    client.force_login(newcomer.user)

    response = client.post(
        reverse("engagements:request_message", args=[own.pk]),
        {"body": "Bitte melden!", "form_token": str(uuid.uuid4())},
    )

    assert response.status_code == 400
    assert "sobald die SKEW" in " ".join(response.context["message_form"].errors["body"])
    assert own.messages.count() == 0
    assert mail.outbox == []


def test_confirmed_colleagues_do_not_see_an_unconfirmed_officers_drafts(client, officer, newcomer):
    theirs = ConsultationRequestFactory(municipality=officer.municipality, created_by=newcomer.user)
    client.force_login(officer.user)
    assert client.get(detail(theirs)).status_code == 404
    assert detail(theirs) not in client.get(LIST).content.decode()


def test_staff_read_the_engagement_as_the_engagement(client, staff, accepted):
    client.force_login(staff)
    page = client.get(detail(accepted)).content.decode()
    assert "Der Beratungseinsatz" in page and "Ihr Beratungseinsatz" not in page
