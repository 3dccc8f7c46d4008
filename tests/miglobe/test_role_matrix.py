"""Who gets what: every route of the portal, for every role, with the answer it must give.

The matrix below is written by hand. Its keys are the routes as Django spells their
patterns ("requests/<int:pk>/"), and each route has one or more probes: a request
(GET, or a POST that would change something) against an object of a known owner,
with the expected answer for each of ten roles:

    anon  anonymous
    off   officer of the municipality (confirmed)
    oth   officer of another municipality (confirmed)
    unc   unconfirmed officer of the municipality
    adv   advisor on the engagement
    advx  advisor on another engagement, not on this one
    bare  staff without permissions (is_staff, no group)
    team  SKEW-Team
    fin   SKEW-Finanzen
    root  superuser

An answer is a status code, or
    L   302 to the portal's login page, with the page asked for as `next`
    AL  302 to the admin's login, with the page as `next`; that login is the portal's:
        it sends anonymous visitors on to /accounts/login/ and answers signed-in
        non-staff 403 (see the row "admin/login/")
    RE  302 to /accounts/reauthenticate/, with the page as `next`
    to(path)  302 to exactly that address (HOME is "/")

A POST probe names a `state` (read before and after) and the roles for which it
`changes`; for every other role the state must be the same afterwards.

The admin's pages are grouped by rule: every registered model has its pages (list,
add, change, delete, history, the object's address), and which of them a group opens
follows from the rights written down for that model in ADMIN_MODELS.

`test_every_route_is_in_the_matrix` and `test_every_matrix_key_is_a_route` keep the
matrix and the URL configuration in step: a new route without a line here fails, and
so does a line whose route is gone.

`test_answer` runs once per route and role (its id names both) and sends that route's
probes; its message names each request that went wrong, with what came back. The world
(two municipalities with their officers and requests, two engagements with their
advisors, entries, expenses and events, and one object of every model in the admin) is
built once for the module and every test's changes are rolled back.
"""

from __future__ import annotations

import copy
import datetime
import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.contrib.sites.models import Site
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from django_celery_beat.models import (
    ClockedSchedule,
    CrontabSchedule,
    IntervalSchedule,
    PeriodicTask,
    SolarSchedule,
)

from actors.models import ResearchFinding
from actors.services import consent_withdraw_token
from advisors.enums import FederalState
from advisors.models import Advisor, TrainingCompletion
from engagements.enums import ReportStatus, RequestStatus
from engagements.models import ConsultationRequest, Engagement, Expense, Milestone, TimeEntry
from events.enums import RegistrationStatus
from events.models import Registration
from events.services import cancel_token, confirm_token
from miglobe.staff_groups import FINANCE, TEAM
from outcomes.follow_up import token_for as follow_up_token
from outcomes.models import ActionOption, ActionOptionComment, FinalReport, FollowUp, FollowUpAnswer
from recruitment.services import CONFIRM_SALT, MANAGE_SALT
from recruitment.services import token_for as application_token
from surveys.services import answer_token as survey_answer_token
from tests.actors.factories import (
    ContactPersonFactory,
    FieldOfActionFactory,
    OrganisationFactory,
    OrganisationSuggestionFactory,
    PublicationConsentFactory,
    ResearchFindingFactory,
)
from tests.advisors.factories import (
    AdvisorFactory,
    LanguageFactory,
    PartnerOrganisationFactory,
    PoolFactory,
    PoolMembershipFactory,
    TrainingCompletionFactory,
    TrainingFactory,
    TrainingWaiverFactory,
)
from tests.core.factories import (
    ErasureLogFactory,
    ErasureRequestFactory,
    ReminderLogFactory,
    StaffFactory,
    StaffMemberFactory,
    UserFactory,
)
from tests.council.factories import (
    ConsultationFactory,
    CouncilPaperFactory,
    CouncilSystemFactory,
    LeadFactory,
    PaperFileFactory,
    WatchKeywordFactory,
)
from tests.engagements.factories import (
    ConsultationRequestFactory,
    CostCorrectionFactory,
    DepartmentFactory,
    EngagementAdvisorFactory,
    EngagementFactory,
    ExpenseFactory,
    FeeRateFactory,
    MilestoneFactory,
    MunicipalityFactory,
    MunicipalOfficerFactory,
    ReimbursementReportFactory,
    RequestMessageFactory,
    RequestStatusChangeFactory,
    TimeEntryFactory,
)
from tests.events.factories import EventFactory, EventSessionFactory, RegistrationFactory
from tests.recruitment.factories import (
    ApplicationFactory,
    CallFactory,
    CriterionFactory,
    ReviewFactory,
    ScoreFactory,
)
from tests.surveys.factories import (
    InvitationFactory,
    MeetingInvitationFactory,
    OptOutFactory,
    QuestionFactory,
    ResponseFactory,
    SurveyFactory,
)
from workspace.calendar import feed_token

ROLES = (
    "anonymous",
    "officer",
    "other_officer",
    "unconfirmed",
    "advisor",
    "other_advisor",
    "bare_staff",
    "team",
    "finance",
    "superuser",
)
NOT_STAFF = ROLES[:6]


# --- Answers ---------------------------------------------------------------------------


@dataclass(frozen=True)
class To:
    """302 to exactly this address (placeholders filled from the world)."""

    target: str

    def __str__(self) -> str:
        return f"302 → {self.target}"


def to(target: str) -> To:
    return To(target)


L = "login"  # 302 to /accounts/login/?next=<the page>
AL = "admin login"  # 302 to /admin/login/?next=<the page>
RE = "reauthenticate"  # 302 to /accounts/reauthenticate/?next=<the page>
HOME = to("/")
LOGIN_PAGE = to("/accounts/login/")
RA = to("/accounts/reauthenticate/")
PWD = to("/accounts/password/change/")

Answer = int | str | To


# --- Probes ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Probe:
    method: str
    path: str  # with {placeholders} for the world's objects
    answers: tuple[Answer, ...]
    note: str = ""
    data: Callable[[Any], dict] | None = None
    state: Callable[[Any], Any] | None = None
    changes: tuple[str, ...] = ()

    def __post_init__(self):
        assert len(self.answers) == len(ROLES), f"{self.path}: one answer per role"
        assert not self.changes or self.state, f"{self.path}: `changes` needs a `state`"
        assert set(self.changes) <= set(ROLES), self.changes

    @property
    def label(self) -> str:
        return f"{self.method} {self.path}" + (f" ({self.note})" if self.note else "")


def GET(path: str, *answers: Answer, note: str = "") -> Probe:
    return Probe("GET", path, answers, note=note)


def POST(
    path: str,
    *answers: Answer,
    data: Callable[[Any], dict] | None = None,
    state: Callable[[Any], Any] | None = None,
    changes: tuple[str, ...] = (),
    note: str = "",
) -> Probe:
    return Probe("POST", path, answers, note=note, data=data, state=state, changes=changes)


# --- What a POST may change ------------------------------------------------------------


def request_state(key: str) -> Callable[[Any], Any]:
    def state(w):
        r = ConsultationRequest.objects.get(pk=w.ids[key])
        return r.status, r.messages.count(), r.status_changes.count()

    return state


def entry_state(model, key: str) -> Callable[[Any], Any]:
    def state(w):
        entry = model.objects.filter(pk=w.ids[key]).first()
        return None if entry is None else entry.status

    return state


def milestone_state(key: str) -> Callable[[Any], Any]:
    return lambda w: Milestone.objects.get(pk=w.ids[key]).done_on


def findings_state(key: str) -> Callable[[Any], Any]:
    return lambda w: ResearchFinding.objects.filter(engagement_id=w.ids[key]).count()


def attendance_state(key: str) -> Callable[[Any], Any]:
    return lambda w: Registration.objects.get(pk=w.ids[key]).attended


def calendar_versions(w) -> Any:
    return sorted(Advisor.objects.values_list("pk", "calendar_version"))


def message(w) -> dict:
    return {"body": "Wann können wir beginnen?", "form_token": str(uuid.uuid4())}


def withdraw_reason(w) -> dict:
    return {"reason": "Der Rat hat anders entschieden."}


def attendance_of(key: str) -> Callable[[Any], Any]:
    return lambda w: TrainingCompletion.objects.filter(advisor_id=w.ids[key]).count()


def milestone_done(w) -> dict:
    return {"done_on": "2020-06-01", "note": ""}


def milestone_move(w) -> dict:
    return {"due_on": "2020-09-30", "reason": "Der Ausschuss tagt später."}


def milestone_due(key: str) -> Callable[[Any], Any]:
    return lambda w: Milestone.objects.get(pk=w.ids[key]).due_on


def new_finding(w) -> dict:
    return {
        "name": "Togoische Gemeinde Unna e. V.",
        "kind": "migrant_org",
        "scope": "local",
        "source": "conversation",
        "found_on": "2020-02-01",
        "notes": "",
    }


def options_state(key: str) -> Callable[[Any], Any]:
    return lambda w: ActionOption.objects.filter(engagement_id=w.ids[key]).count()


def comments_state(w) -> Any:
    return ActionOptionComment.objects.filter(option_id=w.ids["option"]).count()


