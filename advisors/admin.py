from django.contrib import admin
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import (
    Language,
    PartnerOrganisation,
    PoolMembership,
    Training,
    TrainingCompletion,
    TrainingWaiver,
)


@admin.register(Language)
class LanguageAdmin(admin.ModelAdmin):
    list_display = ["name_de", "name_en", "code"]
    search_fields = ["name_de", "name_en", "code"]


class PartnerInline(admin.TabularInline):
    model = PartnerOrganisation
    extra = 0


@admin.register(PartnerOrganisation)
class PartnerOrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "city", "pool"]
    list_select_related = ["pool"]
    list_filter = ["pool"]
    search_fields = ["name", "city"]


class PoolMembershipInline(admin.TabularInline):
    model = PoolMembership
    extra = 0


class TrainingCompletionInline(admin.TabularInline):
    model = TrainingCompletion
    extra = 0
    autocomplete_fields = ["training"]


class TrainingWaiverInline(admin.TabularInline):
    model = TrainingWaiver
    extra = 0
    autocomplete_fields = ["training"]
    readonly_fields = ["waived_by", "waived_at"]


@admin.register(TrainingWaiver)
class TrainingWaiverAdmin(admin.ModelAdmin):
    list_display = ["advisor", "training", "reason", "waived_by", "waived_at"]
    list_select_related = ["advisor__user", "training", "waived_by"]
    list_filter = ["training__pool", "training"]
    search_fields = ["advisor__user__name", "training__title"]
    autocomplete_fields = ["advisor", "training"]
    readonly_fields = ["waived_by", "waived_at"]

    def save_model(self, request, obj, form, change):
        obj.waived_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(PoolMembership)
class PoolMembershipAdmin(admin.ModelAdmin):
    list_display = ["advisor", "pool", "joined_on", "left_on"]
    list_select_related = ["advisor__user", "pool"]
    list_filter = ["pool"]
    search_fields = ["advisor__user__name", "advisor__user__email"]
    autocomplete_fields = ["advisor"]
    date_hierarchy = "joined_on"


@admin.register(Training)
class TrainingAdmin(admin.ModelAdmin):
    list_display = [
        "title", "pool", "starts_on", "ends_on", "location", "mandatory", "participants",
        "attendance_link",
    ]  # fmt: skip
    list_select_related = ["pool"]
    list_filter = ["pool"]
    search_fields = ["title", "topic"]
    date_hierarchy = "starts_on"
    inlines = [TrainingCompletionInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(completed=Count("completions"))

    @admin.display(description=_("abgeschlossen von"), ordering="completed")
    def participants(self, obj):
        return obj.completed

    @admin.display(description=_("Anwesenheit"))
    def attendance_link(self, obj):
        url = reverse("recruitment:attendance", args=[obj.pk])  # a staff page, also for phones
        return format_html('<a href="{}">{}</a>', url, _("eintragen"))


@admin.register(TrainingCompletion)
class TrainingCompletionAdmin(admin.ModelAdmin):
    list_display = ["advisor", "training", "completed_on"]
    list_select_related = ["advisor__user", "training"]
    list_filter = ["training__pool", "training"]
    search_fields = ["advisor__user__name", "training__title"]
    autocomplete_fields = ["advisor", "training"]
    date_hierarchy = "completed_on"
