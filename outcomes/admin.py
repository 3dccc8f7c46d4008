from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core.admin import CapabilityActions, ReadOnlyAdmin
from core.admin_export import export_csv
from core.files import stored_download
from core.permissions import Capability, may
from engagements.admin.steering import read_only_inline
from engagements.enums import EngagementStatus
from engagements.models import Engagement

from .models import ActionOption, ActionOptionComment, FinalReport, FollowUp, FollowUpAnswer
from .services import OptionError, final_report_confirm, final_report_generate


class CommentInline(admin.TabularInline):
    model = ActionOptionComment
    fields = ["author", "text", "created_at"]


@admin.register(ActionOption)
class ActionOptionAdmin(SimpleHistoryAdmin):
    """Action options as advisors drafted them and the municipality decided: SKEW reads them.

    They are written on the advisors' and the municipality's pages, where the rules of
    who may change what hold; here SKEW follows them and exports them.
    """

    list_display = ["title", "engagement", "department", "effort", "decision", "decided_at"]
    list_select_related = ["engagement", "department"]
    list_filter = ["decision", "effort", "engagement__pool", "field_of_action"]
    search_fields = ["title", "description", "engagement__title", "engagement__municipality__name"]
    inlines = [read_only_inline(CommentInline)]
    readonly_fields = [
        "engagement", "title", "description", "department", "field_of_action", "effort",
        "organisations", "findings", "decision", "decision_reason", "decided_at", "decided_by",
        "created_by", "created_at",
    ]  # fmt: skip
    actions = [export_csv]
    csv_fields = [
        "engagement__municipality__name", "engagement__title", "title", "department__number",
        "field_of_action__name_de", "effort", "decision", "decision_reason", "decided_at",
    ]  # fmt: skip

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ActionOptionComment)
class ActionOptionCommentAdmin(admin.ModelAdmin):
    list_display = ["option", "author", "created_at"]
    list_select_related = ["option", "author"]
    search_fields = ["text", "option__title"]
    readonly_fields = ["option", "author", "text", "created_at"]
    actions = [export_csv]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class GenerateForm(forms.Form):
    engagement = forms.ModelChoiceField(
        label=_("Beratungseinsatz"),
        queryset=Engagement.objects.filter(status__in=EngagementStatus.open()).select_related(
            "municipality"
        ),
    )
    language = forms.ChoiceField(label=_("Sprache"), choices=settings.LANGUAGES, initial="de")


@admin.register(FinalReport)
class FinalReportAdmin(CapabilityActions, admin.ModelAdmin):
    """Final reports: made here (a new version each time), confirmed, downloaded."""

    action_capability = Capability.STEER_ENGAGEMENTS
    list_display = [
        "engagement", "version", "language", "created_at", "officer_confirmed_at",
        "skew_confirmed_at", "download",
    ]  # fmt: skip
    list_select_related = ["engagement"]
    list_filter = ["language", ("skew_confirmed_at", admin.EmptyFieldListFilter)]
    search_fields = ["engagement__title", "engagement__municipality__name"]
    fields = [
        "engagement", "version", "language", "sha256", "download", "created_at", "created_by",
        "officer_confirmed_at", "officer_confirmed_by", "skew_confirmed_at", "skew_confirmed_by",
    ]  # fmt: skip
    readonly_fields = fields
    actions = ["confirm_as_skew"]

    def get_urls(self):
        own = [
            path(
                "<int:pk>/download/",
                self.admin_site.admin_view(self.download_view),
                name="outcomes_finalreport_download",
            ),
        ]
        return own + super().get_urls()

    def has_add_permission(self, request):
        return may(request.user, Capability.STEER_ENGAGEMENTS)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = GenerateForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                report = final_report_generate(by=request.user, **form.cleaned_data)
            except OptionError as error:
                form.add_error(None, str(error))
            else:
                self.message_user(
                    request,
                    _("Version %(version)s des Abschlussberichts ist erstellt; die Kommune "
                      "wird gebeten, ihn zu bestätigen.") % {"version": report.version},
                    messages.SUCCESS,
                )  # fmt: skip
                return redirect(reverse("admin:outcomes_finalreport_changelist"))
        return TemplateResponse(
            request,
            "admin/outcomes/finalreport/generate.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "form": form,
                "title": _("Abschlussbericht erstellen"),
            },
            status=400 if form.errors else 200,
        )

    def download_view(self, request, pk: int):
        report = get_object_or_404(FinalReport, pk=pk)
        if not self.has_view_permission(request, report):
            raise PermissionDenied
        return stored_download(request, report.pdf, content_type="application/pdf")

    @admin.display(description=_("PDF"))
    def download(self, obj):
        link = reverse("admin:outcomes_finalreport_download", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', link, _("herunterladen"))

    @admin.action(description=_("Als SKEW bestätigen"), permissions=["capability"])
    def confirm_as_skew(self, request, queryset):
        for report in queryset:
            try:
                final_report_confirm(report=report, by=request.user, as_skew=True)
            except OptionError as error:
                self.message_user(request, f"{report}: {error}", messages.ERROR)
            else:
                self.message_user(
                    request, _("%(report)s ist bestätigt.") % {"report": report}, messages.SUCCESS
                )


class AnswerInline(admin.TabularInline):
    model = FollowUpAnswer
    fields = ["option", "implementation", "note"]


@admin.register(FollowUp)
class FollowUpAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """The follow-ups 6 and 12 months after completion, their answers and the response rate."""

    list_display = ["engagement", "months", "sent_at", "reminded_at", "answered_at"]
    list_select_related = ["engagement"]
    list_filter = ["months", ("answered_at", admin.EmptyFieldListFilter)]
    search_fields = ["engagement__title", "engagement__municipality__name"]
    fields = ["engagement", "months", "sent_at", "reminded_at", "answered_at"]
    readonly_fields = fields
    inlines = [read_only_inline(AnswerInline)]
    actions = [export_csv]

    def changelist_view(self, request, extra_context=None):
        counts = FollowUp.objects.aggregate(
            asked=Count("pk"), answered=Count("pk", filter=Q(answered_at__isnull=False))
        )
        rate = round(100 * counts["answered"] / counts["asked"]) if counts["asked"] else 0
        title = _("Nachfragen – beantwortet: %(answered)s von %(asked)s (%(rate)s %%)") % {
            **counts,
            "rate": rate,
        }
        return super().changelist_view(request, {**(extra_context or {}), "title": title})


@admin.register(FollowUpAnswer)
class FollowUpAnswerAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """Every answer, to filter and export: which options were carried out."""

    list_display = ["option", "follow_up", "implementation"]
    list_select_related = ["option", "follow_up__engagement"]
    list_filter = ["implementation", "follow_up__months"]
    search_fields = ["option__title", "note"]
    readonly_fields = ["follow_up", "option", "implementation", "note"]
    actions = [export_csv]
