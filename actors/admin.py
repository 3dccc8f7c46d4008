from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from miglobe.admin_export import export_csv

from .models import (
    ConsentWording,
    ContactPerson,
    FieldOfAction,
    Organisation,
    PublicationConsent,
    ResearchFinding,
)
from .selectors import with_publication_state


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
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "municipality", "scope", "field_names", "published"]
    list_select_related = ["municipality"]
    list_filter = [PublishedFilter, "kind", "scope", "fields_of_action", "municipality"]
    search_fields = ["name", "description", "municipality__name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["municipality"]
    filter_horizontal = ["fields_of_action"]
    inlines = [ContactPersonInline, PublicationConsentInline, ResearchFindingInline]
    readonly_fields = ["created_at", "updated_at"]
    actions = [export_csv]
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
class PublicationConsentAdmin(admin.ModelAdmin):
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
    actions = [export_csv]

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
