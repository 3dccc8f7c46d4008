"""The advisor's calendar feed: their open milestones and events, at an address they can renew."""

import datetime
import time

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from tests.engagements.factories import MilestoneFactory
from tests.events.factories import EventFactory
from workspace.calendar import feed_token

pytestmark = pytest.mark.django_db


def feed(client, advisor):
    return client.get(reverse("workspace:calendar_feed", args=[feed_token(advisor)]))


def entries(response) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(response.content)
    return {str(item["summary"]): item for item in calendar.walk("VEVENT")}


@pytest.fixture
def plans(engagement, other_advisor):
    MilestoneFactory(
        engagement=engagement, title="Vernetzungstreffen", due_on=datetime.date(2020, 6, 30)
    )
    MilestoneFactory(
        engagement=engagement,
        title="Recherche der Akteure",
        due_on=datetime.date(2020, 3, 31),
        done_on=datetime.date(2020, 3, 20),
    )
    other = other_advisor.engagements.get()
    MilestoneFactory(engagement=other, title="Abschlussbericht Hamm")
    soon = timezone.now() + datetime.timedelta(days=10)
    EventFactory(
        engagement=engagement,
        title="Netzwerktreffen Eschweiler",
        starts_at=soon,
        ends_at=soon + datetime.timedelta(hours=3),
    )
    EventFactory(engagement=other, title="Netzwerktreffen Hamm", starts_at=soon, ends_at=soon)


def test_the_feed_holds_the_advisors_open_milestones_and_events_only(client, advisor, plans):
    response = feed(client, advisor)  # no login: calendar apps cannot log in

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    items = entries(response)
    assert set(items) == {
        "Meilenstein: Vernetzungstreffen (Eschweiler)",
        "Netzwerktreffen Eschweiler",
    }
    milestone = items["Meilenstein: Vernetzungstreffen (Eschweiler)"]
    assert milestone.decoded("dtstart") == datetime.date(2020, 6, 30)  # all day
    assert milestone.decoded("dtend") == datetime.date(2020, 7, 1)
    assert str(milestone["url"]).endswith(f"/advisor/engagements/{advisor.engagements.get().pk}/")


def test_the_feed_speaks_the_advisors_language(client, advisor, plans):
    advisor.user.language = "en"
    advisor.user.save()
    assert "Milestone: Vernetzungstreffen (Eschweiler)" in entries(feed(client, advisor))


def test_the_address_stays_the_same_until_renewed(advisor, monkeypatch):
    first = feed_token(advisor)
    # A day later (a timestamped signature would differ by then), it is the same address.
    later = time.time() + 86400
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)
    assert feed_token(advisor) == first


def test_a_forged_or_renewed_address_answers_404(client, advisor, other_advisor, plans):
    old = reverse("workspace:calendar_feed", args=[feed_token(advisor)])
    forged = old.replace(feed_token(advisor), feed_token(other_advisor)[:-3] + "abc")
    assert client.get(forged).status_code == 404

    client.force_login(advisor.user)
    response = client.post(reverse("workspace:calendar_renew"))
    assert response.status_code == 302

    advisor.refresh_from_db()
    dashboard = client.get(reverse("workspace:dashboard")).content.decode()
    assert "die bisherige gilt nicht mehr" in dashboard
    assert feed_token(advisor) in dashboard
    assert client.get(old).status_code == 404
    assert feed(client, advisor).status_code == 200


def test_only_the_advisor_renews_their_address(client, officer, advisor):
    renew = reverse("workspace:calendar_renew")
    assert client.post(renew).status_code == 302  # to the login
    client.force_login(officer)
    assert client.post(renew).status_code == 404
    client.force_login(advisor.user)
    assert client.get(renew).status_code == 405
    advisor.refresh_from_db()
    assert advisor.calendar_version == 0


def test_the_feed_costs_the_same_queries_whatever_it_holds(
    client, advisor, engagement, count_queries
):
    feed(client, advisor)
    few = count_queries(lambda: feed(client, advisor))
    MilestoneFactory.create_batch(10, engagement=engagement)
    for _ in range(5):
        EventFactory(engagement=engagement, starts_at=timezone.now(), ends_at=timezone.now())

    def fetch_all_fifteen():
        calendar = icalendar.Calendar.from_ical(feed(client, advisor).content)
        assert len(calendar.walk("VEVENT")) == 15

    assert count_queries(fetch_all_fifteen) == few
