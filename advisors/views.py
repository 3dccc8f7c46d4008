"""The advisor's own profile: what SKEW's matching reads about them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .forms import ProfileForm
from .qualification import missing_trainings
from .selectors import advisor_for


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """The advisor keeps availability, languages and expertise up to date for SKEW's matching."""
    advisor = advisor_for(request.user)
    if advisor is None:
        raise Http404(_("Diese Seite ist für Berater*innen."))
    form = ProfileForm(request.POST or None, instance=advisor)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
        messages.success(request, _("Ihre Angaben sind gespeichert."))
        return redirect("workspace:dashboard")
    return render(
        request,
        "advisors/profile.html",
        {
            "form": form,
            "missing": missing_trainings([advisor])[advisor.pk],
            "attended": advisor.training_completions.select_related("training").order_by(
                "training__starts_on"
            ),
        },
    )
