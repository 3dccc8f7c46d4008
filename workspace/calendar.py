"""An advisor's own calendar feed: their open milestones and their engagements' events.

Calendar apps cannot log in, so the feed's address carries a signed token of
the advisor and a version. Renewing the address raises the version; every
older address answers 404 from then on. The feed names engagements, towns and
milestones, never people.
"""

import datetime

from django.conf import settings
from django.core import signing
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Event as CalendarEvent

from advisors.models import Advisor
from engagements.enums import EngagementStatus
from engagements.models import Milestone
from engagements.selectors import engagements_for_advisor
from events.ical import calendar_for, host_uid
from events.models import Event

SALT = (
    "advisors.calendar"  # kept from before the move: renewing addresses is for advisors to decide
)
# Past events stay in the feed for a while, so last week's meeting does not vanish.
PAST_EVENTS = datetime.timedelta(days=90)


def feed_token(advisor: Advisor) -> str:
    # No timestamp (signing.dumps would add one): the address stays the same until renewed.
    return signing.Signer(salt=SALT).sign_object([advisor.pk, advisor.calendar_version])


def feed_url(advisor: Advisor) -> str:
    return settings.SITE_URL + reverse("workspace:calendar_feed", args=[feed_token(advisor)])


def advisor_from_token(token: str) -> Advisor | None:
    """The advisor a feed address belongs to, or None if it is forged or renewed since."""
    try:
        pk, version = signing.Signer(salt=SALT).unsign_object(token)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    return (
        Advisor.objects.select_related("user")
        .filter(pk=pk, calendar_version=version, user__is_active=True)
        .first()
    )


def calendar_renew(advisor: Advisor) -> None:
    """A new address for the feed; the old one stops working at once."""
    Advisor.objects.filter(pk=advisor.pk).update(calendar_version=F("calendar_version") + 1)
    advisor.refresh_from_db(fields=["calendar_version"])


def _milestone(milestone: Milestone, site_url: str) -> CalendarEvent:
    item = CalendarEvent()
    item.add("uid", host_uid("milestone", milestone.pk))
    item.add("dtstamp", timezone.now())
    # An all-day entry on the due date (DTEND is the day after, RFC 5545 3.6.1).
    item.add("dtstart", milestone.due_on)
    item.add("dtend", milestone.due_on + datetime.timedelta(days=1))
    item.add(
        "summary",
        _("Meilenstein: %(title)s (%(town)s)")
        % {"title": milestone.title, "town": milestone.engagement.municipality.name},
    )
    item.add("description", milestone.engagement.title)
    item.add("url", site_url + reverse("workspace:engagement", args=[milestone.engagement_id]))
    return item


def advisor_calendar(advisor: Advisor) -> bytes:
    """The feed, in the advisor's language: three queries, whatever it holds."""
    engagements = engagements_for_advisor(advisor)
    running = engagements.filter(status__in=[EngagementStatus.PLANNED, EngagementStatus.ACTIVE])
    milestones = (
        Milestone.objects.filter(engagement__in=running.values("pk"), done_on__isnull=True)
        .select_related("engagement__municipality")
        .order_by("due_on")
    )
    events = Event.objects.filter(
        engagement__in=engagements.values("pk"), ends_at__gte=timezone.now() - PAST_EVENTS
    ).order_by("starts_at")
    with translation.override(advisor.user.language or settings.LANGUAGE_CODE):
        return calendar_for(
            events,
            name=_("MiGlobe: meine Termine"),
            # The organisers' page: it exists for every event, public or not.
            event_url=lambda event: reverse("events:participants", args=[event.pk]),
            extra=[_milestone(milestone, settings.SITE_URL) for milestone in milestones],
        )
