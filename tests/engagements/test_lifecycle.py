"""An engagement after acceptance: every change through one service, logged, and told."""

import datetime
import re
import threading

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from engagements import lifecycle
from engagements.enums import EngagementStatus, EntryStatus
from engagements.lifecycle import EngagementError
from engagements.models import Engagement, EngagementAdvisor
from miglobe.staff_groups import FINANCE, TEAM
from tests.advisors.factories import AdvisorFactory
from tests.core.factories import StaffMemberFactory, UserFactory
from tests.engagements.factories import (
    ConsultationRequestFactory,
    EngagementAdvisorFactory,
    EngagementFactory,
    ExpenseFactory,
    MilestoneFactory,
    TimeEntryFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def engagement(municipality, officer, amara):
    engagement = EngagementFactory(
        municipality=municipality,
        status=EngagementStatus.PLANNED,
        consultation_request=ConsultationRequestFactory(municipality=municipality),
        starts_on=datetime.date(2026, 10, 1),
        ends_on=datetime.date(2027, 6, 30),
    )
    EngagementAdvisorFactory(engagement=engagement, advisor=amara, slot=1)
    return engagement


def told(outbox_before: int = 0) -> dict[str, str]:
    """Who got an email since `outbox_before`, and its text."""
    return {message.to[0]: message.body for message in mail.outbox[outbox_before:]}


def last_history(engagement: Engagement):
    return engagement.history.order_by("-history_id").first()


def run(capture, call):
    with capture(execute=True):
        return call()


# --- Status ---------------------------------------------------------------------------------


def test_start_pause_resume_each_logged_with_who_and_why_and_told(
    engagement, skew, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    run(capture, lambda: lifecycle.engagement_start(engagement=engagement, by=skew))
    engagement.refresh_from_db()
    assert engagement.status == EngagementStatus.ACTIVE
    entry = last_history(engagement)
    assert entry.history_user == skew
    assert entry.history_change_reason == "Status: geplant → laufend."
    assert set(told()) == {"officer@eschweiler.example.org", "amara@example.org"}
    assert "Status: geplant → laufend" in told()["officer@eschweiler.example.org"]
    assert (
        f"/requests/{engagement.consultation_request_id}/"
        in told()["officer@eschweiler.example.org"]
    )
    assert f"/advisor/engagements/{engagement.pk}/" in told()["amara@example.org"]

    sent = len(mail.outbox)
    reason = "Die Kommune stellt den Haushalt neu auf; Fortsetzung im Frühjahr."
    run(
        capture,
        lambda: lifecycle.engagement_pause(engagement=engagement, by=skew, reason=reason),
    )
    engagement.refresh_from_db()
    assert engagement.status == EngagementStatus.PAUSED
    assert last_history(engagement).history_change_reason.endswith(reason)  # whole, not cut
    assert all(reason in body for body in told(sent).values())

    run(capture, lambda: lifecycle.engagement_resume(engagement=engagement, by=skew))
    engagement.refresh_from_db()
    assert engagement.status == EngagementStatus.ACTIVE
    assert engagement.history.count() == 4  # created, started, paused, resumed


def test_each_person_reads_the_change_in_their_own_language(
    engagement, skew, amara, django_capture_on_commit_callbacks
):
    amara.user.language = "en"
    amara.user.save()
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.engagement_start(engagement=engagement, by=skew)

    assert "Status: planned → ongoing." in told()["amara@example.org"]
    assert "Status: geplant → laufend." in told()["officer@eschweiler.example.org"]
    assert last_history(engagement).history_change_reason == "Status: geplant → laufend."


@pytest.mark.parametrize(
    ("status", "step", "kwargs"),
    [
        (EngagementStatus.PLANNED, "engagement_pause", {"reason": "Urlaub"}),
        (EngagementStatus.ACTIVE, "engagement_start", {}),
        (EngagementStatus.ACTIVE, "engagement_resume", {}),
        (EngagementStatus.COMPLETED, "engagement_cancel", {"reason": "zu spät"}),
        (EngagementStatus.CANCELLED, "engagement_start", {}),
    ],
)
def test_a_change_the_status_does_not_allow_is_refused_and_changes_nothing(
    engagement, skew, status, step, kwargs
):
    Engagement.objects.filter(pk=engagement.pk).update(status=status)
    versions = engagement.history.count()

    with pytest.raises(EngagementError, match="das geht nur bei"):
        getattr(lifecycle, step)(engagement=engagement, by=skew, **kwargs)

    engagement.refresh_from_db()
    assert engagement.status == status
    assert engagement.history.count() == versions
    assert mail.outbox == []


@pytest.mark.parametrize("step", ["engagement_pause", "engagement_cancel"])
def test_pausing_or_cancelling_needs_a_reason(engagement, skew, step):
    Engagement.objects.filter(pk=engagement.pk).update(status=EngagementStatus.ACTIVE)
    with pytest.raises(EngagementError, match="Grund"):
        getattr(lifecycle, step)(engagement=engagement, by=skew, reason="   ")


def test_cancelling_hands_open_drafts_to_skew_and_keeps_the_rest(engagement, skew, amara):
    draft = TimeEntryFactory(engagement=engagement, advisor=amara, status=EntryStatus.DRAFT)
    expense = ExpenseFactory(engagement=engagement, advisor=amara, status=EntryStatus.DRAFT)
    approved = TimeEntryFactory(engagement=engagement, advisor=amara, status=EntryStatus.APPROVED)

    lifecycle.engagement_cancel(
        engagement=engagement, by=skew, reason="Die Stelle der Ansprechperson ist unbesetzt."
    )

    for entry in (draft, expense):
        entry.refresh_from_db()
        assert entry.status == EntryStatus.SUBMITTED  # on SKEW's list to decide
        assert entry.history.first().history_change_reason.startswith("Einsatz abgebrochen")
    approved.refresh_from_db()
    assert approved.status == EntryStatus.APPROVED


# --- Advisors -------------------------------------------------------------------------------


def test_a_replaced_advisor_loses_the_pages_keeps_the_entries_and_everyone_is_told(
    client, engagement, skew, amara, django_capture_on_commit_callbacks
):
    Engagement.objects.filter(pk=engagement.pk).update(status=EngagementStatus.ACTIVE)
    kept = TimeEntryFactory(engagement=engagement, advisor=amara, status=EntryStatus.APPROVED)
    draft = TimeEntryFactory(engagement=engagement, advisor=amara, status=EntryStatus.DRAFT)
    kemal = AdvisorFactory(user=UserFactory(email="kemal@example.org", name="Kemal Yilmaz"))
    page = reverse("workspace:engagement", args=[engagement.pk])
    client.force_login(amara.user)
    assert client.get(page).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.advisor_replace(
            engagement=engagement, leaving=amara, joining=kemal, by=skew,
            reason="Amara Diallo zieht nach Hamburg.",
        )  # fmt: skip

    assert client.get(page).status_code == 404
    client.force_login(kemal.user)
    assert client.get(page).status_code == 200
    left = EngagementAdvisor.objects.get(engagement=engagement, advisor=amara)
    assert left.left_on == timezone.localdate()
    assert EngagementAdvisor.objects.current().get(engagement=engagement).advisor == kemal
    kept.refresh_from_db()
    draft.refresh_from_db()
    assert (kept.advisor, kept.status) == (amara, EntryStatus.APPROVED)
    assert draft.status == EntryStatus.SUBMITTED
    subjects = {(m.to[0], m.subject) for m in mail.outbox}
    assert ("kemal@example.org", "[MiGlobe] Neuer Beratungseinsatz in Eschweiler") in subjects
    assert "amara@example.org" in told() and "officer@eschweiler.example.org" in told()
    assert "Amara Diallo zieht nach Hamburg." in told()["officer@eschweiler.example.org"]


def test_never_more_than_two_advisors_at_once(engagement, skew):
    EngagementAdvisorFactory(engagement=engagement, slot=2)
    third = AdvisorFactory()

    with pytest.raises(EngagementError, match="höchstens zwei"):
        lifecycle.advisor_assign(engagement=engagement, advisor=third, by=skew)
    with pytest.raises(EngagementError, match="schon in diesem Einsatz"):
        lifecycle.advisor_assign(
            engagement=engagement, advisor=engagement.assignments.first().advisor, by=skew
        )
    assert EngagementAdvisor.objects.current().filter(engagement=engagement).count() == 2


# serialized_rollback: the flush afterwards must not take the migrations' data along.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_assignments_at_once_for_the_last_place_give_it_to_one(postgres_only):
    engagement = EngagementFactory(status=EngagementStatus.ACTIVE)
    EngagementAdvisorFactory(engagement=engagement, slot=1)
    skew = StaffMemberFactory(groups=[TEAM])
    candidates = [AdvisorFactory(), AdvisorFactory()]
    barrier = threading.Barrier(2)
    results: list = [None, None]

    def assign(index: int) -> None:
        try:
            barrier.wait()
            results[index] = lifecycle.advisor_assign(
                engagement=engagement, advisor=candidates[index], by=skew
            )
        except Exception as error:  # handed back to the test, which shows it
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=assign, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(type(r).__name__ for r in results) == ["EngagementAdvisor", "EngagementError"]
    assert EngagementAdvisor.objects.current().filter(engagement=engagement).count() == 2


# --- Milestones -----------------------------------------------------------------------------


def test_a_moved_milestone_says_why_to_everyone(
    engagement, skew, django_capture_on_commit_callbacks
):
    milestone = MilestoneFactory(
        engagement=engagement, title="Vernetzungstreffen", due_on=datetime.date(2027, 3, 1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.milestone_move(
            milestone=milestone, by=skew, due_on=datetime.date(2027, 4, 15),
            reason="Der Ratssaal ist im März belegt.",
        )  # fmt: skip

    milestone.refresh_from_db()
    assert milestone.due_on == datetime.date(2027, 4, 15)
    reason = last_history(engagement).history_change_reason
    assert "01.03.2027 → 15.04.2027" in reason and "Ratssaal" in reason
    assert "01.03.2027 → 15.04.2027" in told()["officer@eschweiler.example.org"]


def test_milestone_changes_that_make_no_sense_are_refused(engagement, skew):
    done = MilestoneFactory(engagement=engagement, done_on=datetime.date(2026, 11, 1))
    open_ = MilestoneFactory(engagement=engagement, due_on=datetime.date(2027, 3, 1))
    cases = [
        (lambda: lifecycle.milestone_move(milestone=done, by=skew,
                                          due_on=datetime.date(2027, 5, 1), reason="x"),
         "erledigter"),
        (lambda: lifecycle.milestone_move(milestone=open_, by=skew,
                                          due_on=datetime.date(2026, 9, 1), reason="x"),
         "vor dem Beginn"),
        (lambda: lifecycle.milestone_move(milestone=open_, by=skew,
                                          due_on=datetime.date(2027, 5, 1), reason=" "),
         "Grund"),
        (lambda: lifecycle.milestone_complete(milestone=open_, by=skew,
                                              done_on=timezone.localdate()
                                              + datetime.timedelta(days=1)),
         "Zukunft"),
        (lambda: lifecycle.milestone_add(engagement=engagement, by=skew, title="  ",
                                         due_on=datetime.date(2027, 1, 1)),
         "Titel"),
    ]  # fmt: skip
    for call, message in cases:
        with pytest.raises(EngagementError, match=message):
            call()
    open_.refresh_from_db()
    assert (open_.due_on, open_.done_on) == (datetime.date(2027, 3, 1), None)


def test_the_milestones_of_an_ended_engagement_stay_as_they_are(engagement, skew):
    open_ = MilestoneFactory(engagement=engagement, due_on=datetime.date(2027, 3, 1))
    for status in (EngagementStatus.COMPLETED, EngagementStatus.CANCELLED):
        engagement.status = status
        engagement.save()
        with pytest.raises(EngagementError, match="Meilensteine stehen fest"):
            lifecycle.milestone_move(
                milestone=open_, by=skew, due_on=datetime.date(2027, 5, 1), reason="x"
            )
        with pytest.raises(EngagementError, match="Meilensteine stehen fest"):
            lifecycle.milestone_complete(
                milestone=open_, by=skew, done_on=datetime.date(2026, 11, 1)
            )
    open_.refresh_from_db()
    assert (open_.due_on, open_.done_on) == (datetime.date(2027, 3, 1), None)


# --- The admin ----------------------------------------------------------------------------


def steer(client, engagement, form: str, **data):
    return client.post(
        reverse("admin:engagements_engagement_steer", args=[engagement.pk]),
        {"form": form, **{f"{form}-{key}": value for key, value in data.items()}},
    )


def test_skew_steers_the_engagement_on_its_own_page(
    client, engagement, skew, log_in, django_capture_on_commit_callbacks
):
    log_in(client, skew)
    change = client.get(reverse("admin:engagements_engagement_change", args=[engagement.pk]))
    assert 'name="status"' not in change.content.decode()  # read-only there

    with django_capture_on_commit_callbacks(execute=True):
        assert steer(client, engagement, "status", step="start").status_code == 302
    engagement.refresh_from_db()
    assert engagement.status == EngagementStatus.ACTIVE

    refused = steer(client, engagement, "status", step="cancel", reason="")
    assert refused.status_code == 400
    errors = re.search(
        r'<div class="errornote" role="alert" id="status-errors">(.*?)</div>',
        refused.content.decode(),
        re.S,
    )
    assert errors and "Bitte geben Sie einen Grund an." in errors.group(1)
    engagement.refresh_from_db()
    assert engagement.status == EngagementStatus.ACTIVE

    response = steer(client, engagement, "status", step="cancel", reason="Kein Budget mehr.")
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert re.search(r'<span id="engagement-status">abgebrochen</span>', page)
    assert "Kein Budget mehr." in page  # the history on the page says why


def test_only_those_who_steer_engagements_reach_the_page(client, engagement, log_in):
    log_in(client, StaffMemberFactory(groups=[FINANCE]))
    assert steer(client, engagement, "status", step="start").status_code == 403
    engagement.refresh_from_db()
    assert engagement.status == EngagementStatus.PLANNED
