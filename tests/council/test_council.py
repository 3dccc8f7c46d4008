"""The council link: papers from OParl linked to engagements, the watch, and bad servers."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from council.enums import LeadStatus, PaperSource
from council.models import CouncilPaper, CouncilSystem, Lead
from council.oparl import Client, OParlError, date_of, text
from council.services import CouncilError, link_paper, watch_all, watch_system
from tests.core.factories import StaffMemberFactory
from tests.engagements.factories import ConsultationRequestFactory, MunicipalityFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2020, 3, 1, 8, tzinfo=datetime.UTC)


def quick() -> Client:
    return Client(timeout=0.5, retries=1, backoff=0, max_pages=20)


def test_a_paper_is_linked_by_its_reference_with_its_consultation_and_file(
    system, engagement, oparl
):
    paper = link_paper(engagement=engagement, reference="065/20", client=quick())

    assert paper.source == PaperSource.OPARL
    assert (paper.reference, paper.paper_type) == ("065/20", "Kenntnisgabe öffentlich")
    assert paper.date == datetime.date(2020, 2, 20)
    [consultation] = paper.consultations.all()
    assert (consultation.body, consultation.meeting) == (
        "Integrationsrat",
        "Sitzung des Integrationsrats",
    )
    assert (consultation.date, consultation.role) == (datetime.date(2020, 3, 12), "Kenntnisnahme")
    assert [f.name for f in paper.files.all()] == ["Vorlage 065/20"]
    assert list(engagement.council_papers.all()) == [paper]
    # The body was chosen once: the system's only one.
    system.refresh_from_db()
    assert system.body_url.endswith("/oparl/v1/body/1")


def test_a_reference_the_council_does_not_know_is_refused_with_a_message(system, engagement):
    with pytest.raises(CouncilError, match="Keine Vorlage „999/20“"):
        link_paper(engagement=engagement, reference="999/20", client=quick())
    assert not CouncilPaper.objects.exists()


def test_without_an_endpoint_a_paper_entered_by_hand_is_linked(engagement):
    manual = CouncilPaper.objects.create(
        municipality=engagement.municipality, reference="065/20", name="Kenntnisgabe MiGlobe",
        web_url="https://ratsinfo.example.org/vorlage/065-20",
    )  # fmt: skip
    assert link_paper(engagement=engagement, reference=" 065/20 ") == manual
    with pytest.raises(CouncilError, match="von Hand"):
        link_paper(engagement=engagement, reference="066/20")


def test_the_watch_lists_matching_papers_as_leads_and_reads_increments(system, keywords, oparl):
    assert watch_system(system, now=NOW, client=quick()) == 2

    leads = {lead.paper.reference: lead.matched for lead in Lead.objects.all()}
    assert leads == {"065/20": ["MiGlobe"], "070/20": ["Städtepartnerschaft"]}
    assert not CouncilPaper.objects.filter(reference="071/20").exists()  # not kept
    system.refresh_from_db()
    assert system.synced_until == NOW and system.last_error == ""

    # Next day: only what changed since; a changed lead paper is updated, not doubled.
    oparl.papers[3]["name"] = "Haushaltssatzung 2020: Mittel für Entwicklungspolitik"
    oparl.papers[3]["modified"] = "2020-03-01T12:00:00+01:00"
    assert watch_system(system, now=NOW + datetime.timedelta(days=1), client=quick()) == 1
    assert oparl.seen_since[-1].startswith("2020-03-01T08:00:00")
    assert Lead.objects.count() == 3


def test_a_deleted_paper_is_marked_and_leaves_the_engagement_pages(
    client, system, keywords, engagement, oparl
):
    paper = link_paper(engagement=engagement, reference="065/20", client=quick())
    oparl.papers[0] = {"id": paper.oparl_id, "deleted": True,
                       "modified": "2020-03-01T12:00:00+01:00"}  # fmt: skip
    system.synced_until = NOW
    system.save()

    watch_system(system, now=NOW + datetime.timedelta(days=1), client=quick())

    paper.refresh_from_db()
    assert paper.deleted


@pytest.mark.parametrize(
    ("broken", "says"),
    [
        ("404", "HTTP 404"),
        ("500", "HTTP 500"),
        ("slow", "Zeitüberschreitung"),
        ("invalid", "kein gültiges JSON"),
    ],
)
def test_a_bad_server_is_recorded_and_never_stops_the_others(
    system, keywords, oparl, broken, says, httpserver
):
    healthy_town = MunicipalityFactory(name="Stolberg")
    healthy = CouncilSystem.objects.create(
        municipality=healthy_town, system_url=f"{oparl.base}/oparl/v1/system"
    )
    # The first system is broken: its own endpoint answers as `broken` says.
    system.system_url = f"{oparl.base}/broken/oparl/v1/system"
    system.save()
    original = oparl.handle

    def handle(request):
        if request.path.startswith("/broken"):
            oparl.break_with = broken
            try:
                return original(request)
            finally:
                oparl.break_with = ""
        return original(request)

    httpserver.clear_all_handlers()
    httpserver.expect_request(re.compile(r"/.*")).respond_with_handler(handle)

    from council import services

    services_client = services._client
    services._client = quick
    try:
        report = watch_all(now=NOW)
    finally:
        services._client = services_client

    assert report == {"systems": 2, "leads": 2, "failed": 1}
    system.refresh_from_db()
    assert says in system.last_error and system.last_error_at is not None
    assert system.synced_until is None  # the next run starts from the same place
    healthy.refresh_from_db()
    assert healthy.last_error == "" and healthy.synced_until == NOW


def test_a_server_that_fails_once_is_asked_again(system, keywords, oparl):
    oparl.break_with = "500-once"
    client = Client(timeout=2, retries=2, backoff=0, max_pages=20)

    assert watch_system(system, now=NOW, client=client) == 2


def test_a_list_of_ten_thousand_papers_is_read_in_portions(system, keywords, oparl):
    oparl.break_with = "huge"
    client = quick()

    watch_system(system, now=NOW, client=client)

    system.refresh_from_db()
    assert client.requests <= 25  # system, bodies, 20 pages: not 500
    assert "page=21" in system.resume_url and system.synced_until is None
    watch_system(system, now=NOW + datetime.timedelta(hours=1), client=quick())
    system.refresh_from_db()
    assert "page=41" in system.resume_url
    assert system.cycle_started_at == NOW  # the increment will start from the first run


def test_wrong_types_and_missing_fields_are_tolerated():
    assert text(12) == "12" and text(None) == "" and text({"a": 1}) == ""
    assert date_of("12.03.2020") == datetime.date(2020, 3, 12)
    assert date_of("2020-03-12T17:00:00+01:00") == datetime.date(2020, 3, 12)
    assert date_of("im März") is None and date_of("2020-13-45") is None and date_of(True) is None


def test_odd_papers_are_imported_as_far_as_they_make_sense(system, keywords, oparl):
    oparl.papers = [
        {"id": f"{oparl.base}/oparl/v1/paper/9", "name": 4711, "reference": None,
         "date": "12.03.2020", "consultation": "keine Liste", "mainFile": "kaputt",
         "modified": "2020-02-28T09:00:00+01:00", "paperType": ["MiGlobe"]},
        {"name": "MiGlobe ohne ID", "modified": "2020-02-28T09:00:00+01:00"},
    ]  # fmt: skip
    with pytest.raises(OParlError):
        quick().get(f"{oparl.base}/oparl/v1/nothing")

    assert watch_system(system, now=NOW, client=quick()) == 0  # no keyword in a usable field


def test_skew_marks_leads_and_links_a_paper_in_the_admin(
    client, log_in, system, keywords, engagement, oparl
):
    watch_system(system, now=NOW, client=quick())
    team = StaffMemberFactory(email="team@skew.example.org", groups=["SKEW-Team"])
    log_in(client, team)
    lead = Lead.objects.get(paper__reference="065/20")

    page = client.get(reverse("admin:council_lead_changelist")).content.decode()
    assert "MiGlobe" in page and "Integrationsrat" in page
    client.post(reverse("admin:council_lead_changelist"),
                {"action": "mark_relevant", "_selected_action": [lead.pk]})  # fmt: skip
    lead.refresh_from_db()
    assert lead.status == LeadStatus.RELEVANT

    request = ConsultationRequestFactory(municipality=engagement.municipality)
    client.post(reverse("admin:council_lead_change", args=[lead.pk]), {
        "status": "relevant", "consultation_request": request.pk, "engagement": engagement.pk,
        "approach": "", "note": "Rat diskutiert schon.",
    })  # fmt: skip
    lead.refresh_from_db()
    assert (lead.consultation_request, lead.engagement) == (request, engagement)

    response = client.post(reverse("admin:council_councilpaper_link"),
                           {"engagement": engagement.pk, "reference": "065/20"})  # fmt: skip
    assert response.status_code == 302
    assert engagement.council_papers.get().reference == "065/20"
    refused = client.post(reverse("admin:council_councilpaper_link"),
                          {"engagement": engagement.pk, "reference": "", "url": ""})  # fmt: skip
    assert refused.status_code == 400


def test_the_officer_and_the_advisor_see_the_paper_with_its_consultation(
    client, system, engagement, oparl
):
    from tests.advisors.factories import AdvisorFactory
    from tests.core.factories import UserFactory
    from tests.engagements.factories import EngagementAdvisorFactory, MunicipalOfficerFactory

    link_paper(engagement=engagement, reference="065/20", client=quick())
    officer = MunicipalOfficerFactory(municipality=engagement.municipality,
                                      confirmed_at=timezone.now())  # fmt: skip
    engagement.consultation_request = ConsultationRequestFactory(
        municipality=engagement.municipality, status="accepted", created_by=officer.user
    )
    engagement.save()
    advisor = AdvisorFactory(user=UserFactory(email="advisor@example.org"))
    EngagementAdvisorFactory(engagement=engagement, advisor=advisor, slot=1)

    for user, url in (
        (officer.user, engagement.consultation_request.get_absolute_url()),
        (advisor.user, reverse("workspace:engagement", args=[engagement.pk])),
    ):
        client.force_login(user)
        page = client.get(url).content.decode()
        assert 'id="council-papers"' in page
        papers = page.split('id="council-papers"', 1)[1][:3000]
        assert "065/20" in papers and "Integrationsrat" in papers and "Kenntnisnahme" in papers
