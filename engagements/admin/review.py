"""SKEW's review of a consultation request in the admin: review, decline, match and accept.

Every button calls one service from engagements.services; this module only
turns HTTP into those calls and back.
"""

import datetime

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from advisors.models import Advisor
from core.forms import DateInput
from core.permissions import Capability, may, require_recent_login
from core.validators import sensible_date
from engagements.enums import RequestStatus
from engagements.matching import rank_advisors
from engagements.models import ConsultationRequest
from engagements.services import RequestError, request_accept, request_decline, request_start_review


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Begründung für die Kommune"),
        widget=forms.Textarea(attrs={"rows": 6, "cols": 80}),
        help_text=gettext_lazy("Die Begründung wird der Kommune per E-Mail geschickt."),
    )


class AcceptForm(forms.Form):
    advisors = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Berater*innen"),
        queryset=Advisor.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Bitte wählen Sie eine oder zwei Berater*innen.")},
    )
    starts_on = forms.DateField(
        label=gettext_lazy("Beginn"), widget=DateInput(), validators=[sensible_date]
    )
    ends_on = forms.DateField(
        label=gettext_lazy("Ende (geplant)"), widget=DateInput(), validators=[sensible_date]
    )
    budget = forms.DecimalField(
        label=gettext_lazy("bewilligtes Budget (EUR)"),
        required=False,
        min_value=0,
        max_digits=10,
        decimal_places=2,
    )

    def clean_advisors(self):
        advisors = self.cleaned_data["advisors"]
        if len(advisors) > 2:
            raise forms.ValidationError(_("Ein Einsatz hat höchstens zwei Berater*innen."))
        return advisors

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("Das Ende liegt vor dem Beginn."))
        return data


def default_period(
    consultation_request: ConsultationRequest,
) -> tuple[datetime.date, datetime.date]:
    start = consultation_request.preferred_start or timezone.localdate() + datetime.timedelta(
        days=30
    )
    end = consultation_request.preferred_end or start + datetime.timedelta(days=182)
    return start, max(start, end)


REVIEW = Capability.REVIEW_REQUESTS


class ReviewMixin:
    """URLs and views added to ConsultationRequestAdmin."""

    change_form_template = "admin/engagements/consultationrequest/change_form.html"

    def get_urls(self):
        own = [
            path(
                "<int:pk>/review/",
                self.admin_site.admin_view(self.review_view),
                name="engagements_consultationrequest_review",
            ),
            path(
                "<int:pk>/decline/",
                self.admin_site.admin_view(self.decline_view),
                name="engagements_consultationrequest_decline",
            ),
            path(
                "<int:pk>/match/",
                self.admin_site.admin_view(self.match_view),
                name="engagements_consultationrequest_match",
            ),
        ]
        return own + super().get_urls()

    def has_review_permission(self, request) -> bool:
        return may(request.user, REVIEW)

    def _request_for_change(self, request, pk) -> ConsultationRequest:
        obj = get_object_or_404(ConsultationRequest.objects.select_related("municipality"), pk=pk)
        if not (self.has_change_permission(request, obj) and may(request.user, REVIEW)):
            raise PermissionDenied
        return obj

    def _back(self, obj):
        return redirect(reverse("admin:engagements_consultationrequest_change", args=[obj.pk]))

    def review_view(self, request, pk):
        obj = self._request_for_change(request, pk)
        if request.method != "POST":
            return self._back(obj)
        if obj.status == RequestStatus.IN_REVIEW:
            return redirect(reverse("admin:engagements_consultationrequest_match", args=[pk]))
        try:
            request_start_review(consultation_request=obj, by=request.user)
        except RequestError as error:
            self.message_user(request, str(error), messages.ERROR)
            return self._back(obj)
        self.message_user(request, _("Die Anfrage ist jetzt in Prüfung."), messages.SUCCESS)
        return redirect(reverse("admin:engagements_consultationrequest_match", args=[pk]))

    def decline_view(self, request, pk):
        obj = self._request_for_change(request, pk)
        if request.method == "POST":
            form = DeclineForm(request.POST)
            if form.is_valid():
                try:
                    request_decline(
                        consultation_request=obj,
                        by=request.user,
                        reason=form.cleaned_data["reason"],
                    )
                except RequestError as error:
                    form.add_error(None, str(error))
                else:
                    self.message_user(
                        request,
                        _("Die Anfrage ist abgelehnt; die Kommune wurde per E-Mail informiert."),
                        messages.SUCCESS,
                    )
                    return self._back(obj)
        else:
            form = DeclineForm()
        return TemplateResponse(
            request,
            "admin/engagements/consultationrequest/decline.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "original": obj,
                "form": form,
                "title": _("Anfrage ablehnen"),
            },
        )

    def match_view(self, request, pk):
        obj = self._request_for_change(request, pk)
        if obj.status == RequestStatus.ACCEPTED and hasattr(obj, "engagement"):
            return redirect(
                reverse("admin:engagements_engagement_change", args=[obj.engagement.pk])
            )
        matches = rank_advisors(obj)
        if request.method == "POST":
            require_recent_login(request)
            form = AcceptForm(request.POST)
            if form.is_valid():
                try:
                    engagement = request_accept(
                        consultation_request=obj,
                        by=request.user,
                        advisors=list(form.cleaned_data["advisors"]),
                        starts_on=form.cleaned_data["starts_on"],
                        ends_on=form.cleaned_data["ends_on"],
                        budget=form.cleaned_data["budget"],
                    )
                except RequestError as error:
                    form.add_error(None, str(error))
                else:
                    self.message_user(
                        request,
                        _(
                            "Die Anfrage ist angenommen und der Beratungseinsatz eingerichtet; "
                            "Kommune und Berater*innen wurden per E-Mail informiert."
                        ),
                        messages.SUCCESS,
                    )
                    return redirect(
                        reverse("admin:engagements_engagement_change", args=[engagement.pk])
                    )
        else:
            start, end = default_period(obj)
            form = AcceptForm(initial={"starts_on": start, "ends_on": end})
        chosen = {str(pk) for pk in form["advisors"].value() or []}
        return TemplateResponse(
            request,
            "admin/engagements/consultationrequest/match.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "original": obj,
                "form": form,
                "matches": matches,
                "chosen": chosen,
                "can_accept": obj.status == RequestStatus.IN_REVIEW,
                "title": _("Berater*innen auswählen"),
            },
        )


@admin.action(
    description=gettext_lazy("Ausgewählte Anfragen in Prüfung nehmen"), permissions=["review"]
)
def start_review(modeladmin, request, queryset):
    done = 0
    for obj in queryset:
        try:
            request_start_review(consultation_request=obj, by=request.user)
        except RequestError as error:
            modeladmin.message_user(request, f"{obj}: {error}", messages.WARNING)
        else:
            done += 1
    if done:
        modeladmin.message_user(
            request,
            ngettext(
                "%(count)s Anfrage in Prüfung genommen.",
                "%(count)s Anfragen in Prüfung genommen.",
                done,
            )
            % {"count": done},
            messages.SUCCESS,
        )
