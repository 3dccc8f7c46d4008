"""The admin's first page tells the SKEW team what waits for them, and leads there."""

import datetime
import re

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from core.models import EmailStatus
from engagements.enums import EngagementStatus, EntryStatus, RequestStatus
from tests.actors.factories import OrganisationSuggestionFactory
from tests.core.factories import OutboxEmailFactory, StaffFactory, UserFactory
from tests.engagements.factories import (
    ConsultationRequestFactory,
    ExpenseFactory,
    MilestoneFactory,
    MunicipalOfficerFactory,
    TimeEntryFactory,
)

pytestmark = pytest.mark.django_db


def todo(client) -> dict[str, tuple[int, str]]:
    html = client.get("/admin/").content.decode()
    block = re.search(r'<div class="module skew-todo".*?</table>', html, re.S).group(0)
    return {
        label: (int(count), url.replace("&amp;", "&"))
        for url, label, count in re.findall(
            r'<a href="([^"]+)">([^<]+)</a></th>\s*<td class="skew-todo__count">(\d+)</td>', block
        )
    }


def waiting():
    today = timezone.localdate()
    ConsultationRequestFactory.create_batch(2, status=RequestStatus.SUBMITTED)
    ConsultationRequestFactory(status=RequestStatus.DRAFT)
    MunicipalOfficerFactory(confirmed_at=None)
    MunicipalOfficerFactory(confirmed_at=timezone.now())
    TimeEntryFactory.create_batch(3, status=EntryStatus.SUBMITTED)
    TimeEntryFactory(status=EntryStatus.APPROVED)
    ExpenseFactory(status=EntryStatus.SUBMITTED)
    OrganisationSuggestionFactory()
    MilestoneFactory(due_on=today - datetime.timedelta(days=3))
    MilestoneFactory(due_on=today - datetime.timedelta(days=3), done_on=today)
    MilestoneFactory(due_on=today + datetime.timedelta(days=3))
    OutboxEmailFactory(status=EmailStatus.FAILED, attempts=8)
    OutboxEmailFactory(
        status=EmailStatus.SENDING, claimed_at=timezone.now() - datetime.timedelta(hours=1)
    )
    OutboxEmailFactory(status=EmailStatus.SENDING, claimed_at=timezone.now())  # on its way
    # An open milestone of a finished engagement waits for nobody.
    MilestoneFactory(
        due_on=today - datetime.timedelta(days=3), engagement__status=EngagementStatus.COMPLETED
    )


def test_staff_see_what_waits_and_each_link_shows_those_rows(client):
    waiting()
    client.force_login(StaffFactory())

    items = todo(client)

    assert {label: count for label, (count, _url) in items.items()} == {
        "Anfragen eingereicht, noch nicht in Prüfung": 2,
        "Ansprechpersonen der Kommunen, noch nicht bestätigt": 1,
        "Zeiteinträge zur Freigabe": 3,
        "Ausgaben zur Freigabe": 1,
        "Vorschläge für das Verzeichnis zur Prüfung": 1,
        "Überfällige Meilensteine": 1,
        "E-Mails, die nicht zugestellt werden konnten": 1,
        "E-Mails, deren Versand liegengeblieben ist": 1,
    }
    for label, (count, url) in items.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.context["cl"].result_count == count, label


def test_nothing_waiting_says_so(client):
    client.force_login(StaffFactory())
    assert "Im Moment wartet nichts auf das SKEW-Team." in client.get("/admin/").content.decode()


def test_staff_see_only_what_they_may_view(client):
    waiting()
    clerk = UserFactory(email="buchhaltung@example.org", is_staff=True)
    clerk.user_permissions.add(Permission.objects.get(codename="view_timeentry"))
    client.force_login(clerk)

    assert list(todo(client)) == ["Zeiteinträge zur Freigabe"]


def test_the_list_costs_the_same_queries_whatever_waits(client, count_queries):
    client.force_login(StaffFactory())
    client.get("/admin/")
    few = count_queries.get(client, "/admin/")
    waiting()
    waiting()
    assert count_queries.get(client, "/admin/") == few