def decision_state(w) -> Any:
    return ActionOption.objects.get(pk=w.ids["option"]).decision


def report_confirmed(w) -> Any:
    return FinalReport.objects.get(
        engagement__consultation_request=w.ids["accepted_request"]
    ).officer_confirmed_at


def new_option(w) -> dict:
    return {
        "title": "Migrantische Vereine im Integrationsrat hören",
        "description": "Der Integrationsrat lädt zweimal im Jahr die Vereine ein.",
        "effort": "low",
    }


def option_comment(prefix: str) -> Callable[[Any], dict]:
    return lambda w: {f"c{w.ids['option']}-text": "Das klingt machbar."}


def option_decision(w) -> dict:
    return {f"d{w.ids['option']}-decision": "adopted", f"d{w.ids['option']}-reason": ""}


def hours_booked(key: str) -> Callable[[Any], Any]:
    return lambda w: sorted(
        TimeEntry.objects.filter(engagement_id=w.ids[key]).values_list("pk", "hours")
    )


def hours_on(key: str) -> Callable[[Any], dict]:
    def data(w) -> dict:
        return {
            "engagement": w.ids[key],
            "date": "2020-05-04",
            "hours": "7.25",
            "activity": "Gespräch mit dem Integrationsrat",
            "description": "",
            "action": "draft",
        }

    return data


def request_edit(w) -> dict:
    return {"goals": "Übernommen von jemand anderem", "need": "", "action": "draft"}


REVIEWERS = ("team", "superuser")
ORGANISERS = ("advisor", "team", "superuser")

# --- The matrix: the portal's own routes -------------------------------------------------
#
# Objects: town_request (submitted, by the officer), town_draft (the officer's draft),
# unconfirmed_draft (the unconfirmed colleague's draft), other_request (submitted, other
# municipality); engagement (the advisor's) and other_engagement (the other advisor's), with
# their milestones, time entries and expenses; event (of the engagement), other_event (of
# the other engagement), private_event (not public), past_event (registration closed).

