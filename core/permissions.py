"""Who may do what on the SKEW side: one table, read by every view, selector and admin page.

A capability ("review requests", "approve costs", …) is a name that SKEW's office would use.
Each is granted by Django model permissions, which the staff groups carry
(`miglobe/staff_groups.py`), and each is a `rules` permission named `skew.<capability>`,
so `user.has_perm("skew.review_requests")` works in code and `perms.skew.review_requests`
in templates. The same table gives the queryset of everyone who holds a capability (for
example, the people a reminder about an unreviewed request goes to).

Being staff (`is_staff`) only opens the admin's door; it grants nothing by itself. With
`MIGLOBE_STAFF_MFA_REQUIRED` on, a staff member without a second factor holds no
capability at all until they have enrolled one.

Officers and advisors are not in this table: what they may see follows from what they
are (the officer of a municipality, an advisor on an engagement) and is decided by the
selectors of their apps (`engagements.selectors`, `events.selectors`).
"""

from __future__ import annotations

import time
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import rules
from allauth.account.authentication import get_authentication_records
from allauth.core.exceptions import ReauthenticationRequired
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet

if TYPE_CHECKING:
    from django.http import HttpRequest

    from .models import User


class Capability(StrEnum):
    REVIEW_REQUESTS = "review_requests"
    STEER_ENGAGEMENTS = "steer_engagements"
    APPROVE_COSTS = "approve_costs"
    MAKE_REPORTS = "make_reports"
    SEE_RECEIPTS = "see_receipts"
    MODERATE_DIRECTORY = "moderate_directory"
    MANAGE_EVENTS = "manage_events"
    MANAGE_USERS = "manage_users"
    RESEND_MAIL = "resend_mail"
    SEE_FIGURES = "see_figures"
    RECRUIT = "recruit"
    MANAGE_POOLS = "manage_pools"
    DATA_PROTECTION = "data_protection"

    @property
    def perm(self) -> str:
        """The name to ask `user.has_perm` for."""
        return f"skew.{self.value}"


# The model permissions each capability needs, all of them.
GRANTED_BY: dict[Capability, tuple[str, ...]] = {
    Capability.REVIEW_REQUESTS: (
        "engagements.view_consultationrequest",
        "engagements.change_consultationrequest",
    ),
    Capability.STEER_ENGAGEMENTS: ("engagements.change_engagement",),
    Capability.APPROVE_COSTS: ("engagements.change_timeentry", "engagements.change_expense"),
    Capability.MAKE_REPORTS: (
        "engagements.add_reimbursementreport",
        "engagements.add_costcorrection",
    ),
    Capability.SEE_RECEIPTS: ("engagements.view_receipt",),
    Capability.MODERATE_DIRECTORY: ("actors.change_organisation",),
    Capability.MANAGE_EVENTS: ("events.change_registration",),
    Capability.MANAGE_USERS: ("core.change_user",),
    Capability.RESEND_MAIL: ("core.change_outboxemail",),
    # The programme's figures: whoever reads the engagements (team and finance).
    Capability.SEE_FIGURES: ("engagements.view_engagement",),
    # Calls for advisors, the applications and the decisions on them.
    Capability.RECRUIT: ("recruitment.view_application", "recruitment.change_application"),
    # Pools, their seminars and who attended them.
    Capability.MANAGE_POOLS: ("advisors.change_pool", "advisors.add_trainingcompletion"),
    # The record of processing activities (DSGVO Art. 30, core.processing).
    Capability.DATA_PROTECTION: ("core.view_processing_record",),
}

_MFA_CACHE = "_miglobe_has_second_factor"


def has_second_factor(user: User) -> bool:
    """Whether the user has enrolled a second factor (asked once per request)."""
    if not hasattr(user, _MFA_CACHE):
        setattr(user, _MFA_CACHE, is_mfa_enabled(user))
    return getattr(user, _MFA_CACHE)


def mfa_required() -> bool:
    return settings.MIGLOBE_STAFF_MFA_REQUIRED


@rules.predicate
def is_skew(user: Any) -> bool:
    """An active staff member who may act as such (with a second factor where required)."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    return not mfa_required() or has_second_factor(user)


def _holds(model_perms: tuple[str, ...]) -> rules.Predicate:
    @rules.predicate
    def holds(user: Any) -> bool:
        return user.has_perms(model_perms)

    return holds


for _capability, _model_perms in GRANTED_BY.items():
    rules.add_perm(_capability.perm, is_skew & _holds(_model_perms))


def may(user: Any, capability: Capability) -> bool:
    """Whether `user` holds `capability` now."""
    return user.has_perm(capability.perm)


def holders(capability: Capability) -> QuerySet[User]:
    """Every active staff member who holds `capability` (superusers too)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    users = get_user_model().objects.filter(is_active=True, is_staff=True)
    needed = Q()
    for name in GRANTED_BY[capability]:
        app_label, codename = name.split(".")
        held = Permission.objects.filter(
            Q(group__user=OuterRef("pk")) | Q(user=OuterRef("pk")),
            content_type__app_label=app_label,
            codename=codename,
        )
        needed &= Q(Exists(held))
    found = users.filter(Q(is_superuser=True) | needed)
    if mfa_required():
        found = found.filter(Exists(Authenticator.objects.filter(user=OuterRef("pk"))))
    return found.order_by("email")


# --- Reauthentication for sensitive actions -------------------------------------------------


def logged_in_recently(request: HttpRequest) -> bool:
    """Whether the user proved who they are (login or reauthentication) a short while ago."""
    records = get_authentication_records(request, request.user)
    if not records:
        return False
    newest = max(record["at"] for record in records)
    return time.time() - newest < settings.ACCOUNT_REAUTHENTICATION_TIMEOUT


def require_recent_login(request: HttpRequest) -> None:
    """Ask for the password (or second factor) again before a sensitive action.

    allauth's middleware turns the exception into its reauthentication page and replays
    the original request afterwards, so the user does not have to start over.
    """
    if not logged_in_recently(request):
        raise ReauthenticationRequired()
