"""The SKEW admin: every model is there, renders, is closed to others and stays fast."""

import csv
import io

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from core.admin_export import export_csv
from tests.actors import factories as actor_factories
from tests.advisors import factories as advisor_factories
from tests.core.factories import (
    ErasureLogFactory,
    ErasureRequestFactory,
    OutboxEmailFactory,
    ReminderLogFactory,
    StaffFactory,
    UserFactory,
)
from tests.council import factories as council_factories
from tests.engagements import factories as engagement_factories
from tests.events import factories as event_factories
from tests.outcomes import factories as outcome_factories
from tests.recruitment import factories as recruitment_factories
from tests.surveys import factories as survey_factories

FACTORIES = {
    "core.User": UserFactory,
    "core.ReminderLog": ReminderLogFactory,
    "core.OutboxEmail": OutboxEmailFactory,
    "core.ErasureLog": ErasureLogFactory,
    "core.ErasureRequest": ErasureRequestFactory,
    "advisors.Language": advisor_factories.LanguageFactory,
    "advisors.Pool": None,  # one per federal state: made below
    "advisors.PartnerOrganisation": advisor_factories.PartnerOrganisationFactory,
    "advisors.Advisor": advisor_factories.AdvisorFactory,
    "advisors.PoolMembership": advisor_factories.PoolMembershipFactory,
    "advisors.Training": advisor_factories.TrainingFactory,
    "advisors.TrainingCompletion": advisor_factories.TrainingCompletionFactory,
    "advisors.TrainingWaiver": advisor_factories.TrainingWaiverFactory,
    "recruitment.Call": recruitment_factories.CallFactory,
    "recruitment.Criterion": recruitment_factories.CriterionFactory,
    "recruitment.Application": recruitment_factories.ApplicationFactory,
    "recruitment.Review": recruitment_factories.ReviewFactory,
    "recruitment.Score": recruitment_factories.ScoreFactory,
    "council.CouncilSystem": council_factories.CouncilSystemFactory,
    "council.CouncilPaper": council_factories.CouncilPaperFactory,
    "council.Consultation": council_factories.ConsultationFactory,
    "council.PaperFile": council_factories.PaperFileFactory,
    "council.WatchKeyword": council_factories.WatchKeywordFactory,
    "council.Lead": council_factories.LeadFactory,
    "surveys.Survey": survey_factories.SurveyFactory,
    "surveys.Question": survey_factories.QuestionFactory,
    "surveys.Response": survey_factories.ResponseFactory,
    "surveys.Invitation": survey_factories.InvitationFactory,
    "surveys.OptOut": survey_factories.OptOutFactory,
    "surveys.MeetingInvitation": survey_factories.MeetingInvitationFactory,
    "engagements.Municipality": engagement_factories.MunicipalityFactory,
    "engagements.Department": engagement_factories.DepartmentFactory,
    "engagements.MunicipalOfficer": engagement_factories.MunicipalOfficerFactory,
    "engagements.ConsultationRequest": engagement_factories.ConsultationRequestFactory,
    "engagements.RequestStatusChange": engagement_factories.RequestStatusChangeFactory,
    "engagements.RequestMessage": engagement_factories.RequestMessageFactory,
    "engagements.Engagement": engagement_factories.EngagementFactory,
    "engagements.CostCorrection": engagement_factories.CostCorrectionFactory,
    "engagements.EngagementAdvisor": engagement_factories.EngagementAdvisorFactory,
    "engagements.Milestone": engagement_factories.MilestoneFactory,
    "engagements.TimeEntry": engagement_factories.TimeEntryFactory,
    "engagements.Expense": engagement_factories.ExpenseFactory,
    "engagements.FeeRate": engagement_factories.FeeRateFactory,
    "engagements.ReimbursementReport": engagement_factories.ReimbursementReportFactory,
    "actors.FieldOfAction": actor_factories.FieldOfActionFactory,
    "actors.Organisation": actor_factories.OrganisationFactory,
    "actors.ContactPerson": actor_factories.ContactPersonFactory,
    "actors.ConsentWording": None,  # versions are unique: made below
    "actors.PublicationConsent": actor_factories.PublicationConsentFactory,
    "actors.ResearchFinding": actor_factories.ResearchFindingFactory,
    "actors.OrganisationSuggestion": actor_factories.OrganisationSuggestionFactory,
    "events.Event": event_factories.EventFactory,
    "events.EventSession": event_factories.EventSessionFactory,
    "events.Registration": event_factories.RegistrationFactory,
    "outcomes.ActionOption": outcome_factories.ActionOptionFactory,
    "outcomes.ActionOptionComment": outcome_factories.ActionOptionCommentFactory,
    "outcomes.FinalReport": outcome_factories.FinalReportFactory,
    "outcomes.FollowUp": outcome_factories.FollowUpFactory,
    "outcomes.FollowUpAnswer": outcome_factories.FollowUpAnswerFactory,
}

