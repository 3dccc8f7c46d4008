from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from core.admin import CapabilityActions
from core.admin_export import export_csv
from core.permissions import Capability

from .enums import SuggestionStatus
from .models import (
    ConsentWording,
    ContactPerson,
    FieldOfAction,
    Organisation,
    OrganisationSuggestion,
    PublicationConsent,
    ResearchFinding,
)
from .selectors import with_publication_state
from .services import (
    SuggestionError,
    consent_send_withdraw_link,
    consent_withdraw,
    suggestion_approve,
    suggestion_difference,
    suggestion_reject,
)

# --- Consent withdrawal: the actions call the services in services.py


def _report_withdrawn(modeladmin, request, count: int) -> None:
    modeladmin.message_user(
        request,
        ngettext(
            "%(count)d Einwilligung widerrufen: Der Eintrag ist nicht mehr öffentlich.",
            "%(count)d Einwilligungen widerrufen: Die Einträge sind nicht mehr öffentlich.",
            count,
        )
        % {"count": count},
        messages.SUCCESS,
    )


@admin.action(description=_("Einwilligung widerrufen"), permissions=["capability"])
def withdraw_consents(modeladmin, request, queryset):
    consents = list(queryset.filter(withdrawn_at__isnull=True))
    for consent in consents:
        consent_withdraw(consent=consent, by=request.user)
    _report_withdrawn(modeladmin, request, len(consents))


@admin.action(description=_("Einwilligung widerrufen"), permissions=["capability"])
def withdraw_organisation_consent(modeladmin, request, queryset):
    """Withdraw each selected organisation's own active consent (not its contacts')."""
    consents = list(
        PublicationConsent.objects.active().filter(
            organisation__in=queryset.values("pk"), contact_person__isnull=True
        )
    )
    for consent in consents:
        consent_withdraw(consent=consent, by=request.user)
    _report_withdrawn(modeladmin, request, len(consents))


@admin.action(description=_("Widerrufslink per E-Mail senden"), permissions=["capability"])
def send_withdraw_links(modeladmin, request, queryset):
    sent = skipped = 0
    for consent in queryset.select_related("organisation"):
        if consent_send_withdraw_link(consent=consent):
            sent += 1
        else:
            skipped += 1
    if sent:
        modeladmin.message_user(
            request,
            ngettext(
                "%(count)d Widerrufslink verschickt.", "%(count)d Widerrufslinks verschickt.", sent
            )
            % {"count": sent},
            messages.SUCCESS,
        )
    if skipped:
        modeladmin.message_user(
            request,
            ngettext(
                "%(count)d Einwilligung übersprungen: bereits widerrufen oder keine E-Mail-Adresse "
                "der Organisation.",
                "%(count)d Einwilligungen übersprungen: bereits widerrufen oder keine "
                "E-Mail-Adresse der Organisation.",
                skipped,
            )
            % {"count": skipped},
            messages.WARNING,
        )


@admin.register(FieldOfAction)
class FieldOfActionAdmin(admin.ModelAdmin):
    list_display = ["name_de", "name_en", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name_de", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name_de"]}


class ContactPersonInline(admin.TabularInline):
    model = ContactPerson
    extra = 0


class PublicationConsentInline(admin.TabularInline):
    model = PublicationConsent
    extra = 0
    fields = ["contact_person", "wording", "given_by", "given_at", "channel", "withdrawn_at"]


class ResearchFindingInline(admin.TabularInline):
    model = ResearchFinding
    extra = 0
    fields = ["engagement", "advisor", "source", "found_on", "notes"]
    autocomplete_fields = ["engagement", "advisor"]


