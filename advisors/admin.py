from django.contrib import admin
from django.db.models import Count, Prefetch, Q
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from engagements.models import FeeRate
from miglobe.admin_export import export_csv

from .models import (
    Advisor,
    Language,
    PartnerOrganisation,
    Pool,
    PoolMembership,
    Training,
    TrainingCompletion,
)
from .selectors import advisors_with_load, pool_statistics


@admin.register(Language)
class LanguageAdmin(admin.ModelAdmin):
    list_display = ["name_de", "name_en", "code"]
    search_fields = ["name_de", "name_en", "code"]


class PartnerInline(admin.TabularInline):
    model = PartnerOrganisation
    extra = 0


class FeeRateInline(admin.TabularInline):
    model = FeeRate
    extra = 0


@admin.register(Pool)
class PoolAdmin(admin.ModelAdmin):
    list_display = ["name", "federal_state", "established", "member_count"]
    list_filter = ["federal_state"]
    search_fields = ["name"]
    inlines = [PartnerInline, FeeRateInline]
    readonly_fields = ["statistics"]
    fields = ["name", "federal_state", "established", "description", "statistics"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                active_members=Count(
                    "memberships", filter=Q(memberships__left_on__isnull=True), distinct=True
                )
            )
        )

    @admin.display(description=_("aktive Mitglieder"), ordering="active_members")
    def member_count(self, obj):
        return obj.active_members

    @admin.display(description=_("Pool-Statistik"))
    def statistics(self, obj):
        if not obj.pk:
            return "–"
        return render_to_string(
            "admin/advisors/pool_statistics.html", {"stats": pool_statistics(obj)}
        )


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


@admin.register(Advisor)
class AdvisorAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "email",
        "gender",
        "birth_year",
        "home_municipality",
        "origins",
        "pool_names",
        "availability",
        "load",
    ]
    list_filter = ["pools", "gender", "availability", "languages"]
    search_fields = ["user__name", "user__email", "home_municipality__name"]
    autocomplete_fields = ["user", "home_municipality", "languages"]
    filter_horizontal = ["expertise"]
    inlines = [PoolMembershipInline, TrainingCompletionInline]
    actions = [export_csv]
    csv_fields = [
        "name",
        "email",
        "gender",
        "birth_year",
        "home_municipality__name",
        "origins",
        "languages",
        "pool_names",
        "availability",
        "load",
    ]

    def get_queryset(self, request):
        return advisors_with_load().prefetch_related(
            "languages", Prefetch("pools", queryset=Pool.objects.order_by("name"))
        )

    @admin.display(description=_("Name"), ordering="user__name")
    def name(self, obj):
        return obj.user.name or obj.user.email

    @admin.display(description=_("E-Mail"), ordering="user__email")
    def email(self, obj):
        return obj.user.email

    @admin.display(description=_("Herkunftsländer"))
    def origins(self, obj):
        return ", ".join(str(c.name) for c in obj.countries_of_origin)

    @admin.display(description=_("Pools"))
    def pool_names(self, obj):
        return ", ".join(p.name for p in obj.pools.all())

    @admin.display(description=_("laufende Einsätze"), ordering="active_engagements")
    def load(self, obj):
        return obj.active_engagements


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
    list_display = ["title", "pool", "starts_on", "ends_on", "location", "participants"]
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


@admin.register(TrainingCompletion)
class TrainingCompletionAdmin(admin.ModelAdmin):
    list_display = ["advisor", "training", "completed_on"]
    list_select_related = ["advisor__user", "training"]
    list_filter = ["training__pool", "training"]
    search_fields = ["advisor__user__name", "training__title"]
    autocomplete_fields = ["advisor", "training"]
    date_hierarchy = "completed_on"
