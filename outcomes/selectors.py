"""Who sees which action options: the engagement's advisors, its municipality's officers, SKEW."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Prefetch, Q, QuerySet

from actors.models import Organisation, ResearchFinding
from core.permissions import Capability, may
from engagements.enums import RequestStatus
from engagements.models import Engagement
from engagements.selectors import engagements_for_advisor, officer_for, requests_for_user

from .models import ActionOption, ActionOptionComment

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from advisors.models import Advisor
    from core.models import User


def options_of(engagement: Engagement) -> QuerySet[ActionOption]:
    """An engagement's options with what their page shows, in a fixed number of queries."""
    return (
        ActionOption.objects.filter(engagement=engagement)
        .select_related("department", "field_of_action", "decided_by")
        .prefetch_related(
            "organisations",
            Prefetch("comments", queryset=ActionOptionComment.objects.select_related("author")),
        )
    )


def engagement_for_officer(user: User | AnonymousUser, request_pk: int) -> Engagement | None:
    """The engagement of an accepted request the user may follow (officer or SKEW), or None."""
    consultation_request = (
        requests_for_user(user).filter(pk=request_pk, status=RequestStatus.ACCEPTED).first()
    )
    if consultation_request is None:
        return None
    return (
        Engagement.objects.select_related("municipality", "consultation_request")
        .filter(consultation_request=consultation_request)
        .first()
    )


def may_decide(user: User | AnonymousUser, engagement: Engagement) -> bool:
    """Decisions are the municipality's: a confirmed officer of it."""
    officer = officer_for(user)
    return bool(
        officer and officer.is_confirmed and officer.municipality_id == engagement.municipality_id
    )


def advises_on(advisor: Advisor | None, engagement: Engagement) -> bool:
    return engagements_for_advisor(advisor).filter(pk=engagement.pk).exists()


def may_comment(user: User | AnonymousUser, engagement: Engagement, *, advising: bool) -> bool:
    """The engagement's advisors (`advising`), the municipality's officers and SKEW."""
    return advising or may_decide(user, engagement) or may(user, Capability.STEER_ENGAGEMENTS)


def organisations_for(engagement: Engagement) -> QuerySet[Organisation]:
    """What an option may build on: the municipality's organisations and those researched."""
    return (
        Organisation.objects.filter(
            Q(municipality_id=engagement.municipality_id) | Q(findings__engagement=engagement)
        )
        .distinct()
        .order_by("name")
    )


def findings_for(engagement: Engagement) -> QuerySet[ResearchFinding]:
    return ResearchFinding.objects.filter(engagement=engagement).select_related("organisation")
