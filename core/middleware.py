"""Request guards that hold for every page."""

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, QueryDict
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from .permissions import has_second_factor


class StaffSecondFactorMiddleware:
    """With MIGLOBE_STAFF_MFA_REQUIRED on, the admin is closed to staff without a second factor.

    They are sent to the page where they enrol one. The staff pages outside the admin ask
    `core.permissions`, which grants nothing to such an account.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            settings.MIGLOBE_STAFF_MFA_REQUIRED
            and request.path.startswith(reverse("admin:index"))
            and user.is_authenticated
            and user.is_staff
            and not has_second_factor(user)
        ):
            messages.warning(
                request,
                _(
                    "Für die Verwaltung brauchen Sie einen zweiten Faktor. Richten Sie bitte "
                    "eine Authenticator-App oder einen Passkey ein."
                ),
            )
            return redirect("mfa_index")
        return self.get_response(request)


def _has_nul(values: QueryDict) -> bool:
    return any("\x00" in key or any("\x00" in v for v in vs) for key, vs in values.lists())


class HostileInputMiddleware:
    """A NUL byte in a query or form field is never legitimate: answer 400 at once.

    PostgreSQL cannot store or compare it, so without this guard it would reach a query
    somewhere and answer 500. Invalid UTF-8 is already decoded with replacement
    characters by Django and needs no guard.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            "\x00" in request.path
            or _has_nul(request.GET)
            or (request.method == "POST" and _has_nul(request.POST))
        ):
            return HttpResponseBadRequest(render_to_string("400.html", request=request))
        return self.get_response(request)
