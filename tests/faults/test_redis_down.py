"""Redis (broker and cache) goes down: the pages still answer, and the mail waits in the outbox.

The test's own Redis is stopped while people log in, register for an event,
submit a request and open the admin. Nothing may answer 500; every email must be
a queued outbox row. Redis comes back, a worker starts, the periodic flush runs:
each email reaches the mail server exactly once.
"""

import time
from collections import Counter
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.models import EmailStatus, OutboxEmail
from engagements.enums import RequestStatus
from engagements.models import ConsultationRequest
from events.models import Registration
from tests.actors.factories import OrganisationFactory, PublicationConsentFactory
from tests.core.factories import StaffFactory, UserFactory
from tests.engagements.factories import MunicipalityFactory, MunicipalOfficerFactory
from tests.events.factories import EventFactory
from tests.faults.conftest import PASSWORD
from tests.miglobe.test_locks_as_production_runs import request_form

# A page that waits for a dead broker makes people click twice: a few seconds at most.
PATIENCE_SECONDS = 5


def timed(call):
    started = time.monotonic()
    response = call()
    return response, time.monotonic() - started


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_while_redis_is_down_pages_answer_and_mail_goes_out_once_it_is_back(
    postgres_only, web, fault_redis, smtp_sink, start_worker, queue, log_in
):
    from core.tasks import flush_outbox

    eschweiler = MunicipalityFactory(name="Eschweiler")
    officer = MunicipalOfficerFactory(
        user=UserFactory(email="officer@eschweiler.example.org", name="Petra Beispiel"),
        municipality=eschweiler,
        confirmed_at=timezone.now(),
    )
    EmailAddress.objects.create(
        user=officer.user, email=officer.user.email, verified=True, primary=True
    )
    starts = timezone.now().replace(minute=0, second=0, microsecond=0) + timedelta(days=14)
    event = EventFactory(
        title="Vernetzungstreffen Eschweiler",
        municipality=eschweiler,
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
    )
    staff = StaffFactory(email="skew@example.org")
    listed = OrganisationFactory(name="Senegalesischer Kulturkreis Eschweiler e. V.")
    PublicationConsentFactory(organisation=listed)

    fault_redis.stop()

    operator = Client()
    health = operator.get("/health/")
    assert health.status_code == 503
    body = health.json()
    assert body["database"] == "ok"
    assert body["broker"].startswith("down"), body
    assert body["cache"].startswith("down"), body

    # An officer logs in (allauth counts logins in the cache) and submits a request.
    officer_client = Client()
    response, seconds = timed(
        lambda: officer_client.post(
            "/accounts/login/", {"login": officer.user.email, "password": PASSWORD}
        )
    )
    assert response.status_code == 302, response.content[:2000]
    assert response["Location"] == reverse("home")
    assert seconds < PATIENCE_SECONDS
    assert officer_client.get(reverse("engagements:request_list")).status_code == 200

    response, seconds = timed(
        lambda: officer_client.post(
            reverse("engagements:request_create"), request_form(action="submit")
        )
    )
    consultation_request = ConsultationRequest.objects.get()
    assert response.status_code == 302, response.content[:2000]
    assert response["Location"] == consultation_request.get_absolute_url()
    assert consultation_request.status == RequestStatus.SUBMITTED
    assert seconds < PATIENCE_SECONDS

    # A visitor registers for the event (the form is rate-limited through the cache).
    visitor = Client()
    response, seconds = timed(
        lambda: visitor.post(
            f"/events/{event.pk}/register/",
            {
                "name": "Aminata Beispiel",
                "email": "aminata@example.org",
                "category": "migrant_org",
                "organisation_name": "Senegalesischer Kulturkreis",
                "needs": "",
            },
        )
    )
    assert response.status_code == 302, response.content[:2000]
    assert response["Location"] == reverse("events:register_sent", args=[event.pk])
    assert Registration.objects.filter(event=event, email="aminata@example.org").exists()
    assert seconds < PATIENCE_SECONDS

    # The public directory keeps its figures in the cache: without it, they are computed.
    for url, results, shown in (
        ("/organisations/", 'id="results-title"', listed.name),
        ("/organisations/?q=senegal", 'id="results-title"', listed.name),
        ("/organisations/map/", 'id="towns-title"', listed.municipality.name),
    ):
        response, seconds = timed(lambda url=url: visitor.get(url))
        assert response.status_code == 200, url
        assert shown in response.content.decode().split(results)[1], url
        assert seconds < PATIENCE_SECONDS
    response = visitor.get("/organisations/statistics/")
    assert response.status_code == 200

    # SKEW staff look at the outbox in the admin.
    staff_client = log_in(Client(), staff)
    response = staff_client.get(reverse("admin:core_outboxemail_changelist"))
    assert response.status_code == 200

    emails = {tuple(row.to): row for row in OutboxEmail.objects.all()}
    assert set(emails) == {("team@skew.example.org",), ("aminata@example.org",)}
    assert {row.status for row in emails.values()} == {EmailStatus.QUEUED}
    assert {row.attempts for row in emails.values()} == {0}
    body = operator.get("/health/").json()
    assert body["email_outbox"]["queued"] == 2, body

    # Redis is back; a worker starts and the every-minute flush runs.
    fault_redis.start()
    health = operator.get("/health/")
    assert health.status_code == 200, health.json()
    assert (health.json()["broker"], health.json()["cache"]) == ("ok", "ok")
    worker = start_worker()

    flushed = flush_outbox.apply_async(queue=queue)
    assert worker.result_of(flushed.id) == "2"

    received = smtp_sink.messages()
    by_id = Counter(message.message_id for message in received)
    assert all(count == 1 for count in by_id.values()), by_id
    assert sorted((m.recipients, m.subject) for m in received) == sorted(
        (tuple(row.to), row.subject) for row in emails.values()
    )
    for row in emails.values():
        row.refresh_from_db()
        assert row.status == EmailStatus.SENT
        assert any(m.startswith(f"<outbox-{row.pk}-") for m in by_id), (row.pk, by_id)

    body = operator.get("/health/").json()
    assert (body["status"], body["email_outbox"]["queued"]) == ("ok", 0), body

    again = flush_outbox.apply_async(queue=queue)
    assert worker.result_of(again.id) == "0"
    assert len(smtp_sink.messages()) == 2
