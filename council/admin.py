"""The council link in the admin: endpoints, papers (imported or by hand), keywords, leads."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.admin import CapabilityActions
from core.admin_export import export_csv
from core.permissions import Capability, may

from .enums import LeadStatus
from .forms import LinkForm
from .models import Consultation, CouncilPaper, CouncilSystem, Lead, PaperFile, WatchKeyword
from .oparl import OParlError
from .services import CouncilError, link_paper, watch_system


@admin.register(CouncilSystem)
class CouncilSystemAdmin(CapabilityActions, admin.ModelAdmin):
    action_capability = Capability.STEER_ENGAGEMENTS
    list_display = ["municipality", "system_url", "body_url", "watch", "last_run_at", "last_error"]
    list_select_related = ["municipality"]
    search_fields = ["municipality__name", "system_url"]
    autocomplete_fields = ["municipality"]
    readonly_fields = ["synced_until", "last_run_at", "last_error", "last_error_at"]
    actions = ["read_now"]

    @admin.action(description=gettext_lazy("Jetzt abrufen"), permissions=["capability"])
    def read_now(self, request, queryset):
        for system in queryset.select_related("municipality"):
            try:
                found = watch_system(system)
            except OParlError as error:
                self.message_user(request, f"{system.municipality}: {error}", messages.ERROR)
            else:
                self.message_user(
                    request,
                    ngettext(
                        "%(town)s: %(count)s neuer Hinweis.",
                        "%(town)s: %(count)s neue Hinweise.",
                        found,
                    )
                    % {"town": system.municipality, "count": found},
                    messages.SUCCESS,
                )


class ConsultationInline(admin.TabularInline):
    model = Consultation
    extra = 0


class PaperFileInline(admin.TabularInline):
    model = PaperFile
    extra = 0


@admin.register(CouncilPaper)
class CouncilPaperAdmin(admin.ModelAdmin):
    """Papers: imported from OParl, or entered by hand (with a link) where there is none."""

    list_display = ["reference", "name", "municipality", "date", "source", "deleted"]
    list_filter = ["source", "deleted", "municipality"]
    list_select_related = ["municipality"]
    search_fields = ["reference", "name", "municipality__name"]
    autocomplete_fields = ["municipality", "engagements"]
    inlines = [ConsultationInline, PaperFileInline]
    readonly_fields = ["oparl_id", "modified", "imported_at"]
    actions = [export_csv]

    def get_urls(self):
        own = [
            path(
                "link/",
                self.admin_site.admin_view(self.link_view),
                name="council_councilpaper_link",
            )
        ]
        return own + super().get_urls()

    def link_view(self, request):
        """Link a paper to an engagement by its reference (imported from OParl if needed)."""
        if not may(request.user, Capability.STEER_ENGAGEMENTS):
            raise PermissionDenied
        form = LinkForm(request.POST or None, initial={"engagement": request.GET.get("engagement")})
        if request.method == "POST" and form.is_valid():
            try:
                paper = link_paper(
                    engagement=form.cleaned_data["engagement"],
                    reference=form.cleaned_data["reference"],
                    url=form.cleaned_data["url"] or "",
                )
            except CouncilError as error:
                form.add_error(None, str(error))
            else:
                self.message_user(
                    request,
                    _("„%(paper)s“ ist mit dem Einsatz verknüpft.") % {"paper": paper},
                    messages.SUCCESS,
                )
                return redirect(reverse("admin:council_councilpaper_change", args=[paper.pk]))
        return TemplateResponse(
            request,
            "admin/council/link.html",
            {
                **self.admin_site.each_context(request),
                "opts": CouncilPaper._meta,
                "title": _("Ratsvorlage mit einem Einsatz verknüpfen"),
                "form": form,
            },
            status=400 if request.method == "POST" else 200,
        )


@admin.register(WatchKeyword)
class WatchKeywordAdmin(admin.ModelAdmin):
    list_display = ["word"]
    search_fields = ["word"]


@admin.register(Lead)
class LeadAdmin(CapabilityActions, admin.ModelAdmin):
    """Papers the watch found; SKEW says whether they matter and what they belong to."""

    action_capability = Capability.STEER_ENGAGEMENTS
    list_display = ["paper", "municipality", "paper_date", "bodies", "words", "status", "approach"]
    list_filter = ["status", "approach", "paper__municipality"]
    list_select_related = ["paper__municipality"]
    search_fields = ["paper__name", "paper__reference", "paper__municipality__name"]
    autocomplete_fields = ["consultation_request", "engagement"]
    readonly_fields = ["paper", "matched", "found_at", "decided_by", "link"]
    fields = [
        "paper", "link", "matched", "status", "consultation_request", "engagement", "approach",
        "note", "found_at", "decided_by",
    ]  # fmt: skip
    actions = ["mark_relevant", "mark_not_relevant", export_csv]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("paper__consultations")

    def has_add_permission(self, request):
        return False

    @admin.display(description=gettext_lazy("Kommune"), ordering="paper__municipality__name")
    def municipality(self, obj: Lead):
        return obj.paper.municipality

    @admin.display(description=gettext_lazy("Datum"), ordering="paper__date")
    def paper_date(self, obj: Lead):
        return obj.paper.date

    @admin.display(description=gettext_lazy("Gremien"))
    def bodies(self, obj: Lead) -> str:
        return ", ".join(dict.fromkeys(c.body for c in obj.paper.consultations.all() if c.body))

    @admin.display(description=gettext_lazy("Stichwörter"))
    def words(self, obj: Lead) -> str:
        return ", ".join(obj.matched)

    @admin.display(description=gettext_lazy("Link"))
    def link(self, obj: Lead) -> str:
        url = obj.paper.web_url or obj.paper.oparl_id
        return format_html('<a href="{}" rel="noopener">{}</a>', url, url) if url else "–"

    def save_model(self, request, obj, form, change):
        obj.decided_by = request.user
        super().save_model(request, obj, form, change)

    def _mark(self, request, queryset, status: str) -> None:
        count = queryset.update(status=status, decided_by=request.user)
        self.message_user(
            request,
            ngettext("%(count)s Hinweis eingeschätzt.", "%(count)s Hinweise eingeschätzt.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=gettext_lazy("Relevant"), permissions=["capability"])
    def mark_relevant(self, request, queryset):
        self._mark(request, queryset, LeadStatus.RELEVANT)

    @admin.action(description=gettext_lazy("Nicht relevant"), permissions=["capability"])
    def mark_not_relevant(self, request, queryset):
        self._mark(request, queryset, LeadStatus.NOT_RELEVANT)


@admin.register(Consultation)
class ConsultationAdmin(admin.ModelAdmin):
    list_display = ["paper", "body", "meeting", "date", "role"]
    list_select_related = ["paper"]
    search_fields = ["paper__reference", "body", "meeting"]


@admin.register(PaperFile)
class PaperFileAdmin(admin.ModelAdmin):
    list_display = ["name", "paper", "url"]
    list_select_related = ["paper"]
    search_fields = ["name", "paper__reference"]