NO_ADD_PAGE = {
    # The applicants' own words, and the reviews given on the review page.
    "recruitment.Application",
    "recruitment.Review",
    "recruitment.Score",
    # Written by the survey's pages: answers, invitations, opt-outs.
    "surveys.Response",
    "surveys.Invitation",
    "surveys.OptOut",
    "surveys.MeetingInvitation",
    # Found by the council watch, never typed in.
    "council.Lead",
    "engagements.RequestStatusChange",
    "engagements.RequestMessage",
    "core.ReminderLog",
    "core.OutboxEmail",
    # Written by core.personal_data: an erasure, a person's request.
    "core.ErasureLog",
    "core.ErasureRequest",
    # Changed only through the lifecycle services (the steering page) or the
    # advisors' and officers' own pages.
    "engagements.EngagementAdvisor",
    "engagements.Milestone",
    "outcomes.ActionOption",
    "outcomes.ActionOptionComment",
    "outcomes.FollowUp",
    "outcomes.FollowUpAnswer",
}
OUR_APPS = {
    "core",
    "advisors",
    "engagements",
    "actors",
    "events",
    "outcomes",
    "recruitment",
    "surveys",
    "council",
    "workspace",
    "miglobe",
}
REGISTERED = sorted(
    model._meta.label for model in admin.site._registry if model._meta.app_label in OUR_APPS
)

STATES = ["NW", "BW", "BY", "BE", "BB", "HB", "HH", "HE", "MV", "NI", "RP", "SL", "SN", "ST"]


def make(label: str, count: int) -> list:
    if label == "advisors.Pool":
        return [advisor_factories.PoolFactory(federal_state=s) for s in STATES[:count]]
    if label == "actors.ConsentWording":
        return [actor_factories.ConsentWordingFactory(version=f"v{i}") for i in range(count)]
    factory = FACTORIES[label]
    if label == "engagements.EngagementAdvisor":
        return [factory(slot=1) for _ in range(count)]
    return factory.create_batch(count)


def url(label: str, action: str, *args) -> str:
    app, model = label.lower().split(".")
    return reverse(f"admin:{app}_{model}_{action}", args=args)


def test_every_model_of_the_apps_is_registered():
    from django.apps import apps

    ours = {m._meta.label for m in apps.get_models() if m._meta.app_label in OUR_APPS}
    history = {label for label in ours if ".Historical" in label}
    # Written by database triggers only, never by a person (actors migration 0009).
    internal = {"actors.DirectoryVersion"}
    assert ours - history - internal == set(REGISTERED)
    assert set(REGISTERED) == set(FACTORIES)


@pytest.fixture
def staff_client(client, db, log_in):
    return log_in(client, StaffFactory(email="skew-staff@example.org"))