# fmt: off
APP: dict[str, list[Probe]] = {
    #                  anon off  oth  unc  adv  advx bare team fin  root
    "": [GET("/",      200, 200, 200, 200, 200, 200, 200, 200, 200, 200)],
    "health/": [
        GET("/health/",
                       200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    ],
    "impressum/": [
        GET("/impressum/",
                       200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    ],
    "datenschutz/": [
        GET("/datenschutz/",
                       200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    ],
    "barrierefreiheit/": [
        GET("/barrierefreiheit/",
                       200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    ],
    "leichte-sprache/": [
        GET("/leichte-sprache/",
                       200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    ],
    "sitemap.xml": [
        GET("/sitemap.xml",
                       200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    ],
    "sitemap-<section>.xml": [
        GET("/sitemap-organisations.xml",
                       200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
        GET("/sitemap-nothing.xml",
                       404, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    ],
    "i18n/setlang/": [
        GET("/i18n/setlang/",
                       302, 302, 302, 302, 302, 302, 302, 302, 302, 302),
    ],
    # --- Consultation requests ----------------------------------------------------------
    #                  anon off  oth  unc  adv  advx bare team fin  root
    "requests/": [
        GET("/requests/",
                       L,   200, 200, 200, 404, 404, 404, 200, 404, 200),
    ],
    "requests/new/": [
        GET("/requests/new/",
                       L,   200, 200, 200, 404, 404, 404, 404, 404, 404),
    ],
    "requests/<int:pk>/": [
        GET("/requests/{town_request}/",
                       L,   200, 404, 404, 404, 404, 404, 200, 404, 200),
        GET("/requests/{other_request}/",
                       L,   404, 200, 404, 404, 404, 404, 200, 404, 200),
        GET("/requests/{town_draft}/",
                       L,   200, 404, 404, 404, 404, 404, 200, 404, 200),
        GET("/requests/{unconfirmed_draft}/",
                       L,   404, 404, 200, 404, 404, 404, 200, 404, 200),
    ],
    "requests/<int:pk>/edit/": [
        GET("/requests/{town_draft}/edit/",
                       L,   200, 404, 404, 404, 404, 404, 404, 404, 404),
        GET("/requests/{town_request}/edit/",
                       L,   to("/requests/{town_request}/"),
                                 404, 404, 404, 404, 404, 404, 404, 404,
            note="submitted: back to the request"),
        GET("/requests/{unconfirmed_draft}/edit/",
                       L,   404, 404, 200, 404, 404, 404, 404, 404, 404),
        POST("/requests/{town_draft}/edit/",
                       L,   200, 404, 404, 404, 404, 404, 404, 404, 404,
             data=request_edit, state=request_state("town_draft"),
             note="incomplete: the officer gets the form back"),
    ],
    "requests/<int:pk>/submit/": [
        GET("/requests/{town_draft}/submit/",
                       L,   405, 405, 405, 405, 405, 405, 405, 405, 405),
        POST("/requests/{town_draft}/submit/",
                       L,   302, 404, 404, 404, 404, 404, 302, 404, 302,
             state=request_state("town_draft"), changes=("officer",)),
        POST("/requests/{unconfirmed_draft}/submit/",
                       L,   404, 404, 302, 404, 404, 404, 302, 404, 302,
             state=request_state("unconfirmed_draft"), note="not confirmed: refused"),
        POST("/requests/{other_request}/submit/",
                       L,   404, 302, 404, 404, 404, 404, 302, 404, 302,
             state=request_state("other_request"), note="submitted already"),
    ],
    "requests/<int:pk>/withdraw/": [
        GET("/requests/{town_request}/withdraw/",
                       L,   405, 405, 405, 405, 405, 405, 405, 405, 405),
        POST("/requests/{town_request}/withdraw/",
                       L,   302, 404, 404, 404, 404, 404, 404, 404, 404,
             data=withdraw_reason, state=request_state("town_request"), changes=("officer",)),
        POST("/requests/{other_request}/withdraw/",
                       L,   404, 302, 404, 404, 404, 404, 404, 404, 404,
             data=withdraw_reason, state=request_state("other_request"),
             changes=("other_officer",)),
        POST("/requests/{unconfirmed_draft}/withdraw/",
                       L,   404, 404, 302, 404, 404, 404, 404, 404, 404,
             data=withdraw_reason, state=request_state("unconfirmed_draft"),
             changes=("unconfirmed",)),
    ],
    "requests/<int:pk>/messages/": [
        GET("/requests/{town_request}/messages/",
                       L,   405, 405, 405, 405, 405, 405, 405, 405, 405),
        POST("/requests/{town_request}/messages/",
                       L,   302, 404, 404, 404, 404, 404, 302, 404, 302,
             data=message, state=request_state("town_request"),
             changes=("officer", *REVIEWERS)),
        POST("/requests/{other_request}/messages/",
                       L,   404, 302, 404, 404, 404, 404, 302, 404, 302,
             data=message, state=request_state("other_request"),
             changes=("other_officer", *REVIEWERS)),
        POST("/requests/{unconfirmed_draft}/messages/",
                       L,   404, 404, 400, 404, 404, 404, 302, 404, 302,
             data=message, state=request_state("unconfirmed_draft"), changes=REVIEWERS,
             note="not confirmed: refused"),
    ],
    # --- The advisor's workspace --------------------------------------------------------
    #                  anon off  oth  unc  adv  advx bare team fin  root
    "advisor/profile/": [
        GET("/advisor/profile/",
                       L,   404, 404, 404, 200, 200, 404, 404, 404, 404),
    ],
    "advisor/": [
        GET("/advisor/",
                       L,   404, 404, 404, 200, 200, 404, 404, 404, 404),
    ],
    "advisor/calendar/<str:token>/miglobe.ics": [
        GET("/advisor/calendar/{calendar_token}/miglobe.ics",
                       200, 200, 200, 200, 200, 200, 200, 200, 200, 200,
            note="the advisor's signed address"),
        GET("/advisor/calendar/forged/miglobe.ics",
                       404, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    ],
    "advisor/calendar/renew/": [
        GET("/advisor/calendar/renew/",
                       L,   405, 405, 405, 405, 405, 405, 405, 405, 405),
        POST("/advisor/calendar/renew/",
                       L,   404, 404, 404, 302, 302, 404, 404, 404, 404,
             state=calendar_versions, changes=("advisor", "other_advisor")),
    ],
    "advisor/engagements/<int:pk>/": [
        GET("/advisor/engagements/{engagement}/",
                       L,   404, 404, 404, 200, 404, 404, 404, 404, 404),
        GET("/advisor/engagements/{other_engagement}/",
                       L,   404, 404, 404, 404, 200, 404, 404, 404, 404),
    ],
    "advisor/engagements/<int:pk>/milestones/<int:milestone_pk>/done/": [
        GET("/advisor/engagements/{engagement}/milestones/{milestone}/done/",
                       L,   405, 405, 405, 405, 405, 405, 405, 405, 405),
        POST("/advisor/engagements/{engagement}/milestones/{milestone}/done/",
                       L,   404, 404, 404, 302, 404, 404, 404, 404, 404,
             data=milestone_done, state=milestone_state("milestone"), changes=("advisor",)),
        POST("/advisor/engagements/{other_engagement}/milestones/{other_milestone}/done/",
                       L,   404, 404, 404, 404, 302, 404, 404, 404, 404,
             data=milestone_done, state=milestone_state("other_milestone"),
             changes=("other_advisor",)),
        POST("/advisor/engagements/{engagement}/milestones/{other_milestone}/done/",
                       L,   404, 404, 404, 404, 404, 404, 404, 404, 404,
             data=milestone_done, state=milestone_state("other_milestone"),
             note="a milestone of another engagement"),
    ],
    "advisor/engagements/<int:pk>/milestones/<int:milestone_pk>/move/": [
        GET("/advisor/engagements/{engagement}/milestones/{milestone}/move/",
                       L,   405, 405, 405, 405, 405, 405, 405, 405, 405),
        POST("/advisor/engagements/{engagement}/milestones/{milestone}/move/",
                       L,   404, 404, 404, 302, 404, 404, 404, 404, 404,
             data=milestone_move, state=milestone_due("milestone"), changes=("advisor",)),
        POST("/advisor/engagements/{other_engagement}/milestones/{other_milestone}/move/",
                       L,   404, 404, 404, 404, 302, 404, 404, 404, 404,
             data=milestone_move, state=milestone_due("other_milestone"),
             changes=("other_advisor",)),
        POST("/advisor/engagements/{engagement}/milestones/{other_milestone}/move/",
                       L,   404, 404, 404, 404, 404, 404, 404, 404, 404,
             data=milestone_move, state=milestone_due("other_milestone"),
             note="a milestone of another engagement"),
    ],
    "advisor/engagements/<int:pk>/findings/new/": [
        GET("/advisor/engagements/{engagement}/findings/new/",
                       L,   404, 404, 404, 200, 404, 404, 404, 404, 404),
        POST("/advisor/engagements/{other_engagement}/findings/new/",
                       L,   404, 404, 404, 404, 302, 404, 404, 404, 404,
             data=new_finding, state=findings_state("other_engagement"),
             changes=("other_advisor",)),
    ],
    "advisor/engagements/<int:pk>/options/": [
        GET("/advisor/engagements/{engagement}/options/",
                       L,   404, 404, 404, 200, 404, 404, 404, 404, 404),
    ],
    "advisor/engagements/<int:pk>/options/new/": [
        GET("/advisor/engagements/{engagement}/options/new/",
                       L,   404, 404, 404, 200, 404, 404, 404, 404, 404),
        POST("/advisor/engagements/{other_engagement}/options/new/",
                       L,   404, 404, 404, 404, 302, 404, 404, 404, 404,
             data=new_option, state=options_state("other_engagement"),
             changes=("other_advisor",)),
    ],
    "advisor/engagements/<int:pk>/options/<int:option_pk>/edit/": [
        GET("/advisor/engagements/{engagement}/options/{option}/edit/",
                       L,   404, 404, 404, 200, 404, 404, 404, 404, 404),
        GET("/advisor/engagements/{other_engagement}/options/{option}/edit/",
                       L,   404, 404, 404, 404, 404, 404, 404, 404, 404,
            note="an option of another engagement"),
    ],
    "requests/<int:pk>/options/": [
        GET("/requests/{accepted_request}/options/",
                       L,   200, 404, 404, 404, 404, 404, 200, 404, 200),
    ],
    "requests/<int:pk>/final-report/<int:version>.pdf": [
        GET("/requests/{accepted_request}/final-report/1.pdf",
                       L,   200, 404, 404, 404, 404, 404, 200, 404, 200),
    ],
    "requests/<int:pk>/final-report/<int:version>/confirm/": [
        POST("/requests/{accepted_request}/final-report/1/confirm/",
                       L,   302, 404, 404, 404, 404, 404, 404, 404, 404,
             state=report_confirmed, changes=("officer",)),
    ],
    "staff/figures/": [
        GET("/staff/figures/",
                       L,   404, 404, 404, 404, 404, 404, 200, 200, 200),
    ],
    "staff/figures.xlsx": [
        GET("/staff/figures.xlsx",
                       L,   404, 404, 404, 404, 404, 404, 200, 200, 200),
    ],
    "pools/": [
        GET("/pools/", 200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    ],
    "pools/<slug:slug>/": [
        GET("/pools/{pool_slug}/", 200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
        GET("/pools/kein-pool/", 404, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    ],
    "pools/<slug:pool_slug>/calls/<slug:slug>/": [
        GET("/pools/{pool_slug}/calls/{call_slug}/",
                       200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
        GET("/pools/{pool_slug}/calls/nrw-entwurf/",
                       404, 404, 404, 404, 404, 404, 404, 404, 404, 404,
            note="a call not published yet"),
    ],
    "pools/<slug:pool_slug>/calls/<slug:slug>/sent/": [
        GET("/pools/{pool_slug}/calls/{call_slug}/sent/",
                       200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    ],
    "applications/confirm/<str:token>/": [
        GET("/applications/confirm/{application_confirm_token}/",
                       200, 200, 200, 200, 200, 200, 200, 200, 200, 200,
            note="the signed link is the key"),
        GET("/applications/confirm/forged/",
                       404, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    ],
    "applications/<str:token>/": [
        GET("/applications/{manage_token}/",
                       200, 200, 200, 200, 200, 200, 200, 200, 200, 200,
            note="the signed link is the key"),
        GET("/applications/forged/",
                       404, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    ],
    "applications/<str:token>/withdraw/": [
        GET("/applications/{manage_token}/withdraw/",
                       405, 405, 405, 405, 405, 405, 405, 405, 405, 405),
        POST("/applications/forged/withdraw/",
                       404, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    ],
    "staff/trainings/<int:pk>/attendance/": [
        GET("/staff/trainings/{training}/attendance/",
                       L,   404, 404, 404, 404, 404, 404, 200, 404, 200),
    ],
    "staff/trainings/<int:pk>/attendance/<int:advisor_pk>/": [
        GET("/staff/trainings/{training}/attendance/{member}/",
                       L,   405, 405, 405, 405, 405, 405, 405, 405, 405),
        POST("/staff/trainings/{training}/attendance/{member}/",
                       L,   404, 404, 404, 404, 404, 404, 302, 404, 302,
             data=lambda w: {"attended": "1"}, state=attendance_of("member"),
             changes=("team", "superuser")),
    ],
    "surveys/answer/<str:token>/": [
        GET("/surveys/answer/{survey_answer}/",
                       200, 200, 200, 200, 200, 200, 200, 200, 200, 200,
            note="the signed link is the key"),
        GET("/surveys/answer/forged/",
                       404, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    ],
    "surveys/open/<str:key>/": [
        GET("/surveys/open/{survey_key}/",
                       200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
        GET("/surveys/open/no-such-survey/",
                       404, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    ],
    "surveys/opt-out/<str:token>/": [
        GET("/surveys/opt-out/forged/",
                       404, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    ],
    "surveys/<int:pk>/": [
        GET("/surveys/{survey}/",
                       L,   404, 404, 404, 200, 404, 404, 200, 404, 200),
    ],
    "surveys/<int:pk>/answers.xlsx": [
        GET("/surveys/{survey}/answers.xlsx",
                       L,   404, 404, 404, 200, 404, 404, 200, 404, 200),
    ],
    "surveys/<int:pk>/invite/": [
        GET("/surveys/{survey}/invite/",
                       L,   405, 405, 405, 405, 405, 405, 405, 405, 405),
        POST("/surveys/{survey}/invite/",
                       L,   404, 404, 404, 302, 404, 404, 302, 404, 302),
    ],
    "surveys/<int:pk>/meeting/": [
        GET("/surveys/{survey}/meeting/",
                       L,   405, 405, 405, 405, 405, 405, 405, 405, 405),
        POST("/surveys/{survey}/meeting/",
                       L,   404, 404, 404, 302, 404, 404, 302, 404, 302,
             note="without an event: back to the survey's page with the message"),
    ],
    "advisor/engagements/<int:engagement_pk>/surveys/new/": [
        GET("/advisor/engagements/{engagement}/surveys/new/",
                       L,   404, 404, 404, 200, 404, 404, 404, 404, 404),
        GET("/advisor/engagements/{other_engagement}/surveys/new/",
                       L,   404, 404, 404, 404, 200, 404, 404, 404, 404),
    ],
    "follow-up/<str:token>/": [
        GET("/follow-up/{follow_up_token}/",
                       200, 200, 200, 200, 200, 200, 200, 200, 200, 200,
            note="the signed link is the key"),
        GET("/follow-up/forged/",
                       400, 400, 400, 400, 400, 400, 400, 400, 400, 400),
    ],
    "options/<int:option_pk>/comment/": [
        GET("/options/{option}/comment/",
                       L,   405, 405, 405, 405, 405, 405, 405, 405, 405),
        POST("/options/{option}/comment/",
                       L,   302, 404, 404, 302, 404, 404, 302, 404, 302,
             data=option_comment("c"), state=comments_state,
             changes=("officer", "advisor", "team", "superuser")),
    ],
    "options/<int:option_pk>/decide/": [
        POST("/options/{option}/decide/",
                       L,   302, 404, 404, 404, 404, 404, 404, 404, 404,
             data=option_decision, state=decision_state, changes=("officer",)),
    ],
    "advisor/engagements/<int:pk>/findings.<exportformat:fmt>": [
        GET("/advisor/engagements/{engagement}/findings.csv",
                       L,   404, 404, 404, 200, 404, 404, 404, 404, 404),
        GET("/advisor/engagements/{other_engagement}/findings.xlsx",
                       L,   404, 404, 404, 404, 200, 404, 404, 404, 404),
    ],
    "advisor/expense/<int:pk>/receipt/": [
        GET("/advisor/expense/{expense}/receipt/",
                       L,   404, 404, 404, 200, 404, 404, 404, 200, 200),
        GET("/advisor/expense/{other_expense}/receipt/",
                       L,   404, 404, 404, 404, 200, 404, 404, 200, 200),
    ],
    "advisor/<entrykind:kind>/new/": [
        GET("/advisor/time/new/",
                       L,   404, 404, 404, 200, 200, 404, 404, 404, 404),
        GET("/advisor/expense/new/",
                       L,   404, 404, 404, 200, 200, 404, 404, 404, 404),
        POST("/advisor/time/new/",
                       L,   404, 404, 404, 200, 302, 404, 404, 404, 404,
             data=hours_on("other_engagement"), state=hours_booked("other_engagement"),
             changes=("other_advisor",), note="hours on the other advisor's engagement"),
    ],
    "advisor/<entrykind:kind>/<int:pk>/": [
        GET("/advisor/time/{time_entry}/",
                       L,   404, 404, 404, 200, 404, 404, 404, 404, 404),
        GET("/advisor/expense/{other_expense}/",
                       L,   404, 404, 404, 404, 200, 404, 404, 404, 404),
        POST("/advisor/time/{other_time_entry}/",
                       L,   404, 404, 404, 404, 302, 404, 404, 404, 404,
             data=hours_on("other_engagement"), state=hours_booked("other_engagement"),
             changes=("other_advisor",)),
    ],
    "advisor/<entrykind:kind>/<int:pk>/<entryaction:action>/": [
        GET("/advisor/time/{time_entry}/submit/",
                       L,   405, 405, 405, 405, 405, 405, 405, 405, 405),
        POST("/advisor/time/{time_entry}/submit/",
                       L,   404, 404, 404, 302, 404, 404, 404, 404, 404,
             state=entry_state(TimeEntry, "time_entry"), changes=("advisor",)),
        POST("/advisor/time/{other_time_entry}/delete/",
                       L,   404, 404, 404, 404, 302, 404, 404, 404, 404,
             state=entry_state(TimeEntry, "other_time_entry"), changes=("other_advisor",)),
        POST("/advisor/expense/{other_expense}/submit/",
                       L,   404, 404, 404, 404, 302, 404, 404, 404, 404,
             state=entry_state(Expense, "other_expense"), changes=("other_advisor",)),
        POST("/advisor/expense/{expense}/delete/",
                       L,   404, 404, 404, 302, 404, 404, 404, 404, 404,
             state=entry_state(Expense, "expense"), changes=("advisor",)),
    ],
    # --- The directory ------------------------------------------------------------------
    #                  anon off  oth  unc  adv  advx bare team fin  root
    "organisations/": [
        GET("/organisations/",
                       200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    ],
    "organisations.csv": [
        GET("/organisations.csv",
                       200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    ],
    "organisations.json": [
        GET("/organisations.json",
                       200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    ],
    "organisations/statistics/": [
        GET("/organisations/statistics/",
                       200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    ],
    "organisations/suggest/": [
        GET("/organisations/suggest/",
                       200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    ],
    "organisations/suggest/thanks/": [
        GET("/organisations/suggest/thanks/",
                       200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    ],
    "organisations/consent/<token>/withdraw/": [
        GET("/organisations/consent/{consent_token}/withdraw/",
                       200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
        GET("/organisations/consent/forged/withdraw/",
                       404, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    ],
    "organisations/map/": [
        GET("/organisations/map/",
                       200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    ],
    "organisations/<slug:slug>/": [
        GET("/organisations/{published_slug}/",
                       200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
        GET("/organisations/{unpublished_slug}/",
                       404, 404, 404, 404, 404, 404, 404, 404, 404, 404,
            note="no consent: not public"),
    ],
    # --- Events: public -----------------------------------------------------------------
    #                  anon off  oth  unc  adv  advx bare team fin  root
    "events/": [
        GET("/events/",
                       200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    ],
    "events/feed.ics": [
        GET("/events/feed.ics",
                       200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    ],
    "events/feed/<int:municipality_id>.ics": [
        GET("/events/feed/{town}.ics",
                       200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
        GET("/events/feed/999999.ics",
                       404, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    ],
    "events/<int:pk>/": [
        GET("/events/{event}/",
                       200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
        GET("/events/{private_event}/",
                       404, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    ],
    "events/<int:pk>/event.ics": [
        GET("/events/{event}/event.ics",
                       200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
        GET("/events/{private_event}/event.ics",
                       404, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    ],
    "events/<int:pk>/register/": [
        GET("/events/{event}/register/",
                       200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
        GET("/events/{past_event}/register/",
                       410, 410, 410, 410, 410, 410, 410, 410, 410, 410,
            note="registration closed"),
        GET("/events/{private_event}/register/",
                       404, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    ],
    "events/<int:pk>/register/sent/": [
        GET("/events/{event}/register/sent/",
                       200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
        GET("/events/{private_event}/register/sent/",
                       404, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    ],
    "events/confirm/<str:token>/": [
        GET("/events/confirm/{confirm_token}/",
                       200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
        GET("/events/confirm/forged/",
                       404, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    ],
    "events/cancel/<str:token>/": [
        GET("/events/cancel/{cancel_token}/",
                       200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
        GET("/events/cancel/forged/",
                       404, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    ],
    "calendar/": [
        GET("/calendar/",
                       200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    ],
    # --- Events: the organisers' pages (the engagement's advisors, SKEW-Team) -----------
    #                  anon off  oth  unc  adv  advx bare team fin  root
    "events/<int:pk>/checkin/": [
        GET("/events/{event}/checkin/",
                       L,   404, 404, 404, 200, 404, 404, 200, 404, 200),
        GET("/events/{other_event}/checkin/",
                       L,   404, 404, 404, 404, 200, 404, 200, 404, 200),
        GET("/events/{private_event}/checkin/",
                       L,   404, 404, 404, 404, 404, 404, 200, 404, 200,
            note="no engagement: SKEW's own"),
    ],
    "events/<int:pk>/checkin/<int:registration_pk>/": [
        GET("/events/{event}/checkin/{registration}/",
                       L,   405, 405, 405, 405, 405, 405, 405, 405, 405),
        POST("/events/{event}/checkin/{registration}/",
                       L,   404, 404, 404, 302, 404, 404, 302, 404, 302,
             state=attendance_state("registration"), changes=ORGANISERS),
        POST("/events/{other_event}/checkin/{other_registration}/",
                       L,   404, 404, 404, 404, 302, 404, 302, 404, 302,
             state=attendance_state("other_registration"),
             changes=("other_advisor", *REVIEWERS)),
        POST("/events/{event}/checkin/{other_registration}/",
                       L,   404, 404, 404, 404, 404, 404, 404, 404, 404,
             state=attendance_state("other_registration"),
             note="a registration of another event"),
    ],
    "events/<int:pk>/checkin/<int:registration_pk>/undo/": [
        GET("/events/{event}/checkin/{attended_registration}/undo/",
                       L,   405, 405, 405, 405, 405, 405, 405, 405, 405),
        POST("/events/{event}/checkin/{attended_registration}/undo/",
                       L,   404, 404, 404, 302, 404, 404, 302, 404, 302,
             state=attendance_state("attended_registration"), changes=ORGANISERS),
    ],
    "events/<int:pk>/participants/": [
        GET("/events/{event}/participants/",
                       L,   404, 404, 404, 200, 404, 404, 200, 404, 200),
        GET("/events/{other_event}/participants/",
                       L,   404, 404, 404, 404, 200, 404, 200, 404, 200),
    ],
    "events/<int:pk>/participants.csv": [
        GET("/events/{event}/participants.csv",
                       L,   404, 404, 404, 200, 404, 404, 200, 404, 200),
        GET("/events/{other_event}/participants.csv",
                       L,   404, 404, 404, 404, 200, 404, 200, 404, 200),
    ],
    "events/<int:pk>/participants.xlsx": [
        GET("/events/{event}/participants.xlsx",
                       L,   404, 404, 404, 200, 404, 404, 200, 404, 200),
        GET("/events/{other_event}/participants.xlsx",
                       L,   404, 404, 404, 404, 200, 404, 200, 404, 200),
    ],
    "events/<int:pk>/sign-in-sheet.pdf": [
        GET("/events/{event}/sign-in-sheet.pdf",
                       L,   404, 404, 404, 200, 404, 404, 200, 404, 200),
        GET("/events/{other_event}/sign-in-sheet.pdf",
                       L,   404, 404, 404, 404, 200, 404, 200, 404, 200),
    ],
    "events/<int:pk>/attendance.csv": [
        GET("/events/{event}/attendance.csv",
                       L,   404, 404, 404, 200, 404, 404, 200, 404, 200),
        GET("/events/{other_event}/attendance.csv",
                       L,   404, 404, 404, 404, 200, 404, 200, 404, 200),
    ],
    # --- Accounts (allauth) -------------------------------------------------------------
    # RE: 302 to /accounts/reauthenticate/?next=<the page> (a second factor is managed only
    # right after giving the password again).
    #                  anon off  oth  unc  adv  advx bare team fin  root
    "accounts/login/": [
        GET("/accounts/login/",
                       200, HOME, HOME, HOME, HOME, HOME, HOME, HOME, HOME, HOME),
    ],
    "accounts/logout/": [
        GET("/accounts/logout/",
                       HOME, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    ],
    "accounts/inactive/": [
        GET("/accounts/inactive/",
                       200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    ],
    "accounts/signup/": [
        GET("/accounts/signup/",
                       200, HOME, HOME, HOME, HOME, HOME, HOME, HOME, HOME, HOME),
    ],
    "accounts/reauthenticate/": [
        GET("/accounts/reauthenticate/",
                       L,   200, 200, 200, 200, 200, 200, 200, 200, 200),
    ],
    # A person's own data: download, deletion (core.personal_data)
    "accounts/data/": [
        GET("/accounts/data/",
                       L,   200, 200, 200, 200, 200, 200, 200, 200, 200),
    ],
    "accounts/email/": [
        GET("/accounts/email/",
                       L,   200, 200, 200, 200, 200, 200, 200, 200, 200),
    ],
    "accounts/confirm-email/": [
        GET("/accounts/confirm-email/",
                       200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    ],
    r"accounts/^confirm-email/(?P<key>[-:\w]+)/$": [
        GET("/accounts/confirm-email/forged-key/",
                       200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    ],
    "accounts/password/change/": [
        GET("/accounts/password/change/",
                       L,   200, 200, 200, 200, 200, 200, 200, 200, 200),
    ],
    "accounts/password/set/": [
        GET("/accounts/password/set/",
                       L,   PWD, PWD, PWD, PWD, PWD, PWD, PWD, PWD, PWD),
    ],
    "accounts/password/reset/": [
        GET("/accounts/password/reset/",
                       200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    ],
    "accounts/password/reset/done/": [
        GET("/accounts/password/reset/done/",
                       200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    ],
    r"accounts/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$": [
        GET("/accounts/password/reset/key/1-forged/",
                       200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    ],
    "accounts/password/reset/key/done/": [
        GET("/accounts/password/reset/key/done/",
                       200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    ],
    "accounts/login/code/confirm/": [
        GET("/accounts/login/code/confirm/",
                       LOGIN_PAGE,
                            HOME, HOME, HOME, HOME, HOME, HOME, HOME, HOME, HOME),
    ],
    "accounts/2fa/": [
        GET("/accounts/2fa/",
                       L,   200, 200, 200, 200, 200, 200, 200, 200, 200),
    ],
    "accounts/2fa/authenticate/": [
        GET("/accounts/2fa/authenticate/",
                       LOGIN_PAGE,
                            HOME, HOME, HOME, HOME, HOME, HOME, HOME, HOME, HOME),
    ],
    "accounts/2fa/reauthenticate/": [
        GET("/accounts/2fa/reauthenticate/",
                       L,   RA,  RA,  RA,  RA,  RA,  RA,  RA,  RA,  RA),
    ],
    "accounts/2fa/totp/activate/": [
        GET("/accounts/2fa/totp/activate/",
                       L,   RE,  RE,  RE,  RE,  RE,  RE,  RE,  RE,  RE),
    ],
    "accounts/2fa/totp/deactivate/": [
        GET("/accounts/2fa/totp/deactivate/",
                       L,   404, 404, 404, 404, 404, 404, 404, 404, 404,
            note="nobody here has one"),
    ],
    "accounts/2fa/recovery-codes/": [
        GET("/accounts/2fa/recovery-codes/",
                       L,   404, 404, 404, 404, 404, 404, 404, 404, 404),
    ],
    "accounts/2fa/recovery-codes/generate/": [
        GET("/accounts/2fa/recovery-codes/generate/",
                       L,   RE,  RE,  RE,  RE,  RE,  RE,  RE,  RE,  RE),
    ],
    "accounts/2fa/recovery-codes/download/": [
        GET("/accounts/2fa/recovery-codes/download/",
                       L,   404, 404, 404, 404, 404, 404, 404, 404, 404),
    ],
    "accounts/2fa/webauthn/": [
        GET("/accounts/2fa/webauthn/",
                       L,   200, 200, 200, 200, 200, 200, 200, 200, 200),
    ],
    "accounts/2fa/webauthn/add/": [
        GET("/accounts/2fa/webauthn/add/",
                       L,   RE,  RE,  RE,  RE,  RE,  RE,  RE,  RE,  RE),
    ],
    "accounts/2fa/webauthn/reauthenticate/": [
        GET("/accounts/2fa/webauthn/reauthenticate/",
                       L,   RA,  RA,  RA,  RA,  RA,  RA,  RA,  RA,  RA),
    ],
    "accounts/2fa/webauthn/keys/<int:pk>/remove/": [
        GET("/accounts/2fa/webauthn/keys/999999/remove/",
                       L,   RE,  RE,  RE,  RE,  RE,  RE,  RE,  RE,  RE),
    ],
    "accounts/2fa/webauthn/keys/<int:pk>/edit/": [
        GET("/accounts/2fa/webauthn/keys/999999/edit/",
                       L,   RE,  RE,  RE,  RE,  RE,  RE,  RE,  RE,  RE),
    ],
    "accounts/2fa/webauthn/login/": [
        GET("/accounts/2fa/webauthn/login/",
                       LOGIN_PAGE,
                            HOME, HOME, HOME, HOME, HOME, HOME, HOME, HOME, HOME),
    ],
}
# fmt: on

# --- The matrix: the admin ---------------------------------------------------------------
#
# What each group may do with each model in the admin, written down by hand: a(dd),
# c(hange), d(elete), v(iew). Staff without a group may do nothing with any model; the
# superuser may do everything the admin offers at all (a model admin may refuse an action
# to everyone: reminder logs are never added or changed, reports never changed, advisors
# and milestones of an engagement change only on its steering page).
# SKEW-Team: the programme (pools, advisors, requests, engagements, the directory, events);
# reads hours and costs, sees no receipts and no reimbursement reports.
# SKEW-Finanzen: approves hours and expenses, corrections and reports; reads the rest of
# engagements and the pools and advisors; nothing of the directory or events.

# fmt: off
ADMIN_MODELS: dict[str, tuple[str, str, str]] = {
    #                                         team    finance superuser
    "auth/group":                             ("",     "",     "acdv"),
    "sites/site":                             ("",     "",     "acdv"),
    "account/emailaddress":                   ("",     "",     "acdv"),
    "mfa/authenticator":                      ("",     "",     "acdv"),
    "django_celery_beat/periodictask":        ("",     "",     "acdv"),
    "django_celery_beat/clockedschedule":     ("",     "",     "acdv"),
    "django_celery_beat/crontabschedule":     ("",     "",     "acdv"),
    "django_celery_beat/solarschedule":       ("",     "",     "acdv"),
    "django_celery_beat/intervalschedule":    ("",     "",     "acdv"),
    "core/user":                              ("",     "",     "acdv"),
    "core/reminderlog":                       ("v",    "",     "dv"),
    "core/outboxemail":                       ("v",    "v",    "v"),
    "core/erasurelog":                        ("",     "",     "v"),
    "core/erasurerequest":                    ("",     "",     "v"),
    "advisors/language":                      ("acdv", "",     "acdv"),
    "advisors/partnerorganisation":           ("acdv", "",     "acdv"),
    "advisors/poolmembership":                ("acdv", "",     "acdv"),
    "advisors/training":                      ("acdv", "",     "acdv"),
    "advisors/trainingcompletion":            ("acdv", "",     "acdv"),
    "advisors/pool":                          ("acdv", "v",    "acdv"),
    "advisors/advisor":                       ("acdv", "v",    "acdv"),
    "engagements/municipality":               ("acdv", "v",    "acdv"),
    "engagements/department":                 ("acdv", "v",    "acdv"),
    "engagements/municipalofficer":           ("acdv", "v",    "acdv"),
    "engagements/consultationrequest":        ("cv",   "v",    "acdv"),
    "engagements/requeststatuschange":        ("v",    "v",    "cdv"),
    "engagements/requestmessage":             ("v",    "v",    "cdv"),
    "engagements/engagement":                 ("acdv", "v",    "acdv"),
    "engagements/engagementadvisor":          ("v",    "v",    "v"),
    "engagements/milestone":                  ("cv",   "v",    "cv"),
    "engagements/timeentry":                  ("v",    "cv",   "acdv"),
    "engagements/expense":                    ("v",    "cv",   "acdv"),
    "engagements/costcorrection":             ("v",    "av",   "acdv"),
    "engagements/feerate":                    ("v",    "acv",  "acdv"),
    "engagements/reimbursementreport":        ("",     "adv",  "adv"),
    "actors/fieldofaction":                   ("acdv", "",     "acdv"),
    "actors/organisation":                    ("acdv", "",     "acdv"),
    "actors/contactperson":                   ("acdv", "",     "acdv"),
    "actors/consentwording":                  ("acdv", "",     "acdv"),
    "actors/publicationconsent":              ("acdv", "",     "acdv"),
    "actors/researchfinding":                 ("acdv", "",     "acdv"),
    "actors/organisationsuggestion":          ("acdv", "",     "acdv"),
    "events/event":                           ("acdv", "",     "acdv"),
    "events/eventsession":                    ("acdv", "",     "acdv"),
    "events/registration":                    ("acdv", "",     "acdv"),
    "outcomes/actionoption":                  ("v",    "",     "cv"),
    "outcomes/actionoptioncomment":           ("v",    "",     "cv"),
    "outcomes/finalreport":                   ("av",   "",     "av"),
    "outcomes/followup":                      ("v",    "",     "v"),
    "outcomes/followupanswer":                ("v",    "",     "v"),
    "advisors/trainingwaiver":                ("acdv", "",     "acdv"),
    "recruitment/call":                       ("acdv", "",     "acdv"),
    "recruitment/criterion":                  ("acdv", "",     "acdv"),
    "recruitment/application":                ("v",    "",     "v"),
    "recruitment/review":                     ("v",    "",     "v"),
    "recruitment/score":                      ("v",    "",     "v"),
    "council/councilsystem":                  ("acdv", "",     "acdv"),
    "council/councilpaper":                   ("acdv", "",     "acdv"),
    "council/consultation":                   ("acdv", "",     "acdv"),
    "council/paperfile":                      ("acdv", "",     "acdv"),
    "council/watchkeyword":                   ("acdv", "",     "acdv"),
    "council/lead":                           ("cdv",  "",     "cdv"),
    "surveys/survey":                         ("acdv", "",     "acdv"),
    "surveys/question":                       ("acdv", "",     "acdv"),
    "surveys/response":                       ("v",    "",     "v"),
    "surveys/invitation":                     ("v",    "",     "v"),
    "surveys/optout":                         ("v",    "",     "v"),
    "surveys/meetinginvitation":              ("v",    "",     "v"),
}
# fmt: on

# Models whose admin keeps a history of versions (django-simple-history), with its own
# page for one version.
VERSIONED = {
    "core/user",
    "engagements/consultationrequest",
    "engagements/engagement",
    "engagements/timeentry",
    "engagements/expense",
    "engagements/costcorrection",
    "actors/organisation",
    "outcomes/actionoption",
}

# Each model's pages and the rights that open one (any of them).
MODEL_PAGES = {
    "": "vc",  # the list
    "add/": "a",
    "<path:object_id>/history/": "vc",
    "<path:object_id>/delete/": "d",
    "<path:object_id>/change/": "vc",
}


def _model_answers(rights: tuple[str, str, str], needs: str) -> tuple[Answer, ...]:
    team, finance, root = (200 if set(r) & set(needs) else 403 for r in rights)
    return (AL,) * len(NOT_STAFF) + (403, team, finance, root)


def _admin_model_probes() -> dict[str, list[Probe]]:
    probes: dict[str, list[Probe]] = {}
    for model, rights in ADMIN_MODELS.items():
        base = f"admin/{model}/"
        for suffix, needs in MODEL_PAGES.items():
            path = "/" + base + suffix.replace("<path:object_id>", "{obj/" + model + "}")
            probes[base + suffix] = [Probe("GET", path, _model_answers(rights, needs))]
        # The object's address forwards any staff member to its change page (which then
        # answers as above).
        change = f"/{base}{{obj/{model}}}/change/"
        probes[f"{base}<path:object_id>/"] = [
            Probe("GET", f"/{base}{{obj/{model}}}/", (AL,) * 6 + (to(change),) * 4)
        ]
        if model in VERSIONED:
            probes[f"{base}^([^/]+)/history/([^/]+)/$"] = [
                Probe(
                    "GET",
                    f"/{base}{{obj/{model}}}/history/{{version/{model}}}/",
                    _model_answers(rights, "vc"),
                )
            ]
    return probes


NS = (AL, AL, AL, AL, AL, AL)  # the six roles that are not staff

# fmt: off
ADMIN_OTHERS: dict[str, list[Probe]] = {
    #                                      anon..advx  bare team fin  root
    "admin/": [GET("/admin/",              *NS,        200, 200, 200, 200)],
    "admin/login/": [
        GET("/admin/login/?next=/admin/",
                       to("/accounts/login/?next=%2Fadmin%2F"),
                       403, 403, 403, 403, 403,
                       to("/admin/"), to("/admin/"), to("/admin/"), to("/admin/")),
        GET("/admin/login/?next=/admin/engagements/expense/",
                       to("/accounts/login/?next=%2Fadmin%2Fengagements%2Fexpense%2F"),
                       403, 403, 403, 403, 403,
                       to("/admin/"), to("/admin/"), to("/admin/"), to("/admin/")),
    ],
    "admin/logout/": [
        GET("/admin/logout/",
                       to("/admin/"), to("/admin/"), to("/admin/"), to("/admin/"),
                       to("/admin/"), to("/admin/"), 405, 405, 405, 405,
            note="logging out is a POST"),
    ],
    "admin/password_change/": [
        GET("/admin/password_change/",      *NS,        200, 200, 200, 200),
    ],
    "admin/password_change/done/": [
        GET("/admin/password_change/done/", *NS,        200, 200, 200, 200),
    ],
    "admin/autocomplete/": [
        GET("/admin/autocomplete/?app_label=engagements&model_name=engagement"
            "&field_name=municipality",     *NS,        403, 200, 200, 200),
        GET("/admin/autocomplete/?app_label=events&model_name=event"
            "&field_name=municipality",     *NS,        403, 200, 200, 200),
        GET("/admin/autocomplete/?app_label=engagements&model_name=costcorrection"
            "&field_name=corrects_expense", *NS,        403, 200, 200, 200),
    ],
    "admin/jsi18n/": [
        GET("/admin/jsi18n/",               *NS,        200, 200, 200, 200),
    ],
    "admin/r/<path:content_type_id>/<path:object_id>/": [
        GET("/admin/r/{organisation_type}/{published_organisation}/",
                                            *NS,        302, 302, 302, 302),
    ],
    r"admin/^(?P<app_label>auth|sites|account|mfa|django_celery_beat|core|advisors|engagements|council|actors|events|recruitment|surveys|outcomes)/$": [  # noqa: E501
        GET("/admin/engagements/",          *NS,        404, 200, 200, 200),
        GET("/admin/events/",               *NS,        404, 200, 404, 200),
        GET("/admin/core/",                 *NS,        404, 200, 200, 200),
        GET("/admin/auth/",                 *NS,        404, 404, 404, 200),
    ],
    "admin/(?P<url>.*)$": [
        GET("/admin/no-such-page/",         *NS,        404, 404, 404, 404),
    ],
    # The record of processing activities (data protection: SKEW-Administration, superusers)
    "admin/processing-record/": [
        GET("/admin/processing-record/",    *NS,        404, 404, 404, 200),
    ],
    # A person's data: search, preview, export, erasure (data protection)
    "admin/personal-data/": [
        GET("/admin/personal-data/",
                                            *NS,        404, 404, 404, 200),
    ],
    "admin/personal-data/person/": [
        GET("/admin/personal-data/person/?request={obj/core/erasurerequest}",
                                            *NS,        404, 404, 404, 200),
    ],
    # Pages a model admin adds to its own
    "admin/core/user/<id>/password/": [
        GET("/admin/core/user/{obj/core/user}/password/",
                                            *NS,        403, 403, 403, 200),
    ],
    "admin/engagements/consultationrequest/<int:pk>/review/": [
        GET("/admin/engagements/consultationrequest/{town_request}/review/",
            *NS, 403,
            to("/admin/engagements/consultationrequest/{town_request}/change/"),
            403,
            to("/admin/engagements/consultationrequest/{town_request}/change/")),
    ],
    "admin/engagements/consultationrequest/<int:pk>/decline/": [
        GET("/admin/engagements/consultationrequest/{town_request}/decline/",
                                            *NS,        403, 200, 403, 200),
    ],
    "admin/engagements/engagement/<int:pk>/steer/": [
        GET("/admin/engagements/engagement/{obj/engagements/engagement}/steer/",
                                            *NS,        403, 200, 403, 200),
    ],
    "admin/engagements/consultationrequest/<int:pk>/match/": [
        GET("/admin/engagements/consultationrequest/{town_request}/match/",
                                            *NS,        403, 200, 403, 200),
    ],
    "admin/council/councilpaper/link/": [
        GET("/admin/council/councilpaper/link/",
                                            *NS,        403, 200, 403, 200),
    ],
    "admin/recruitment/application/<int:pk>/review/": [
        GET("/admin/recruitment/application/{obj/recruitment/application}/review/",
                                            *NS,        404, 200, 404, 200),
    ],
    "admin/recruitment/application/<int:pk>/decide/": [
        GET("/admin/recruitment/application/{obj/recruitment/application}/decide/",
                                            *NS,        403, 200, 403, 200),
    ],
    "admin/recruitment/application/<int:pk>/cv/": [
        GET("/admin/recruitment/application/{obj/recruitment/application}/cv/",
                                            *NS,        404, 404, 404, 404,
            note="this application has no CV"),
    ],
    "admin/outcomes/finalreport/<int:pk>/download/": [
        GET("/admin/outcomes/finalreport/{obj/outcomes/finalreport}/download/",
                                            *NS,        403, 200, 403, 200),
    ],
    "admin/engagements/reimbursementreport/<int:pk>/download/<str:kind>/": [
        GET("/admin/engagements/reimbursementreport/{filed_report}/download/pdf/",
                                            *NS,        403, 403, 200, 200),
        GET("/admin/engagements/reimbursementreport/{filed_report}/download/exe/",
                                            *NS,        403, 403, 404, 404),
    ],
}
# fmt: on


def _matrix() -> dict[str, list[Probe]]:
    matrix: dict[str, list[Probe]] = {}
    for part in (APP, _admin_model_probes(), ADMIN_OTHERS):
        doubled = set(matrix) & set(part)
        assert not doubled, f"two rules for {doubled}"
        matrix.update(part)
    return matrix


MATRIX = _matrix()

CASES = [pytest.param(route, role, id=f"{route} | {role}") for route in MATRIX for role in ROLES]


# --- The routes as Django knows them ---------------------------------------------------


def routes() -> list[str]:
    def walk(patterns, prefix=""):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                yield from walk(entry.url_patterns, prefix + str(entry.pattern))
            else:
                assert isinstance(entry, URLPattern)
                yield prefix + str(entry.pattern)

    return list(walk(get_resolver().url_patterns))


def test_every_route_is_in_the_matrix():
    missing = [route for route in routes() if route not in MATRIX]
    assert not missing, f"new route not in the matrix: {missing}"


def test_every_matrix_key_is_a_route():
    known = set(routes())
    stale = [key for key in MATRIX if key not in known]
    assert not stale, f"in the matrix, but no longer a route: {stale}"


def test_no_route_is_there_twice():
    all_routes = routes()
    assert len(all_routes) == len(set(all_routes))


# --- The world: one of everything, built once for the module ---------------------------


PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def build_world() -> SimpleNamespace:
    now = timezone.now()
    town = MunicipalityFactory(name="Eschweiler", federal_state=FederalState.NW)
    other_town = MunicipalityFactory(name="Hamm", federal_state=FederalState.NW)
    pool = PoolFactory(federal_state=FederalState.NW, name="MiGlobe NRW")
    FeeRateFactory(pool=pool, valid_from=datetime.date(2013, 1, 1))

    officer = MunicipalOfficerFactory(
        user=UserFactory(email="officer@eschweiler.example.org"),
        municipality=town,
        confirmed_at=now,
    )
    other_officer = MunicipalOfficerFactory(
        user=UserFactory(email="officer@hamm.example.org"),
        municipality=other_town,
        confirmed_at=now,
    )
    unconfirmed = MunicipalOfficerFactory(
        user=UserFactory(email="neu@eschweiler.example.org"),
        municipality=town,
        confirmed_at=None,
    )
    engagement = EngagementFactory(title="Einsatz Eschweiler", municipality=town, pool=pool)
    other_engagement = EngagementFactory(title="Einsatz Hamm", municipality=other_town, pool=pool)
    advisor = AdvisorFactory(user=UserFactory(email="advisor@example.org"))
    other_advisor = AdvisorFactory(user=UserFactory(email="other-advisor@example.org"))
    EngagementAdvisorFactory(engagement=engagement, advisor=advisor, slot=1)
    EngagementAdvisorFactory(engagement=other_engagement, advisor=other_advisor, slot=1)

    users = {
        "anonymous": None,
        "officer": officer.user,
        "other_officer": other_officer.user,
        "unconfirmed": unconfirmed.user,
        "advisor": advisor.user,
        "other_advisor": other_advisor.user,
        "bare_staff": StaffMemberFactory(email="ohne-rechte@skew.example.org"),
        "team": StaffMemberFactory(email="team@skew.example.org", groups=[TEAM]),
        "finance": StaffMemberFactory(email="finanzen@skew.example.org", groups=[FINANCE]),
        "superuser": StaffFactory(email="root@skew.example.org"),
    }

    complete = {
        "costs_confirmed": True,
        "preferred_start": datetime.date(2027, 1, 1),
        "preferred_end": datetime.date(2027, 6, 30),
    }
    town_request = ConsultationRequestFactory(
        municipality=town,
        created_by=officer.user,
        status=RequestStatus.SUBMITTED,
        submitted_at=now,
        **complete,
    )
    town_draft = ConsultationRequestFactory(municipality=town, created_by=officer.user, **complete)
    unconfirmed_draft = ConsultationRequestFactory(
        municipality=town, created_by=unconfirmed.user, **complete
    )
    other_request = ConsultationRequestFactory(
        municipality=other_town,
        created_by=other_officer.user,
        status=RequestStatus.SUBMITTED,
        submitted_at=now,
        **complete,
    )
    accepted_request = ConsultationRequestFactory(
        municipality=town,
        created_by=officer.user,
        status=RequestStatus.ACCEPTED,
        submitted_at=now,
        **complete,
    )
    Engagement.objects.filter(pk=engagement.pk).update(consultation_request=accepted_request)
    option = ActionOption.objects.create(
        engagement=engagement, title="Vereine im Integrationsrat", description="Zweimal im Jahr."
    )
    ActionOptionComment.objects.create(option=option, author=officer.user, text="Gut.")
    follow_up = FollowUp.objects.create(engagement=engagement, months=6)
    FollowUpAnswer.objects.create(follow_up=follow_up, option=option, implementation="implemented")
    FinalReport.objects.create(
        engagement=engagement, version=1, language="de", sha256="0" * 64,
        pdf=ContentFile(PDF, name="abschlussbericht.pdf"),
    )  # fmt: skip
    RequestStatusChangeFactory(consultation_request=town_request)
    RequestMessageFactory(consultation_request=town_request)

    milestone = MilestoneFactory(engagement=engagement)
    other_milestone = MilestoneFactory(engagement=other_engagement)
    time_entry = TimeEntryFactory(engagement=engagement, advisor=advisor)
    other_time_entry = TimeEntryFactory(engagement=other_engagement, advisor=other_advisor)
    expense = ExpenseFactory(
        engagement=engagement, advisor=advisor, receipt=ContentFile(PDF, name="beleg.pdf")
    )
    other_expense = ExpenseFactory(
        engagement=other_engagement,
        advisor=other_advisor,
        receipt=ContentFile(PDF, name="beleg.pdf"),
    )
    correction = CostCorrectionFactory(engagement=engagement)
    pending_report = ReimbursementReportFactory(pool=pool, status=ReportStatus.PENDING)
    filed_report = ReimbursementReportFactory(
        pool=pool,
        status=ReportStatus.GENERATED,
        generated_at=now,
        pdf=ContentFile(PDF, name="bericht.pdf"),
        pdf_sha256="0" * 64,
    )

    published = OrganisationFactory(municipality=town)
    consent = PublicationConsentFactory(organisation=published)
    unpublished = OrganisationFactory(municipality=town)
    ContactPersonFactory(organisation=published)
    field_of_action = FieldOfActionFactory()
    ResearchFindingFactory(engagement=engagement, advisor=advisor, organisation=published)
    OrganisationSuggestionFactory(municipality=town)

    soon = now + datetime.timedelta(days=30)
    event = EventFactory(
        municipality=town, engagement=engagement, starts_at=soon, ends_at=soon, capacity=50
    )
    other_event = EventFactory(
        municipality=other_town, engagement=other_engagement, starts_at=soon, ends_at=soon
    )
    private_event = EventFactory(municipality=town, is_public=False, starts_at=soon, ends_at=soon)
    past_event = EventFactory(municipality=town)
    EventSessionFactory(event=event)
    confirmed = {"status": RegistrationStatus.CONFIRMED, "confirmed_at": now}
    registration = RegistrationFactory(event=event, **confirmed)
    attended_registration = RegistrationFactory(event=event, attended=True, **confirmed)
    other_registration = RegistrationFactory(event=other_event, **confirmed)
    pending_registration = RegistrationFactory(event=event)

    PoolMembershipFactory(advisor=advisor, pool=pool)
    PartnerOrganisationFactory(pool=pool)
    training = TrainingFactory(pool=pool)
    TrainingCompletionFactory(advisor=advisor, training=training)
    PoolMembershipFactory(advisor=other_advisor, pool=pool, joined_on=datetime.date(2013, 1, 1))
    TrainingWaiverFactory(advisor=other_advisor, training=training)
    call = CallFactory(pool=pool, slug="nrw-offen")
    CallFactory(pool=pool, slug="nrw-entwurf", published=False)
    criterion = CriterionFactory(call=call)
    application = ApplicationFactory(call=call)
    ScoreFactory(review=ReviewFactory(application=application), criterion=criterion)
    survey = SurveyFactory(municipality=town, engagement=engagement)
    QuestionFactory(survey=survey)
    survey_response = ResponseFactory(survey=survey, invitation=InvitationFactory(survey=survey))
    OptOutFactory()
    MeetingInvitationFactory(survey=survey, event=EventFactory(municipality=town))
    CouncilSystemFactory(municipality=town)
    council_paper = CouncilPaperFactory(municipality=town)
    ConsultationFactory(paper=council_paper)
    PaperFileFactory(paper=council_paper)
    WatchKeywordFactory()
    LeadFactory(paper=council_paper)
    language = LanguageFactory(code="tw", name_de="Twi", name_en="Twi")
    DepartmentFactory(municipality=town)
    ReminderLogFactory()
    ErasureLogFactory()
    ErasureRequestFactory(user=UserFactory(email="weg@example.org"))
    EmailAddress.objects.create(
        user=officer.user, email=officer.user.email, verified=True, primary=True
    )
    Authenticator.objects.create(
        user=UserFactory(email="mit-faktor@example.org"),
        type=Authenticator.Type.TOTP,
        data={"secret": "JBSWY3DPEHPK3PXP"},
    )
    IntervalSchedule.objects.get_or_create(every=10, period=IntervalSchedule.MINUTES)
    SolarSchedule.objects.get_or_create(event="sunrise", latitude=50.8, longitude=6.3)
    ClockedSchedule.objects.create(clocked_time=now)
    assert PeriodicTask.objects.exists() and CrontabSchedule.objects.exists()

    # The object each admin page shows: the first of its kind unless named here.
    named = {
        "auth/group": Group.objects.get(name=TEAM),
        "sites/site": Site.objects.get_current(),
        "core/user": officer.user,
        "advisors/pool": pool,
        "advisors/advisor": advisor,
        "advisors/language": language,
        "engagements/municipality": town,
        "engagements/municipalofficer": officer,
        "engagements/consultationrequest": town_request,
        "engagements/engagement": engagement,
        "engagements/milestone": milestone,
        "engagements/timeentry": time_entry,
        "engagements/expense": expense,
        "engagements/costcorrection": correction,
        "engagements/reimbursementreport": pending_report,
        "actors/organisation": published,
        "actors/fieldofaction": field_of_action,
        "actors/publicationconsent": consent,
        "events/event": event,
        "events/registration": registration,
    }
    ids: dict[str, Any] = {}
    for model in ADMIN_MODELS:
        app_label, model_name = model.split("/")
        model_class = ContentType.objects.get_by_natural_key(app_label, model_name).model_class()
        obj = named.get(model) or model_class._default_manager.order_by("pk").first()
        assert obj is not None, f"the world has no {model} for its admin pages"
        ids[f"obj/{model}"] = obj.pk
        if model in VERSIONED:
            ids[f"version/{model}"] = obj.history.order_by("-history_id").first().history_id

    ids.update(
        town=town.pk,
        town_request=town_request.pk,
        accepted_request=accepted_request.pk,
        option=option.pk,
        follow_up_token=follow_up_token(
            FollowUp.objects.create(engagement=other_engagement, months=6)
        ),
        town_draft=town_draft.pk,
        unconfirmed_draft=unconfirmed_draft.pk,
        other_request=other_request.pk,
        engagement=engagement.pk,
        other_engagement=other_engagement.pk,
        milestone=milestone.pk,
        other_milestone=other_milestone.pk,
        time_entry=time_entry.pk,
        other_time_entry=other_time_entry.pk,
        expense=expense.pk,
        other_expense=other_expense.pk,
        filed_report=filed_report.pk,
        calendar_token=feed_token(advisor),
        published_slug=published.slug,
        unpublished_slug=unpublished.slug,
        published_organisation=published.pk,
        organisation_type=ContentType.objects.get_for_model(published).pk,
        consent_token=consent_withdraw_token(consent),
        event=event.pk,
        other_event=other_event.pk,
        private_event=private_event.pk,
        past_event=past_event.pk,
        registration=registration.pk,
        attended_registration=attended_registration.pk,
        other_registration=other_registration.pk,
        confirm_token=confirm_token(pending_registration),
        cancel_token=cancel_token(registration),
        pool_slug=pool.slug,
        call_slug=call.slug,
        manage_token=application_token(application, MANAGE_SALT),
        application_confirm_token=application_token(application, CONFIRM_SALT),
        training=training.pk,
        member=other_advisor.pk,
        survey=survey.pk,
        survey_key=survey.open_key,
        survey_answer=survey_answer_token(survey_response),
    )
    return SimpleNamespace(users=users, ids=ids)


def _signed_in(user) -> str:
    """A session for `user`, as the `log_in` fixture of tests/conftest.py makes one: with
    the moment of the login recorded (a fresh login). Returns the session key."""
    client = Client()
    client.force_login(user)
    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": time.time(), "email": user.email}
    ]
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()
    return session.session_key


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """One of everything, built once in a transaction of its own: each test's transaction
    (pytest-django's) is a savepoint in it, and the whole is rolled back at the end.

    The module has a media folder and a cache key prefix of its own, set here once
    instead of per test (see `_private_media` and `_fresh_cache` below).
    """
    fresh_cache = copy.deepcopy(django_settings.CACHES)
    fresh_cache["default"]["KEY_PREFIX"] = f"miglobe-test-{uuid.uuid4().hex}"
    request_log = logging.getLogger("django.request")
    level = request_log.level
    # 403, 404 and 405 are the answers this module asks for by the thousand: no warning
    # with a traceback for each. Server errors are still logged.
    request_log.setLevel(logging.ERROR)
    media = tmp_path_factory.mktemp("media")
    with (
        override_settings(MEDIA_ROOT=media, CACHES=fresh_cache),
        django_db_blocker.unblock(),
    ):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            built = build_world()
            # Check the world's deferred foreign keys now, once: otherwise every test's
            # check at its end (pytest-django's) would check them all again.
            connection.check_constraints()
            built.sessions = {role: _signed_in(user) for role, user in built.users.items() if user}
            yield built
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            request_log.setLevel(level)


@pytest.fixture
def _private_media():
    """Replaces the per-test media folder of tests/conftest.py: `world` sets one for the
    module (a temporary folder too), which its receipts and reports are in."""


@pytest.fixture
def _fresh_cache():
    """Replaces the per-test cache prefix of tests/conftest.py: `world` sets one for the
    module. Nothing here counts towards a rate limit."""


# --- The test --------------------------------------------------------------------------


def _login_next(response) -> tuple[str, str | None]:
    parts = urlsplit(response["Location"])
    return parts.path, parse_qs(parts.query).get("next", [None])[0]


def _read(response) -> None:
    """Read a streamed answer to its end: it runs its queries (and may fail) while read."""
    if response.streaming:
        b"".join(response.streaming_content)  # the test client closes it at the end


def _check(world, probe: Probe, role: str) -> str | None:
    """Send the probe as `role`; what is wrong with the answer, or None."""
    # A server error is an answer like any other here (500), with its traceback logged.
    client = Client(raise_request_exception=False)
    if world.users[role] is not None:
        client.cookies[django_settings.SESSION_COOKIE_NAME] = world.sessions[role]
    url = probe.path.format_map(world.ids)
    expected = probe.answers[ROLES.index(role)]
    before = probe.state(world) if probe.state else None

    if probe.method == "GET":
        response = client.get(url)
    else:
        response = client.post(url, probe.data(world) if probe.data else {})
    _read(response)

    got = response.status_code
    where = f" → {response['Location']}" if got in (301, 302) else ""
    failure = f"{probe.method} {url} as {role}: got {got}{where}, expected {expected}"
    if expected in (L, AL, RE):
        login = {L: "/accounts/login/", AL: "/admin/login/", RE: "/accounts/reauthenticate/"}
        if got != 302 or _login_next(response) != (login[expected], url):
            return failure
    elif isinstance(expected, To):
        if got != 302 or response["Location"] != expected.target.format_map(world.ids):
            return failure
    elif got != expected:
        return failure

    if probe.state:
        after = probe.state(world)
        if role in probe.changes and after == before:
            return f"{failure}, but nothing changed ({before!r})"
        if role not in probe.changes and after != before:
            return f"{failure}, and it changed {before!r} to {after!r}"
    return None


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "role"), CASES)
def test_answer(world, route, role):
    probes = MATRIX[route]
    if len(probes) == 1:  # the test's own transaction undoes what it changes
        problems = [_check(world, probes[0], role)]
    else:
        problems = []
        for probe in probes:
            with transaction.atomic():  # each probe on the world as it was
                problems.append(_check(world, probe, role))
                transaction.set_rollback(True)
    wrong = [problem for problem in problems if problem]
    assert not wrong, "\n".join(wrong)
