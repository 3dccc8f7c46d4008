"""Six and twelve months after completion: asked once, reminded once, answered once."""

import datetime
import re

import pytest
from django.core import mail, signing
from django.utils import timezone

from engagements.enums import EngagementStatus, RequestStatus
from outcomes.enums import Decision, Implementation
from outcomes.follow_up import ask_due, link_for, months_later
from outcomes.models import FollowUp, FollowUpAnswer
from tests.engagements.factories import ConsultationRequestFactory, EngagementFactory
from tests.outcomes.factories import ActionOptionFactory

pytestmark = pytest.mark.django_db

DONE = datetime.date(2027, 1, 31)


@pytest.fixture
def completed(municipality, officer):
    engagement = EngagementFactory(
        municipality=municipality,
        status=EngagementStatus.COMPLETED,
        completed_on=DONE,
        consultation_request=ConsultationRequestFactory(
            municipality=municipality, status=RequestStatus.ACCEPTED, created_by=officer.user
        ),
    )
    now = timezone.now()
    ActionOptionFactory(
        engagement=engagement, title="Integrationsrat hört Vereine",
        decision=Decision.ADOPTED, decided_at=now,
    )  # fmt: skip
    ActionOptionFactory(
        engagement=engagement, title="Städtepartnerschaft mit Diaspora",
        decision=Decision.PLANNED, decided_at=now,
    )  # fmt: skip
    ActionOptionFactory(
        engagement=engagement, title="Nicht verfolgt",
        decision=Decision.NOT_PURSUED, decision_reason="kein Personal", decided_at=now,
    )  # fmt: skip
    return engagement


def at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(8)))


def run(capture, day: datetime.date) -> list:
    before = len(mail.outbox)
    with capture(execute=True):
        ask_due(today=day, now=at(day))
    return mail.outbox[before:]


def test_months_later_keeps_the_day_or_takes_the_months_last():
    assert months_later(datetime.date(2027, 1, 31), 6) == datetime.date(2027, 7, 31)
    assert months_later(datetime.date(2027, 8, 31), 6) == datetime.date(2028, 2, 29)
    assert months_later(datetime.date(2027, 1, 31), 12) == datetime.date(2028, 1, 31)


def test_asked_at_six_and_twelve_months_each_once_and_reminded_once(
    completed, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    six = months_later(DONE, 6)
    assert run(capture, six - datetime.timedelta(days=1)) == []
    [asked] = run(capture, six)
    assert asked.to == ["officer@eschweiler.example.org"]
    assert "seit 6 Monaten abgeschlossen" in asked.body
    assert run(capture, six) == []  # the daily task again: nothing new
    assert run(capture, six + datetime.timedelta(days=13)) == []
    [reminder] = run(capture, six + datetime.timedelta(days=14))
    assert reminder.subject.startswith("[MiGlobe] Erinnerung:")
    assert run(capture, six + datetime.timedelta(days=30)) == []  # reminded once only

    [twelve] = run(capture, months_later(DONE, 12))
    assert "seit 12 Monaten abgeschlossen" in twelve.body
    assert sorted(FollowUp.objects.values_list("months", flat=True)) == [6, 12]


def test_the_officer_answers_by_the_link_once_without_a_password(
    client, completed, django_capture_on_commit_callbacks
):
    [email] = run(django_capture_on_commit_callbacks, months_later(DONE, 6))
    path = re.search(r"/follow-up/[^/\s]+/", email.body).group(0)
    follow_up = FollowUp.objects.get()
    page = client.get(path)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Integrationsrat hört Vereine" in html and "Städtepartnerschaft" in html
    assert "Nicht verfolgt" not in html  # only what the municipality meant to do is asked

    options = {o.title: o for o in completed.action_options.all()}
    adopted, planned = (
        options["Integrationsrat hört Vereine"],
        options["Städtepartnerschaft mit Diaspora"],
    )
    incomplete = client.post(path, {f"o{adopted.pk}": Implementation.IMPLEMENTED})
    assert incomplete.status_code == 400
    assert f'id="id_o{planned.pk}_error"' in incomplete.content.decode()
    assert not FollowUpAnswer.objects.exists()

    done = client.post(
        path,
        {
            f"o{adopted.pk}": Implementation.IMPLEMENTED,
            f"n{adopted.pk}": "Seit März 2028 zweimal im Jahr.",
            f"o{planned.pk}": Implementation.IN_PROGRESS,
        },
    )
    assert done.status_code == 200
    assert "Ihre Antwort ist gespeichert" in done.content.decode()
    follow_up.refresh_from_db()
    assert follow_up.answered_at is not None
    assert dict(FollowUpAnswer.objects.values_list("option__title", "implementation")) == {
        "Integrationsrat hört Vereine": "implemented",
        "Städtepartnerschaft mit Diaspora": "in_progress",
    }

    again = client.get(path)
    state = re.search(r'<p class="lead" id="follow-up-state">(.*?)</p>', again.content.decode())
    assert state and "wurde am" in state.group(1) and "beantwortet" in state.group(1)
    client.post(path, {f"o{adopted.pk}": Implementation.NOT_IMPLEMENTED, f"o{planned.pk}": "x"})
    assert FollowUpAnswer.objects.count() == 2  # a second answer changes nothing


def test_an_expired_or_tampered_link_explains_itself(client, completed, monkeypatch):
    follow_up = FollowUp.objects.create(engagement=completed, months=6)
    path = link_for(follow_up)

    tampered = client.get(path.replace("/follow-up/", "/follow-up/x"))
    assert tampered.status_code == 400
    assert "unvollständig oder verändert" in tampered.content.decode()

    later = signing.time.time() + 61 * 24 * 3600
    monkeypatch.setattr(signing.time, "time", lambda: later)
    expired = client.get(path)
    assert expired.status_code == 400
    assert "Dieser Link ist abgelaufen" in expired.content.decode()