class PublishedFilter(admin.SimpleListFilter):
    title = _("veröffentlicht")
    parameter_name = "published"

    def lookups(self, request, model_admin):
        return [("yes", _("ja")), ("no", _("nein"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(is_published=self.value() == "yes")
        return queryset


@admin.register(Organisation)
class OrganisationAdmin(CapabilityActions, SimpleHistoryAdmin):
    action_capability = Capability.MODERATE_DIRECTORY

    list_display = ["name", "kind", "municipality", "scope", "field_names", "published"]
    list_select_related = ["municipality"]
    list_filter = [PublishedFilter, "kind", "scope", "fields_of_action", "municipality"]
    search_fields = ["name", "description", "municipality__name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["municipality"]
    filter_horizontal = ["fields_of_action"]
    inlines = [ContactPersonInline, PublicationConsentInline, ResearchFindingInline]
    readonly_fields = ["created_at", "updated_at"]
    actions = [export_csv, withdraw_organisation_consent]
    csv_fields = [
        "name",
        "kind",
        "municipality__name",
        "scope",
        "field_names",
        "countries_of_origin",
        "countries_of_activity",
        "website",
        "published",
    ]

    def get_queryset(self, request):
        qs = super().get_queryset(request).prefetch_related("fields_of_action")
        return with_publication_state(qs)

    @admin.display(description=_("Handlungsfelder"))
    def field_names(self, obj):
        return ", ".join(str(f) for f in obj.fields_of_action.all())

    @admin.display(description=_("veröffentlicht"), boolean=True, ordering="is_published")
    def published(self, obj):
        return obj.is_published


@admin.register(ContactPerson)
class ContactPersonAdmin(admin.ModelAdmin):
    list_display = ["name", "role", "organisation", "email", "phone"]
    list_select_related = ["organisation"]
    search_fields = ["name", "email", "organisation__name"]
    autocomplete_fields = ["organisation"]
    actions = [export_csv]


@admin.register(ConsentWording)
class ConsentWordingAdmin(admin.ModelAdmin):
    list_display = ["version", "valid_from"]
    search_fields = ["version", "text_de"]
    date_hierarchy = "valid_from"


@admin.register(PublicationConsent)
class PublicationConsentAdmin(CapabilityActions, admin.ModelAdmin):
    action_capability = Capability.MODERATE_DIRECTORY

    list_display = [
        "organisation",
        "contact_person",
        "given_by",
        "given_at",
        "channel",
        "wording",
        "withdrawn_at",
    ]
    list_select_related = ["organisation", "contact_person", "wording"]
    list_filter = ["channel", ("withdrawn_at", admin.EmptyFieldListFilter), "wording"]
    search_fields = ["organisation__name", "contact_person__name", "given_by"]
    date_hierarchy = "given_at"
    autocomplete_fields = ["organisation", "contact_person"]
    readonly_fields = ["recorded_by"]
    actions = [export_csv, withdraw_consents, send_withdraw_links]

    def save_model(self, request, obj, form, change):
        if not change and obj.recorded_by_id is None:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(ResearchFinding)
class ResearchFindingAdmin(admin.ModelAdmin):
    list_display = ["organisation", "engagement", "advisor", "source", "found_on"]
    list_select_related = ["organisation", "engagement", "advisor__user"]
    list_filter = ["source", "engagement"]
    search_fields = ["organisation__name", "notes", "engagement__title"]
    date_hierarchy = "found_on"
    autocomplete_fields = ["organisation", "engagement", "advisor"]
    actions = [export_csv]


@admin.register(OrganisationSuggestion)
class OrganisationSuggestionAdmin(CapabilityActions, admin.ModelAdmin):
    action_capability = Capability.MODERATE_DIRECTORY

    """Suggestions from the public form; approving publishes, nothing else does."""

    list_display = [
        "name",
        "kind",
        "municipality",
        "submitter_name",
        "submitter_email",
        "wording",
        "status",
        "created_at",
    ]
    list_select_related = ["municipality", "wording"]
    list_filter = ["status", "kind"]
    search_fields = ["name", "submitter_name", "submitter_email", "municipality__name"]
    date_hierarchy = "created_at"
    autocomplete_fields = ["organisation", "municipality"]
    filter_horizontal = ["fields_of_action"]
    actions = ["approve", "reject"]

    def get_readonly_fields(self, request, obj=None):
        # The status changes only through the actions; the consent given is evidence.
        readonly = ["status", "decided_at", "decided_by", "created_at", "difference"]
        if obj is not None:
            readonly += ["wording", "consent_given_at", "channel", "source"]
        return readonly

    @admin.display(description=_("Unterschied zum Verzeichnis"))
    def difference(self, obj: OrganisationSuggestion) -> str:
        """What approving would change: each field, published now beside proposed."""
        if obj is None or obj.pk is None:
            return "–"
        rows = suggestion_difference(obj)
        if rows is None:
            return str(_("Eine neue Organisation: alles ist neu."))
        if not any(changed for _label, _now, _proposed, changed in rows):
            return str(_("Keine Änderung gegenüber dem Verzeichnis."))
        return format_html(
            '<table class="suggestion-difference"><thead><tr><th scope="col">{}</th>'
            '<th scope="col">{}</th><th scope="col">{}</th></tr></thead><tbody>{}</tbody></table>',
            _("Feld"),
            _("im Verzeichnis"),
            _("vorgeschlagen"),
            format_html_join(
                "",
                '<tr class="{}"><th scope="row">{}</th><td>{}</td><td>{}</td></tr>',
                (
                    ("changed" if changed else "same", label, now or "–", proposed or "–")
                    for label, now, proposed, changed in rows
                ),
            ),
        )

    @admin.action(
        description=_("Ausgewählte übernehmen und veröffentlichen"), permissions=["capability"]
    )
    def approve(self, request, queryset):
        approved = 0
        for suggestion in queryset:
            was_pending = suggestion.status == SuggestionStatus.PENDING
            try:
                suggestion_approve(suggestion=suggestion, by=request.user)
            except SuggestionError as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                approved += was_pending
        self.message_user(
            request,
            ngettext(
                "%(count)d Vorschlag übernommen und veröffentlicht.",
                "%(count)d Vorschläge übernommen und veröffentlicht.",
                approved,
            )
            % {"count": approved},
            messages.SUCCESS,
        )

    @admin.action(description=_("Ausgewählte ablehnen …"), permissions=["capability"])
    def reject(self, request, queryset):
        if request.POST.get("confirm") != "yes":
            return TemplateResponse(
                request,
                "actors/suggest_reject.html",
                {
                    **self.admin_site.each_context(request),
                    "title": _("Vorschläge ablehnen"),
                    "opts": self.model._meta,
                    "suggestions": queryset.select_related("municipality"),
                    "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                },
            )
        reason = request.POST.get("reason", "")
        rejected = 0
        for suggestion in queryset:
            was_pending = suggestion.status == SuggestionStatus.PENDING
            try:
                suggestion_reject(suggestion=suggestion, by=request.user, reason=reason)
            except SuggestionError as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                rejected += was_pending
        self.message_user(
            request,
            ngettext("%(count)d Vorschlag abgelehnt.", "%(count)d Vorschläge abgelehnt.", rejected)
            % {"count": rejected},
            messages.SUCCESS,
        )
        return None
