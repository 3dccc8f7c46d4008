"""The request's life: every transition, allowed and refused, and what each one does."""

import datetime
import itertools

import pytest
from django.core import mail

from engagements.enums import MilestoneKind, RequestStatus
from engagements.models import ConsultationRequest, Engagement, RequestStatusChange
from engagements.services import (
    TRANSITIONS,
    RequestError,
    request_accept,
    request_decline,
    request_post_message,
    request_start_review,
    request_submit,
    request_withdraw,
)
from tests.engagements.factories import ConsultationRequestFactory

pytestmark = pytest.mark.django_db

ALL = [s.value for s in RequestStatus]
ALLOWED = {(a, b) for a, targets in TRANSITIONS.items() for b in targets}


def in_state(request_obj, status):
    reason = "Kein Bedarf" if status == RequestStatus.DECLINED else ""
    ConsultationRequest.objects.filter(pk=request_obj.pk).update(
        status=status, decline_reason=reason
    )
    request_obj.refresh_from_db()
    return request_obj


def do(target, request_obj, officer, staff, advisor):
    """Attempt the transition to `target` with the service that makes it."""
    if target == RequestStatus.SUBMITTED:
        return request_submit(consultation_request=request_obj, by=officer.user)
    if target == RequestStatus.IN_REVIEW:
        return request_start_review(consultation_request=request_obj, by=staff)
    if target == RequestStatus.DECLINED:
        return request_decline(
            consultation_request=request_obj, by=staff, reason="Kein Bedarf erkennbar"
        )
    if target == RequestStatus.WITHDRAWN:
        return request_withdraw(consultation_request=request_obj, by=officer.user)
    if target == RequestStatus.ACCEPTED:
        return request_accept(
            consultation_request=request_obj,
            by=staff,
            advisors=[advisor],
            starts_on=datetime.date(2027, 1, 1),
            ends_on=datetime.date(2027, 6, 30),
        )
    pytest.skip("no service moves a request back to draft")


def test_only_the_documented_transitions_exist():
    assert {
        (RequestStatus.DRAFT, RequestStatus.SUBMITTED),
        (RequestStatus.DRAFT, RequestStatus.WITHDRAWN),
        (RequestStatus.SUBMITTED, RequestStatus.IN_REVIEW),
        (RequestStatus.SUBMITTED, RequestStatus.WITHDRAWN),
        (RequestStatus.IN_REVIEW, RequestStatus.ACCEPTED),
        (RequestStatus.IN_REVIEW, RequestStatus.DECLINED),
        (RequestStatus.IN_REVIEW, RequestStatus.WITHDRAWN),
    } == ALLOWED


@pytest.mark.parametrize(
    ("source", "target"),
    [
        (a, b)
        for a, b in itertools.product(ALL, ALL)
        if a != b and b != RequestStatus.DRAFT  # no service leads back to draft
    ],
)
def test_transition(source, target, draft, officer, staff, pool_member, nrw_pool):
    advisor = pool_member()
    request_obj = in_state(draft, source)
    logged_before = RequestStatusChange.objects.filter(consultation_request=request_obj).count()
    if (source, target) in ALLOWED:
        do(target, request_obj, officer, staff, advisor)
        request_obj.refresh_from_db()
        assert request_obj.status == target
        change = RequestStatusChange.objects.filter(consultation_request=request_obj).latest("pk")
        assert (change.from_status, change.to_status) == (source, target)
        assert change.changed_by is not None
    else:
        with pytest.raises(RequestError) as error:
            do(target, request_obj, officer, staff, advisor)
        assert str(error.value)  # a reason a person can read
        request_obj.refresh_from_db()
        assert request_obj.status == source
        assert (
            RequestStatusChange.objects.filter(consultation_request=request_obj).count()
            == logged_before
        )
        assert not Engagement.objects.filter(consultation_request=request_obj).exists()


def test_unconfirmed_officer_cannot_submit(draft, officer):
    officer.confirmed_at = None
    officer.save()
    with pytest.raises(RequestError, match="noch nicht bestätigt"):
        request_submit(consultation_request=draft, by=officer.user)
    draft.refresh_from_db()
    assert draft.status == RequestStatus.DRAFT


def test_officer_of_another_municipality_cannot_submit(draft, outsider):
    with pytest.raises(RequestError):
        request_submit(consultation_request=draft, by=outsider.user)


def test_incomplete_request_cannot_be_submitted(draft, officer):
    draft.goals = ""
    draft.costs_confirmed = False
    draft.save()
    with pytest.raises(RequestError) as error:
        request_submit(consultation_request=draft, by=officer.user)
    assert "Ziele" in str(error.value)
    assert "Kosten" in str(error.value)


def test_submit_emails_the_skew_team(draft, officer, settings, django_capture_on_commit_callbacks):
    settings.SKEW_TEAM_EMAIL = "team@skew.example.org"
    with django_capture_on_commit_callbacks(execute=True):
        request_submit(consultation_request=draft, by=officer.user)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["team@skew.example.org"]
    assert "Neue Beratungsanfrage aus Eschweiler" in mail.outbox[0].subject
    draft.refresh_from_db()
    assert draft.submitted_at is not None


