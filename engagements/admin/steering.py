"""Steering an engagement in the admin: its status, advisors and milestones.

The engagement's change page shows these read-only; they change on the page
"Einsatz steuern", whose forms call the services of engagements.lifecycle, so
the history says who and why and the people concerned are told.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from advisors.models import Advisor
from core.forms import DateInput
from core.permissions import Capability, may
from core.validators import sensible_date
from engagements import lifecycle
from engagements.enums import EngagementStatus, MilestoneKind
from engagements.lifecycle import TRANSITIONS, EngagementError
from engagements.models import Engagement, EngagementAdvisor

STEP_LABELS = {
    "start": gettext_lazy("Einsatz beginnen"),
    "pause": gettext_lazy("Einsatz pausieren"),
    "resume": gettext_lazy("Einsatz fortsetzen"),
    "cancel": gettext_lazy("Einsatz abbrechen"),
    "complete": gettext_lazy("Einsatz abschließen"),
}
NEEDS_REASON = {"pause", "cancel"}


def _reason_field(required: bool) -> forms.CharField:
    return forms.CharField(
        label=gettext_lazy("Grund"),
        required=required,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Steht in der Geschichte des Einsatzes und in der E-Mail."),
    )


class StatusForm(forms.Form):
    step = forms.ChoiceField(choices=list(STEP_LABELS.items()), widget=forms.HiddenInput)
    reason = _reason_field(required=False)

    def clean(self):
        data = super().clean()
        if data.get("step") in NEEDS_REASON and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Bitte geben Sie einen Grund an."))
        return data


class AdvisorsForm(forms.Form):
    leaving = forms.ModelChoiceField(
        label=gettext_lazy("scheidet aus"), queryset=Advisor.objects.none(), required=False
    )
    joining = forms.ModelChoiceField(
        label=gettext_lazy("kommt dazu"), queryset=Advisor.objects.none(), required=False
    )
    reason = _reason_field(required=False)

    def __init__(self, *args, engagement: Engagement, **kwargs):
        super().__init__(*args, **kwargs)
        current = EngagementAdvisor.objects.current().filter(engagement=engagement)
        self.fields["leaving"].queryset = Advisor.objects.filter(
            pk__in=current.values("advisor")
        ).select_related("user")
        self.fields["joining"].queryset = (
            Advisor.objects.filter(user__is_active=True)
            .exclude(pk__in=current.values("advisor"))
            .select_related("user")
            .order_by("user__name")
        )

    def clean(self):
        data = super().clean()
        if not data.get("leaving") and not data.get("joining"):
            raise forms.ValidationError(
                _("Wählen Sie, wer ausscheidet, wer dazukommt, oder beides.")
            )
        if data.get("leaving") and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Bitte geben Sie einen Grund an."))
        return data


class MilestoneMoveForm(forms.Form):
    milestone = forms.ModelChoiceField(label=gettext_lazy("Meilenstein"), queryset=None)
    due_on = forms.DateField(
        label=gettext_lazy("neuer Termin"), widget=DateInput(), validators=[sensible_date]
    )
    reason = _reason_field(required=True)

    def __init__(self, *args, engagement: Engagement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["milestone"].queryset = engagement.milestones.open()


class MilestoneAddForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Titel"), max_length=200)
    kind = forms.ChoiceField(
        label=gettext_lazy("Art"), choices=MilestoneKind.choices, initial=MilestoneKind.OTHER
    )
    due_on = forms.DateField(
        label=gettext_lazy("fällig am"), widget=DateInput(), validators=[sensible_date]
    )


FORMS = {
    "status": StatusForm,
    "advisors": AdvisorsForm,
    "move": MilestoneMoveForm,
    "add": MilestoneAddForm,
}


def _apply(kind: str, form: forms.Form, engagement: Engagement, by) -> str:
    """Call the service the form stands for; returns what to tell the user."""
    data = form.cleaned_data
    if kind == "status":
        step = data["step"]
        service = {
            "start": lambda: lifecycle.engagement_start(engagement=engagement, by=by),
            "pause": lambda: lifecycle.engagement_pause(
                engagement=engagement, by=by, reason=data["reason"]
            ),
            "resume": lambda: lifecycle.engagement_resume(engagement=engagement, by=by),
            "cancel": lambda: lifecycle.engagement_cancel(
                engagement=engagement, by=by, reason=data["reason"]
            ),
            "complete": lambda: lifecycle.engagement_complete(engagement=engagement, by=by),
        }[step]
        done = service()
        return _("Der Einsatz ist jetzt %(status)s.") % {"status": done.get_status_display()}
    if kind == "advisors":
        leaving, joining = data.get("leaving"), data.get("joining")
        if leaving and joining:
            lifecycle.advisor_replace(
                engagement=engagement, leaving=leaving, joining=joining, by=by,
                reason=data["reason"],
            )  # fmt: skip
        elif leaving:
            lifecycle.advisor_leave(
                engagement=engagement, advisor=leaving, by=by, reason=data["reason"]
            )
        else:
            lifecycle.advisor_assign(
                engagement=engagement, advisor=joining, by=by, reason=data["reason"]
            )
        return _("Die Berater*innen sind geändert; alle Beteiligten werden benachrichtigt.")
    if kind == "move":
        lifecycle.milestone_move(
            milestone=data["milestone"], by=by, due_on=data["due_on"], reason=data["reason"]
        )
        return _("Der Meilenstein ist verschoben; alle Beteiligten werden benachrichtigt.")
    lifecycle.milestone_add(
        engagement=engagement, by=by, title=data["title"], due_on=data["due_on"],
        kind=data["kind"],
    )  # fmt: skip
    return _("Der Meilenstein ist angelegt.")


class SteeringMixin:
    """The page "Einsatz steuern" beside the engagement's change page."""

    def get_urls(self):
        own = [
            path(
                "<int:pk>/steer/",
                self.admin_site.admin_view(self.steer_view),
                name="engagements_engagement_steer",
            ),
        ]
        return own + super().get_urls()

    def steer_view(self, request, pk: int):
        if not may(request.user, Capability.STEER_ENGAGEMENTS):
            raise PermissionDenied
        engagement = Engagement.objects.select_related("municipality", "pool").filter(pk=pk).first()
        if engagement is None:
            raise Http404
        bound = {}
        if request.method == "POST":
            kind = request.POST.get("form", "")
            if kind not in FORMS:
                raise Http404
            form_class = FORMS[kind]
            extra = {} if kind in ("status", "add") else {"engagement": engagement}
            form = form_class(request.POST, prefix=kind, **extra)
            if form.is_valid():
                try:
                    message = _apply(kind, form, engagement, request.user)
                except EngagementError as error:
                    form.add_error(None, str(error))
                else:
                    self.message_user(request, message, messages.SUCCESS)
                    return redirect(reverse("admin:engagements_engagement_steer", args=[pk]))
            bound[kind] = form
        steps = [
            (step, STEP_LABELS[step], step in NEEDS_REASON)
            for step, (sources, _target) in TRANSITIONS.items()
            if engagement.status in sources
        ]
        forms_ = {
            "status": bound.get("status") or StatusForm(prefix="status"),
            "advisors": bound.get("advisors")
            or AdvisorsForm(prefix="advisors", engagement=engagement),
            "move": bound.get("move") or MilestoneMoveForm(prefix="move", engagement=engagement),
            "add": bound.get("add") or MilestoneAddForm(prefix="add"),
        }
        return TemplateResponse(
            request,
            "admin/engagements/engagement/steer.html",
            {
                **self.admin_site.each_context(request),
                "opts": Engagement._meta,
                "original": engagement,
                "title": _("Einsatz steuern: %(title)s") % {"title": engagement.title},
                "steps": steps,
                "is_open": engagement.status in EngagementStatus.open(),
                "assignments": EngagementAdvisor.objects.filter(engagement=engagement)
                .select_related("advisor__user")
                .order_by("left_on", "slot"),
                "milestones": engagement.milestones.all(),
                "forms": forms_,
                "history": engagement.history.select_related("history_user")[:20],
                "papers": engagement.council_papers.shown(),
            },
            status=400 if bound else 200,
        )


def read_only_inline(inline: type[admin.TabularInline]) -> type[admin.TabularInline]:
    """An inline that shows its rows only: they change on the steering page."""

    class ReadOnly(inline):
        extra = 0
        max_num = 0
        can_delete = False

        def get_readonly_fields(self, request, obj=None):
            return self.fields or [f.name for f in self.model._meta.fields if f.name != "id"]

        def has_add_permission(self, request, obj=None):
            return False

    ReadOnly.__name__ = inline.__name__
    return ReadOnly
