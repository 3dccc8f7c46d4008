"""The final report and completion: made from the engagement, confirmed by both sides."""

import datetime
import hashlib
import io
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from engagements.enums import EngagementStatus, RequestStatus
from events.enums import RegistrationStatus
from outcomes.enums import Decision
from outcomes.models import FinalReport
from outcomes.services import OptionError, final_report_confirm, final_report_generate
from tests.actors.factories import (
    OrganisationFactory,
    PublicationConsentFactory,
    ResearchFindingFactory,
)
from tests.advisors.factories import AdvisorFactory
from tests.engagements.factories import (
    ConsultationRequestFactory,
    EngagementAdvisorFactory,
    EngagementFactory,
    MilestoneFactory,
)
from tests.events.factories import EventFactory, RegistrationFactory
from tests.outcomes.factories import ActionOptionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def engagement(municipality, officer):
    engagement = EngagementFactory(
        title="Beratungseinsatz Eschweiler",
        municipality=municipality,
        status=EngagementStatus.ACTIVE,
        goals="Migrantische Organisationen in die Städtepartnerschaft einbinden.",
        council_submission="Vorlage 065/20",
        consultation_request=ConsultationRequestFactory(
            municipality=municipality, status=RequestStatus.ACCEPTED, created_by=officer.user
        ),
    )
    advisor = AdvisorFactory()
    EngagementAdvisorFactory(engagement=engagement, advisor=advisor)
    MilestoneFactory(engagement=engagement, title="Recherche der Akteure")
    listed = OrganisationFactory(name="Afrika-Forum Eschweiler e. V.", municipality=municipality)
    PublicationConsentFactory(organisation=listed)
    unlisted = OrganisationFactory(name="Verein ohne Einwilligung", municipality=municipality)
    for organisation in (listed, unlisted):
        ResearchFindingFactory(engagement=engagement, advisor=advisor, organisation=organisation)
    meeting = EventFactory(
        engagement=engagement, municipality=municipality, title="Vernetzungstreffen im Rathaus"
    )
    RegistrationFactory.create_batch(3, event=meeting, status=RegistrationStatus.CONFIRMED)
    RegistrationFactory(event=meeting, status=RegistrationStatus.CONFIRMED, attended=True)
    return engagement


def decided(engagement, **fields):
    return ActionOptionFactory(
        engagement=engagement,
        decision=Decision.ADOPTED,
        decided_at=timezone.now(),
        **fields,
    )


def pdf_text(payload: bytes) -> str:
    return " ".join(
        " ".join((page.extract_text() or "").split())
        for page in PdfReader(io.BytesIO(payload)).pages
    )


def steer(client, engagement, step):
    return client.post(
        reverse("admin:engagements_engagement_steer", args=[engagement.pk]),
        {"form": "status", "status-step": step},
    )


def test_completion_is_refused_with_what_is_missing(client, engagement, skew, log_in):
    log_in(client, skew)
    ActionOptionFactory(engagement=engagement, title="Offene Option")

    response = steer(client, engagement, "complete")

    assert response.status_code == 400
    errors = re.search(
        r'<div class="errornote" role="alert" id="status-errors">(.*?)</div>',
        response.content.decode(),
        re.S,
    ).group(1)
    assert "über 1 Handlungsoption hat die Kommune noch nicht entschieden" in errors
    assert "der Abschlussbericht fehlt" in errors
    engagement.refresh_from_db()
    assert engagement.status == EngagementStatus.ACTIVE