def test_decline_needs_a_reason_and_emails_it_to_the_officer(
    draft, officer, staff, django_capture_on_commit_callbacks
):
    in_state(draft, RequestStatus.IN_REVIEW)
    with pytest.raises(RequestError, match="Begründung"):
        request_decline(consultation_request=draft, by=staff, reason="   ")
    draft.refresh_from_db()
    assert draft.status == RequestStatus.IN_REVIEW
    with django_capture_on_commit_callbacks(execute=True):
        request_decline(
            consultation_request=draft, by=staff, reason="Der Pool ist bis Ende 2027 ausgebucht."
        )
    draft.refresh_from_db()
    assert draft.status == RequestStatus.DECLINED
    assert draft.decline_reason == "Der Pool ist bis Ende 2027 ausgebucht."
    [email] = mail.outbox
    assert email.to == [officer.user.email]
    assert "Der Pool ist bis Ende 2027 ausgebucht." in email.body
    assert "Guten Tag Petra Beispiel" in email.body
    assert "leider kann die SKEW" in email.body


def test_decline_email_in_the_officers_language(
    draft, officer, staff, django_capture_on_commit_callbacks
):
    officer.user.language = "en"
    officer.user.save()
    in_state(draft, RequestStatus.IN_REVIEW)
    with django_capture_on_commit_callbacks(execute=True):
        request_decline(consultation_request=draft, by=staff, reason="No advisor free")
    assert "Hello Petra Beispiel" in mail.outbox[0].body


def test_accept_opens_the_engagement_with_standard_milestones(
    draft, officer, staff, pool_member, nrw_pool, django_capture_on_commit_callbacks
):
    first, second = pool_member(), pool_member()
    in_state(draft, RequestStatus.IN_REVIEW)
    with django_capture_on_commit_callbacks(execute=True):
        engagement = request_accept(
            consultation_request=draft,
            by=staff,
            advisors=[first, second],
            starts_on=datetime.date(2027, 1, 1),
            ends_on=datetime.date(2027, 6, 30),
        )
    assert engagement.municipality == draft.municipality
    assert engagement.pool == nrw_pool
    assert engagement.consultation_request == draft
    assert list(engagement.assignments.values_list("advisor", "slot")) == [
        (first.pk, 1),
        (second.pk, 2),
    ]
    assert draft.goals in engagement.goals
    milestones = list(engagement.milestones.order_by("due_on"))
    assert {m.kind for m in milestones} == {
        MilestoneKind.RESEARCH,
        MilestoneKind.NETWORK_MEETING,
        MilestoneKind.COUNCIL_PRESENTATION,
        MilestoneKind.FINAL_REPORT,
    }
    assert all(
        datetime.date(2027, 1, 1) <= m.due_on <= datetime.date(2027, 6, 30) for m in milestones
    )
    assert milestones[-1].kind == MilestoneKind.FINAL_REPORT
    assert milestones[-1].due_on == datetime.date(2027, 6, 30)
    recipients = sorted(address for email in mail.outbox for address in email.to)
    assert recipients == sorted([officer.user.email, first.user.email, second.user.email])
    advisor_mail = next(e for e in mail.outbox if e.to == [first.user.email])
    assert "Neuer Beratungseinsatz in Eschweiler" in advisor_mail.subject


def test_accepting_twice_creates_one_engagement(draft, staff, pool_member, nrw_pool):
    advisor = pool_member()
    in_state(draft, RequestStatus.IN_REVIEW)
    args = {
        "consultation_request": draft,
        "by": staff,
        "advisors": [advisor],
        "starts_on": datetime.date(2027, 1, 1),
        "ends_on": datetime.date(2027, 6, 30),
    }
    first = request_accept(**args)
    second = request_accept(**args)
    assert first.pk == second.pk
    assert Engagement.objects.filter(consultation_request=draft).count() == 1
    assert draft.status_changes.filter(to_status=RequestStatus.ACCEPTED).count() == 1


def test_accept_needs_one_or_two_advisors(draft, staff, pool_member, nrw_pool):
    in_state(draft, RequestStatus.IN_REVIEW)
    three = [pool_member(), pool_member(), pool_member()]
    for advisors in ([], three):
        with pytest.raises(RequestError, match="eine oder zwei"):
            request_accept(
                consultation_request=draft,
                by=staff,
                advisors=advisors,
                starts_on=datetime.date(2027, 1, 1),
                ends_on=datetime.date(2027, 6, 30),
            )
    draft.refresh_from_db()
    assert draft.status == RequestStatus.IN_REVIEW
    assert not Engagement.objects.exists()


def test_messages_email_the_other_side(
    draft, officer, colleague, staff, settings, django_capture_on_commit_callbacks
):
    settings.SKEW_TEAM_EMAIL = "team@skew.example.org"
    with django_capture_on_commit_callbacks(execute=True):
        request_post_message(
            consultation_request=draft, author=officer.user, body="Passt der Januar?"
        )
    assert [e.to for e in mail.outbox] == [["team@skew.example.org"]]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        request_post_message(consultation_request=draft, author=staff, body="Ja, der Januar passt.")
    assert sorted(e.to[0] for e in mail.outbox) == sorted(
        [officer.user.email, colleague.user.email]
    )
    assert "Ja, der Januar passt." in mail.outbox[0].body


def test_message_sent_twice_with_one_form_is_posted_once(draft, officer):
    import uuid

    token = uuid.uuid4()
    first = request_post_message(
        consultation_request=draft, author=officer.user, body="Hallo", form_token=token
    )
    second = request_post_message(
        consultation_request=draft, author=officer.user, body="Hallo", form_token=token
    )
    assert first.pk == second.pk
    assert draft.messages.count() == 1


def test_withdrawn_request_keeps_its_history(draft, officer):
    request_withdraw(consultation_request=draft, by=officer.user, reason="Haushaltssperre")
    draft.refresh_from_db()
    assert draft.status == RequestStatus.WITHDRAWN
    assert draft.status_changes.get(to_status=RequestStatus.WITHDRAWN).note == "Haushaltssperre"


def test_request_factory_starts_as_draft():
    assert ConsultationRequestFactory().status == RequestStatus.DRAFT
