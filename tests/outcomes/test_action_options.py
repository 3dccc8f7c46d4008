"""Action options: advisors draft, the municipality comments and decides, nobody else can."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from engagements.enums import EngagementStatus, RequestStatus
from outcomes.enums import Decision
from outcomes.models import ActionOption, ActionOptionComment
from outcomes.services import OptionError, option_save
from tests.actors.factories import OrganisationFactory, ResearchFindingFactory
from tests.advisors.factories import AdvisorFactory
from tests.core.factories import UserFactory
from tests.engagements.factories import (
    ConsultationRequestFactory,
    DepartmentFactory,
    EngagementAdvisorFactory,
    EngagementFactory,
    MunicipalOfficerFactory,
)
from tests.outcomes.factories import ActionOptionCommentFactory, ActionOptionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def engagement(municipality, officer, amara):
    engagement = EngagementFactory(
        municipality=municipality,
        status=EngagementStatus.ACTIVE,
        consultation_request=ConsultationRequestFactory(
            municipality=municipality, status=RequestStatus.ACCEPTED, created_by=officer.user
        ),
    )
    EngagementAdvisorFactory(engagement=engagement, advisor=amara, slot=1)
    return engagement


def advisor_page(engagement):
    return reverse("outcomes:advisor_options", args=[engagement.pk])


def officer_page(engagement):
    return reverse("outcomes:officer_options", args=[engagement.consultation_request_id])


def decision_shown(response, option) -> str:
    match = re.search(
        rf'<dd class="option__decision" id="option-{option.pk}-decision">(.*?)</dd>',
        response.content.decode(),
        re.S,
    )
    assert match, response.content.decode()[:3000]
    return " ".join(match.group(1).split())


def error_of(response, field_id: str) -> str:
    match = re.search(
        rf'<ul class="errorlist" id="{field_id}_error">(.*?)</ul>', response.content.decode(), re.S
    )
    assert match, response.content.decode()[:3000]
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


def test_an_advisor_drafts_an_option_and_the_municipality_hears_of_it(
    client, engagement, amara, municipality, django_capture_on_commit_callbacks
):
    department = DepartmentFactory(municipality=municipality, number="231", name="Integration")
    finding = ResearchFindingFactory(engagement=engagement, advisor=amara)
    client.force_login(amara.user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("outcomes:option_new", args=[engagement.pk]),
            {
                "title": "Migrantische Vereine im Integrationsrat hören",
                "description": "Der Integrationsrat lädt die Vereine zweimal im Jahr ein.",
                "department": department.pk,
                "effort": "low",
                "findings": [finding.pk],
                "organisations": [finding.organisation.pk],
            },
        )

    assert response.status_code == 302
    option = ActionOption.objects.get()
    assert (option.department, option.created_by) == (department, amara.user)
    assert list(option.findings.all()) == [finding]
    page = client.get(advisor_page(engagement)).content.decode()
    assert "Migrantische Vereine im Integrationsrat hören" in page
    [email] = mail.outbox
    assert email.to == ["officer@eschweiler.example.org"]
    assert officer_page(engagement) in email.body


def test_a_draft_without_a_title_is_refused_next_to_the_field_and_nothing_is_saved(
    client, engagement, amara
):
    client.force_login(amara.user)
    response = client.post(
        reverse("outcomes:option_new", args=[engagement.pk]),
        {"title": "", "description": "Etwas", "effort": "low"},
    )
    assert response.status_code == 400
    assert error_of(response, "id_title") == "Dieses Feld ist zwingend erforderlich."
    assert not ActionOption.objects.exists()


def test_an_option_builds_only_on_this_engagements_organisations_and_findings(
    engagement, amara, other_municipality
):
    elsewhere = OrganisationFactory(municipality=other_municipality)
    other_finding = ResearchFindingFactory()
    for extra in ({"organisations": [elsewhere]}, {"findings": [other_finding]}):
        with pytest.raises(OptionError, match="gehört nicht zu diesem Einsatz"):
            option_save(engagement=engagement, by=amara.user, title="T", description="D", **extra)
    assert not ActionOption.objects.exists()


def test_officer_and_advisor_comment_and_each_side_hears_of_the_other(
    client, engagement, officer, amara, django_capture_on_commit_callbacks
):
    option = ActionOptionFactory(engagement=engagement)
    client.force_login(officer.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("outcomes:comment", args=[option.pk]),
            {f"c{option.pk}-text": "Passt zu unserem Haushalt 2027."},
        )
    assert response.status_code == 302
    assert response["Location"].endswith(f"{officer_page(engagement)}#option-{option.pk}")
    assert [m.to for m in mail.outbox] == [["amara@example.org"]]

    client.force_login(amara.user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("outcomes:comment", args=[option.pk]),
            {f"c{option.pk}-text": "Dann planen wir die erste Sitzung im März."},
        )
    assert [m.to for m in mail.outbox][-1] == ["officer@eschweiler.example.org"]
    comments = client.get(advisor_page(engagement)).content.decode()
    block = re.search(rf'<ol class="comments" id="option-{option.pk}-comments">(.*?)</ol>',
                      comments, re.S).group(1)  # fmt: skip
    assert block.index("Haushalt 2027") < block.index("erste Sitzung im März")


def test_the_municipality_decides_and_not_pursued_needs_a_reason(client, engagement, officer):
    option = ActionOptionFactory(engagement=engagement)
    client.force_login(officer.user)
    decide = reverse("outcomes:decide", args=[option.pk])

    refused = client.post(decide, {f"d{option.pk}-decision": Decision.NOT_PURSUED})
    assert refused.status_code == 400
    assert "warum die Option nicht weiterverfolgt wird" in error_of(
        refused, f"id_d{option.pk}-reason"
    )
    option.refresh_from_db()
    assert option.decision == ""

    response = client.post(
        decide,
        {
            f"d{option.pk}-decision": Decision.NOT_PURSUED,
            f"d{option.pk}-reason": "Dafür fehlt 2027 das Personal.",
        },
        follow=True,
    )
    assert decision_shown(response, option) == (
        "nicht weiterverfolgt: Dafür fehlt 2027 das Personal."
    )
    option.refresh_from_db()
    assert (option.decided_by, option.decided_at.date()) == (officer.user, timezone.localdate())


def test_a_decided_option_stays_as_it_is_for_the_advisor(client, engagement, amara, officer):
    option = ActionOptionFactory(
        engagement=engagement, decision=Decision.ADOPTED, decided_at=timezone.now()
    )
    client.force_login(amara.user)
    response = client.post(
        reverse("outcomes:option_edit", args=[engagement.pk, option.pk]),
        {"title": "Anders", "description": "Anders", "effort": "high"},
    )
    assert response.status_code == 302
    option.refresh_from_db()
    assert option.title != "Anders"
    with pytest.raises(OptionError, match="schon entschieden"):
        option_save(engagement=engagement, by=amara.user, option=option, title="A", description="B")


def test_a_finished_engagements_options_are_fixed(client, engagement, officer):
    option = ActionOptionFactory(engagement=engagement)
    engagement.status = EngagementStatus.COMPLETED
    engagement.save()
    client.force_login(officer.user)

    page = client.get(officer_page(engagement))
    assert page.status_code == 200
    assert f'action="/options/{option.pk}/decide/"' not in page.content.decode()
    response = client.post(
        reverse("outcomes:decide", args=[option.pk]),
        {f"d{option.pk}-decision": Decision.ADOPTED},
    )
    assert response.status_code == 400
    refusal = re.search(
        r'<div class="form-errors" role="alert" id="options-refusal">(.*?)</div>',
        response.content.decode(),
        re.S,
    )
    assert refusal and "seine Handlungsoptionen stehen fest" in refusal.group(1)
    option.refresh_from_db()
    assert option.decision == ""


def test_outsiders_get_404(client, engagement, outsider, municipality, amara):
    option = ActionOptionFactory(engagement=engagement)
    unconfirmed = MunicipalOfficerFactory(municipality=municipality, confirmed_at=None)
    left = AdvisorFactory()
    EngagementAdvisorFactory(
        engagement=engagement, advisor=left, slot=2, left_on=datetime.date(2026, 11, 1)
    )
    for user in (outsider.user, unconfirmed.user, left.user, UserFactory()):
        client.force_login(user)
        assert client.get(officer_page(engagement)).status_code == 404, user
        assert client.get(advisor_page(engagement)).status_code == 404, user
        comment = client.post(
            reverse("outcomes:comment", args=[option.pk]), {f"c{option.pk}-text": "Hallo"}
        )
        assert comment.status_code == 404, user
        decide = client.post(
            reverse("outcomes:decide", args=[option.pk]),
            {f"d{option.pk}-decision": Decision.ADOPTED},
        )
        assert decide.status_code == 404, user
    # The advisor may comment, but deciding is the municipality's.
    client.force_login(amara.user)
    assert (
        client.post(
            reverse("outcomes:decide", args=[option.pk]), {f"d{option.pk}-decision": "adopted"}
        ).status_code
        == 404
    )
    assert not ActionOptionComment.objects.exists()
    option.refresh_from_db()
    assert option.decision == ""


def test_the_options_page_costs_the_same_queries_however_many_options(
    client, engagement, officer, count_queries
):
    ActionOptionCommentFactory(option=ActionOptionFactory(engagement=engagement))
    client.force_login(officer.user)
    few = count_queries.get(client, officer_page(engagement))
    for _ in range(4):
        option = ActionOptionFactory(engagement=engagement)
        option.organisations.add(OrganisationFactory())
        ActionOptionCommentFactory.create_batch(2, option=option)
    assert count_queries.get(client, officer_page(engagement)) == few