def test_from_decisions_to_a_confirmed_report_to_completion(
    client, engagement, officer, skew, log_in, django_capture_on_commit_callbacks
):
    option = decided(engagement, title="Vereine im Integrationsrat hören")
    log_in(client, skew)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:outcomes_finalreport_add"),
            {"engagement": engagement.pk, "language": "de"},
        )
    assert response.status_code == 302
    report = FinalReport.objects.get()
    assert report.version == 1
    assert [m.to for m in mail.outbox] == [["officer@eschweiler.example.org"]]

    # The officer reads it on the request's pages and confirms it.
    client.force_login(officer.user)
    url = reverse("outcomes:final_report", args=[engagement.consultation_request_id, 1])
    download = client.get(url)
    payload = b"".join(download.streaming_content)
    assert download["Content-Type"] == "application/pdf"
    assert hashlib.sha256(payload).hexdigest() == report.sha256
    text = pdf_text(payload)
    assert "Abschlussbericht: Beratungseinsatz Eschweiler" in text
    assert "Städtepartnerschaft" in text
    assert "Vernetzungstreffen im Rathaus" in text
    assert "Die Recherche fand 2 Organisationen." in text
    assert "Afrika-Forum Eschweiler e. V." in text
    assert "Verein ohne Einwilligung" not in text  # counted, never named
    assert f"{option.title}" in text and "beschlossen" in text
    assert "Vorlage 065/20" in text
    client.post(
        reverse("outcomes:final_report_confirm", args=[engagement.consultation_request_id, 1])
    )
    report.refresh_from_db()
    assert report.officer_confirmed_by == officer.user

    # SKEW confirms and completes.
    log_in(client, skew)
    client.post(
        reverse("admin:outcomes_finalreport_changelist"),
        {"action": "confirm_as_skew", "_selected_action": [report.pk]},
    )
    report.refresh_from_db()
    assert report.is_confirmed
    assert steer(client, engagement, "complete").status_code == 302
    engagement.refresh_from_db()
    assert engagement.status == EngagementStatus.COMPLETED
    with pytest.raises(OptionError, match="beendet"):
        final_report_generate(engagement=engagement, by=skew)


def test_a_decision_after_the_report_asks_for_a_new_version(engagement, officer, skew):
    decided(engagement)
    report = final_report_generate(engagement=engagement, by=skew)
    final_report_confirm(report=report, by=officer.user, as_skew=False)
    final_report_confirm(report=report, by=skew, as_skew=True)
    decided(engagement, title="Später entschieden")

    from engagements.lifecycle import EngagementError, engagement_complete

    with pytest.raises(EngagementError, match="älter als die letzte Entscheidung"):
        engagement_complete(engagement=engagement, by=skew)
    newer = final_report_generate(engagement=engagement, by=skew)
    assert newer.version == 2
    with pytest.raises(OptionError, match="neuere Version"):
        final_report_confirm(report=report, by=officer.user, as_skew=False)


def test_the_report_in_english(engagement, skew):
    decided(engagement)
    report = final_report_generate(engagement=engagement, by=skew, language="en")
    text = pdf_text(report.pdf.read())
    assert "Final report: Beratungseinsatz Eschweiler" in text
    assert "adopted" in text


def test_other_municipalities_and_advisors_cannot_reach_the_report(
    client, engagement, outsider, skew
):
    decided(engagement)
    final_report_generate(engagement=engagement, by=skew)
    url = reverse("outcomes:final_report", args=[engagement.consultation_request_id, 1])
    for user in (outsider.user, engagement.assignments.first().advisor.user):
        client.force_login(user)
        assert client.get(url).status_code == 404
        confirm = reverse(
            "outcomes:final_report_confirm", args=[engagement.consultation_request_id, 1]
        )
        assert client.post(confirm).status_code == 404
    assert FinalReport.objects.get().officer_confirmed_at is None


def test_the_report_lists_the_council_papers_with_their_consultations(engagement, skew):
    from council.models import Consultation, CouncilPaper

    paper = CouncilPaper.objects.create(
        municipality=engagement.municipality, reference="065/20",
        name="Kenntnisgabe MiGlobe", date=datetime.date(2020, 2, 20),
    )  # fmt: skip
    Consultation.objects.create(paper=paper, body="Integrationsrat", meeting="3. Sitzung",
                                date=datetime.date(2020, 3, 12), role="Kenntnisnahme")  # fmt: skip
    paper.engagements.add(engagement)
    CouncilPaper.objects.create(municipality=engagement.municipality, reference="099/20",
                                name="Nicht verknüpft")  # fmt: skip

    report = final_report_generate(engagement=engagement, by=skew)

    with report.pdf.open("rb") as handle:
        text = pdf_text(handle.read())
    assert "065/20 Kenntnisgabe MiGlobe" in text
    assert "Integrationsrat, 3. Sitzung" in text and "12.03.2020" in text
    assert "099/20" not in text
