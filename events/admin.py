from django.contrib import admin
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from miglobe.admin_export import export_csv

from .models import Event, EventSession, Registration


class EventSessionInline(admin.StackedInline):
    model = EventSession
    extra = 0
    fields = [
        ("kind", "title"),
        ("starts_at", "ends_at"),
        ("speakers", "room", "capacity"),
        "description",
    ]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "kind",
        "municipality",
        "starts_at",
        "capacity",
        "registered",
        "attendance",
        "is_public",
    ]
    list_select_related = ["municipality"]
    list_filter = ["kind", "is_public", "municipality__federal_state", "municipality"]
    search_fields = ["title", "venue", "municipality__name", "organiser"]
    date_hierarchy = "starts_at"
    autocomplete_fields = ["municipality", "engagement"]
    inlines = [EventSessionInline]
    actions = [export_csv]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                registered_count=Count(
                    "registrations",
                    filter=Q(registrations__status="confirmed"),
                    distinct=True,
                ),
                attended_count=Count(
                    "registrations", filter=Q(registrations__attended=True), distinct=True
                ),
            )
        )

    @admin.display(description=_("Anmeldungen"), ordering="registered_count")
    def registered(self, obj):
        return obj.registered_count

    @admin.display(description=_("teilgenommen"), ordering="attended_count")
    def attendance(self, obj):
        return obj.attended_count


@admin.register(EventSession)
class EventSessionAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "event", "starts_at", "speakers", "capacity"]
    list_select_related = ["event"]
    list_filter = ["kind"]
    search_fields = ["title", "speakers", "event__title"]
    date_hierarchy = "starts_at"
    autocomplete_fields = ["event"]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "email",
        "event",
        "organisation_display",
        "category",
        "status",
        "attended",
    ]
    list_select_related = ["event", "organisation"]
    list_filter = ["status", "category", "attended", "event"]
    search_fields = ["name", "email", "organisation_name", "organisation__name", "event__title"]
    date_hierarchy = "created_at"
    autocomplete_fields = ["event", "organisation"]
    filter_horizontal = ["sessions"]
    actions = [export_csv]
    csv_fields = [
        "name",
        "email",
        "event__title",
        "organisation_display",
        "category",
        "status",
        "attended",
    ]

    @admin.display(description=_("Organisation"))
    def organisation_display(self, obj):
        return obj.organisation.name if obj.organisation else obj.organisation_name
