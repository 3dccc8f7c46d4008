"""SKEW's side of a call: the applications, the reviews, the pool in view, the decisions."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.admin import ReadOnlyAdmin
from core.admin_export import export_csv
from core.files import stored_download
from core.models import User
from core.permissions import Capability, may

from .composition import composition
from .enums import ApplicationStatus
from .forms import InviteForm, RejectForm, ReviewForm
from .models import Application, Call, Criterion, Review, Score
from .services import (
    TRANSITIONS,
    ApplicationError,
    application_accept,
    application_invite,
    application_reject,
    application_shortlist,
    may_review,
    review_save,
    reviews_visible_to,
)


def _reviews_any_call(user) -> bool:
    return bool(user.is_active and user.is_staff and user.calls_to_review.exists())


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 1


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ["title", "pool", "deadline", "places", "published", "applications_count"]
    list_filter = ["pool", "published"]
    search_fields = ["title"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["reviewers"]
    inlines = [CriterionInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("pool")
            .annotate(
                _applications=Count(
                    "applications", filter=~Q(applications__status=ApplicationStatus.UNCONFIRMED)
                )
            )
        )

    @admin.display(description=gettext_lazy("Bewerbungen"), ordering="_applications")
    def applications_count(self, obj: Call) -> str:
        url = reverse("admin:recruitment_application_changelist") + f"?call__id__exact={obj.pk}"
        return format_html('<a href="{}">{}</a>', url, obj._applications)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "reviewers":
            kwargs["queryset"] = User.objects.filter(is_staff=True, is_active=True).order_by("name")
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """The applicants' own words: read, reviewed and decided on here, never edited."""

    list_display = ["name", "call", "status", "home_town", "reviews_given", "created_at"]
    actions = [export_csv]
    list_filter = ["call", "status"]
    search_fields = ["name", "email", "home_town"]
    list_select_related = ["call"]
    change_list_template = "admin/recruitment/application/change_list.html"
    change_form_template = "admin/recruitment/application/change_form.html"
    exclude = ["cv", "secret", "form_token"]

    # -- who sees what --

    def has_module_permission(self, request):
        return may(request.user, Capability.RECRUIT) or _reviews_any_call(request.user)

    def has_view_permission(self, request, obj=None):
        if may(request.user, Capability.RECRUIT):
            return True
        if obj is None:
            return _reviews_any_call(request.user)
        return may_review(request.user, obj.call)

    def get_queryset(self, request):
        queryset = super().get_queryset(request).exclude(status=ApplicationStatus.UNCONFIRMED)
        queryset = queryset.annotate(_reviews=Count("reviews", distinct=True))
        if may(request.user, Capability.RECRUIT) or not _reviews_any_call(request.user):
            return queryset  # SKEW; or someone the permission checks turn away with a 403
        return queryset.filter(call__reviewers=request.user)

    def get_list_filter(self, request):
        return self.list_filter

    @admin.display(description=gettext_lazy("Bewertungen"), ordering="_reviews")
    def reviews_given(self, obj: Application) -> int:
        return obj._reviews

    # -- the list: the pool in view --

    def changelist_view(self, request, extra_context=None):
        extra_context = extra_context or {}
        call_id = request.GET.get("call__id__exact", "")
        call = None
        if call_id.isdigit():
            call = Call.objects.select_related("pool").filter(pk=call_id).first()
        if call is not None and self._may_see_call(request, call):
            extra_context["composition"] = composition(call)
        return super().changelist_view(request, extra_context=extra_context)

    def _may_see_call(self, request, call: Call) -> bool:
        return may(request.user, Capability.RECRUIT) or may_review(request.user, call)

    # -- own pages --

    def get_urls(self):
        own = [
            path(
                "<int:pk>/review/",
                self.admin_site.admin_view(self.review_view),
                name="recruitment_application_review",
            ),
            path(
                "<int:pk>/decide/",
                self.admin_site.admin_view(self.decide_view),
                name="recruitment_application_decide",
            ),
            path(
                "<int:pk>/cv/",
                self.admin_site.admin_view(self.cv_view),
                name="recruitment_application_cv",
            ),
        ]
        return own + super().get_urls()

    def _application(self, request, pk: int) -> Application:
        application = (
            Application.objects.select_related("call__pool")
            .exclude(status=ApplicationStatus.UNCONFIRMED)
            .filter(pk=pk, anonymised_at__isnull=True)
            .first()
        )
        if application is None or not may_review(request.user, application.call):
            raise Http404
        return application

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        if str(object_id).isdigit():
            application = Application.objects.filter(pk=object_id).select_related("call").first()
            if application is not None and may_review(request.user, application.call):
                extra_context["reviews"] = reviews_visible_to(application, request.user)
                extra_context["may_decide"] = may(request.user, Capability.RECRUIT)
        return super().change_view(request, object_id, form_url, extra_context)

    def cv_view(self, request, pk: int):
        application = self._application(request, pk)
        if not application.cv:
            raise Http404
        return stored_download(request, application.cv, content_type="application/pdf")

    def review_view(self, request, pk: int):
        """Points per criterion and a comment; the others' appear after one's own."""
        application = self._application(request, pk)
        criteria = list(application.call.criteria.all())
        own = application.reviews.filter(reviewer=request.user).prefetch_related("scores").first()
        initial = {}
        if own is not None:
            initial = {f"c{s.criterion_id}": s.value for s in own.scores.all()}
            initial["comment"] = own.comment
        form = ReviewForm(request.POST or None, criteria=criteria, initial=initial)
        status = 200
        if request.method == "POST":
            if form.is_valid():
                try:
                    review_save(
                        application=application,
                        reviewer=request.user,
                        scores=form.scores(),
                        comment=form.cleaned_data["comment"],
                    )
                except ApplicationError as error:
                    form.add_error(None, str(error))
                else:
                    self.message_user(
                        request, _("Ihre Bewertung ist gespeichert."), messages.SUCCESS
                    )
                    return redirect(reverse("admin:recruitment_application_review", args=[pk]))
            status = 400
        return TemplateResponse(
            request,
            "admin/recruitment/application/review.html",
            {
                **self.admin_site.each_context(request),
                "opts": Application._meta,
                "original": application,
                "title": _("Bewerbung bewerten: %(name)s") % {"name": application.name},
                "form": form,
                "reviews": reviews_visible_to(application, request.user),
                "criteria": criteria,
            },
            status=status,
        )

    def decide_view(self, request, pk: int):
        """Shortlist, invite, accept or reject: each a service, each refused with its reason."""
        if not may(request.user, Capability.RECRUIT):
            raise PermissionDenied
        application = self._application(request, pk)
        bound: dict[str, forms.Form] = {}
        if request.method == "POST":
            step = request.POST.get("step") or request.POST.get("form", "")
            if step not in ("shortlist", "invite", "accept", "reject"):
                raise Http404
            form: forms.Form = {
                "invite": lambda: InviteForm(request.POST, prefix="invite"),
                "reject": lambda: RejectForm(request.POST, prefix="reject"),
            }.get(step, lambda: forms.Form(request.POST))()
            if form.is_valid():
                try:
                    said = self._decide(step, application, form, request.user)
                except ApplicationError as error:
                    form.add_error(None, str(error))
                else:
                    self.message_user(request, said, messages.SUCCESS)
                    return redirect(reverse("admin:recruitment_application_decide", args=[pk]))
            bound[step] = form
        return TemplateResponse(
            request,
            "admin/recruitment/application/decide.html",
            {
                **self.admin_site.each_context(request),
                "opts": Application._meta,
                "original": application,
                "title": _("Über die Bewerbung entscheiden: %(name)s") % {"name": application.name},
                "steps": {
                    step: application.status in TRANSITIONS[target]
                    for step, target in (
                        ("shortlist", ApplicationStatus.SHORTLISTED),
                        ("invite", ApplicationStatus.INVITED),
                        ("accept", ApplicationStatus.ACCEPTED),
                        ("reject", ApplicationStatus.REJECTED),
                    )
                },
                "invite_form": bound.get("invite") or InviteForm(prefix="invite"),
                "reject_form": bound.get("reject") or RejectForm(prefix="reject"),
                "errors": [e for f in bound.values() for e in f.non_field_errors()],
            },
            status=400 if bound else 200,
        )

    @staticmethod
    def _decide(step: str, application: Application, form: forms.Form, by) -> str:
        if step == "shortlist":
            application_shortlist(application=application, by=by)
            return _("%(name)s ist in der engeren Wahl.") % {"name": application.name}
        if step == "invite":
            application_invite(
                application=application,
                by=by,
                at=form.cleaned_data["at"],
                place=form.cleaned_data["place"],
            )
            return _("Die Einladung zum Gespräch ist verschickt.")
        if step == "accept":
            advisor = application_accept(application=application, by=by)
            return _(
                "%(name)s ist aufgenommen: Berater*in im Pool ab %(date)s; die Einladung, ein "
                "Passwort festzulegen, ist verschickt."
            ) % {"name": advisor, "date": application.call.starts_on.strftime("%d.%m.%Y")}
        application_reject(application=application, by=by, message=form.cleaned_data["message"])
        return _("Die Absage ist verschickt.")


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    list_display = ["title", "call", "position"]
    list_filter = ["call"]
    list_select_related = ["call"]


@admin.register(Score)
class ScoreAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["review", "criterion", "value"]
    actions = [export_csv]
    list_select_related = ["review__application", "review__reviewer", "criterion"]

    def has_module_permission(self, request):
        return may(request.user, Capability.RECRUIT)

    def has_view_permission(self, request, obj=None):
        return may(request.user, Capability.RECRUIT)


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """Reviews are given on the application's review page; here SKEW reads them all."""

    list_display = ["application", "reviewer", "created_at"]
    actions = [export_csv]
    list_filter = ["application__call"]
    list_select_related = ["application", "reviewer"]

    def has_module_permission(self, request):
        return may(request.user, Capability.RECRUIT)

    def has_view_permission(self, request, obj=None):
        return may(request.user, Capability.RECRUIT)
