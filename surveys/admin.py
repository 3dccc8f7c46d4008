"""Surveys in the admin: set up with their questions; answers read and open-link answers checked."""

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin import CapabilityActions, ReadOnlyAdmin
from core.admin_export import export_csv
from core.permissions import Capability

from .enums import OpenCheck
from .models import Invitation, MeetingInvitation, OptOut, Question, Response, Survey
from .services import SurveyError, open_check_decide


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 1


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ["title", "municipality", "opens_on", "closes_on", "page"]
    list_filter = ["municipality"]
    list_select_related = ["municipality"]
    search_fields = ["title"]
    autocomplete_fields = ["municipality", "engagement"]
    inlines = [QuestionInline]
    exclude = ["created_by"]

    @admin.display(description=_("Ergebnisse und Einladungen"))
    def page(self, obj: Survey) -> str:
        return format_html(
            '<a href="{}">{}</a>', reverse("surveys:detail", args=[obj.pk]), _("öffnen")
        )

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Response)
class ResponseAdmin(CapabilityActions, ReadOnlyAdmin, admin.ModelAdmin):
    """The answers; those through the open link count once SKEW has checked them here."""

    action_capability = Capability.MODERATE_DIRECTORY
    list_display = ["name", "survey", "status", "open_check", "publish", "submitted_at"]
    list_filter = ["survey", "status", "open_check", "publish"]
    list_select_related = ["survey"]
    search_fields = ["name", "respondent_email"]
    exclude = ["secret"]
    actions = [export_csv, "accept", "reject"]

    def _decide(self, request, queryset, accept: bool) -> None:
        done = 0
        for response in queryset.filter(open_check=OpenCheck.PENDING):
            try:
                open_check_decide(response=response, accept=accept, by=request.user)
            except SurveyError as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                done += 1
        self.message_user(
            request,
            ngettext("%(count)s Antwort geprüft.", "%(count)s Antworten geprüft.", done)
            % {"count": done},
            messages.SUCCESS,
        )

    @admin.action(description=_("Geprüft: zählt"), permissions=["capability"])
    def accept(self, request, queryset):
        self._decide(request, queryset, accept=True)

    @admin.action(description=_("Geprüft: zählt nicht"), permissions=["capability"])
    def reject(self, request, queryset):
        self._decide(request, queryset, accept=False)


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["email", "survey", "organisation", "sent_at", "reminded_at"]
    list_filter = ["survey"]
    list_select_related = ["survey", "organisation"]
    search_fields = ["email"]
    actions = [export_csv]


@admin.register(OptOut)
class OptOutAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["email", "created_at"]
    search_fields = ["email"]
    actions = [export_csv]


@admin.register(MeetingInvitation)
class MeetingInvitationAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["email", "event", "survey", "sent_at"]
    list_filter = ["event", "survey"]
    list_select_related = ["event", "survey"]
    actions = [export_csv]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["text", "survey", "kind", "required"]
    list_filter = ["survey"]
    list_select_related = ["survey"]