@pytest.mark.django_db
@pytest.mark.parametrize("label", REGISTERED)
def test_changelist_and_change_page_render_for_staff(staff_client, label):
    obj = make(label, 1)[0]
    response = staff_client.get(url(label, "changelist"))
    assert response.status_code == 200
    assert "Ausgewählte" in response.content.decode() or label == "advisors.Pool"
    response = staff_client.get(url(label, "change", obj.pk))
    assert response.status_code == 200
    response = staff_client.get(url(label, "add"))
    # Logs written only by services (status changes, messages) have no add page.
    assert response.status_code == (403 if label in NO_ADD_PAGE else 200)


@pytest.mark.django_db
@pytest.mark.parametrize("label", REGISTERED)
def test_admin_refuses_anonymous_and_non_staff(client, label):
    obj = make(label, 1)[0]
    for target in (url(label, "changelist"), url(label, "change", obj.pk)):
        response = client.get(target)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
    client.force_login(UserFactory(email="officer@example.org"))
    for target in (url(label, "changelist"), url(label, "change", obj.pk)):
        response = client.get(target)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.django_db
@pytest.mark.parametrize("label", REGISTERED)
def test_changelist_queries_do_not_grow_with_rows(staff_client, label, count_queries):
    make(label, 1)
    with_one = count_queries.get(staff_client, url(label, "changelist"))
    make(label, 19 if label != "advisors.Pool" else 13)
    with_many = count_queries.get(staff_client, url(label, "changelist"))
    assert with_many == with_one, f"{label}: {with_one} queries for 1 row, {with_many} for many"


@pytest.mark.django_db
def test_csv_export_of_advisors(staff_client):
    advisors = advisor_factories.AdvisorFactory.create_batch(3, countries_of_origin=["GH", "SN"])
    response = staff_client.post(
        url("advisors.Advisor", "changelist"),
        {"action": "export_csv", "_selected_action": [a.pk for a in advisors]},
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode("utf-8-sig").strip().splitlines()
    assert lines[0].split(";")[:3] == ["Name", "E-Mail", "Geschlecht"]
    assert len(lines) == 4
    assert "Ghana, Senegal" in lines[1]
    assert advisors[0].user.email in response.content.decode()


EXPORTING = [
    label
    for label in REGISTERED
    if export_csv in (admin.site._registry[apps.get_model(label)].actions or [])
]


@pytest.mark.django_db
@pytest.mark.parametrize("label", EXPORTING)
def test_every_list_that_offers_the_csv_export_exports(staff_client, label):
    objects = make(label, 2)
    response = staff_client.post(
        url(label, "changelist"),
        {"action": "export_csv", "_selected_action": [o.pk for o in objects]},
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 3 and all(len(row) == len(rows[0]) for row in rows)


@pytest.mark.django_db
def test_the_organisation_export_lists_countries_by_name(staff_client):
    organisation = actor_factories.OrganisationFactory(countries_of_origin=["GH", "SN"])
    response = staff_client.post(
        url("actors.Organisation", "changelist"),
        {"action": "export_csv", "_selected_action": [organisation.pk]},
    )
    assert "Ghana, Senegal" in response.content.decode("utf-8-sig").splitlines()[1]


@pytest.mark.django_db
def test_csv_export_queries_do_not_grow_with_rows(staff_client, count_queries):
    def export_queries(count):
        engagement_factories.EngagementAdvisorFactory.create_batch(count, slot=1)
        from engagements.models import Engagement

        ids = list(Engagement.objects.values_list("pk", flat=True))

        def export():
            response = staff_client.post(
                url("engagements.Engagement", "changelist"),
                {"action": "export_csv", "_selected_action": ids},
            )
            assert response.status_code == 200
            assert len(response.content.decode("utf-8-sig").strip().splitlines()) == len(ids) + 1

        return count_queries(export)

    assert export_queries(1) == export_queries(19)


@pytest.mark.django_db
def test_admin_is_german(staff_client):
    response = staff_client.get(reverse("admin:index"))
    content = response.content.decode()
    assert "Beratungseinsätze" in content
    assert "Berater*innen" in content
    assert "Organisationen" in content
